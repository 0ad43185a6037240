"""A synthetic newsroom corpus for measuring scale: stories with a dossier of claims, and many
articles per story that reword those claims among sentences of their own.

Deterministic for a seed. Sentences come from a bounded pool (each claim has a few rewordings;
background sentences are drawn from a fixed set built from the seed articles and from generated
text), and articles recombine them, so linking has real work to do while the number of distinct
sentences, which is what the encoder pays for, stays far below the number of sentences stored.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

FIRST = ("Anna", "Marc", "Olena", "Pietro", "Ingrid", "Tomas", "Leila", "Jonas", "Maria", "Yusuf",
         "Claire", "Dmytro", "Sofia", "Henrik", "Amara", "Luca", "Nadia", "Pavel", "Elena", "Omar")
LAST = ("Kovalenko", "Duval", "Bergström", "Rossi", "Novak", "Schneider", "Haddad", "Lindqvist",
        "Moreau", "Petrenko", "Alvarez", "Okafor", "Jansen", "Varga", "Costa", "Weber", "Sato",
        "Nieminen", "Horvat", "Dubois")
PLACES = ("Lviv", "Gdansk", "Marseille", "Rotterdam", "Thessaloniki", "Porto", "Tallinn", "Turin",
          "Leipzig", "Brno", "Cluj", "Malmö", "Odesa", "Bilbao", "Graz", "Riga", "Split", "Lyon",
          "Antwerp", "Vilnius", "Naples", "Krakow", "Aarhus", "Bordeaux", "Kharkiv")
BODIES = ("the port authority", "the regional council", "the health ministry",
          "the energy regulator", "the central bank", "the defence ministry",
          "the transport agency", "the water board", "the city prosecutor",
          "the national railway", "the grain exchange", "the auditors' court",
          "the election commission", "the fisheries agency", "the customs service")
THINGS = ("contracts", "drones", "hospital beds", "rail cars", "turbines", "grain shipments",
          "housing units", "school buses", "vaccines", "power lines", "ferries", "bridges",
          "fighter jets", "solar farms", "water pipes", "ammunition crates", "reactors")
VERBS = ("approved", "suspended", "ordered", "cancelled", "delayed", "financed", "inspected",
         "doubled", "halved", "blocked", "audited", "renegotiated")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ROLES = ("minister", "mayor", "spokeswoman", "spokesman", "governor", "chief executive",
         "union leader", "prosecutor", "auditor", "commissioner")

QUALIFIERS = ("electric", "coastal", "military", "regional", "second-hand", "armoured",
              "offshore", "rural", "high-speed", "emergency")
# A claim: who, what they did or said, and sometimes when or why. A story keeps its cast (its
# place, people, body and things), so its claims resemble each other more than another story's.
SUBJECTS = (
    "{person}, the {role} of {place},", "{body}", "Officials in {place}", "The {role} {person}",
    "{person}", "A spokesperson for {body}", "Lawmakers in {place}", "{body2}",
)
PREDICATES = (
    "{verb} the purchase of {n} {thing}",
    "said the {thing} programme was {adjective}",
    "accused {body2} of hiding the cost of the {thing}",
    "promised {m} million euros for {thing} by {year}",
    "opened an inquiry into the {thing} deal signed in {month}",
    "will vote on the {thing} budget on {day}",
    "blamed the delays on a shortage of {thing2}",
    "confirmed that {n} {thing} had been {verb} since {month}",
    "warned that the {thing} could not reach {place} before {year}",
    "signed a contract for {n} {thing2} worth {m} million euros",
    "denied that {person2} had been told about the {thing} in advance",
    "asked {body2} to publish the audit of the {thing}",
    "estimated that {p}% of the {thing} were never delivered",
    "called the {thing2} tender {adjective}",
    "rejected the offer of {n} {thing} from {place2}",
    "said {person2} would lead the talks on the {thing}",
    "postponed the opening of the {thing} depot until {month}",
    "sold its stake in the {thing} maker to a fund from {place2}",
    "hired {n} engineers to repair the {thing2}",
    "fined the supplier of the {thing} {m} thousand euros",
    "has not paid the {thing2} bills since {month}",
    "moved the {thing} factory from {place} to {place2}",
    "lost a court case over the {thing} patents",
    "cut the price of the {thing2} by {p}%",
    "is looking for a new partner to build the {thing}",
    "said that nobody had inspected the {thing2} for {n} days",
    "leaked a memo about the faulty {thing}",
    "launched a {m} million euro bond to pay for the {thing2}",
    "froze the accounts of the {thing} consortium",
    "expects the first {thing2} to arrive by ship in {month}",
    "admitted that {n} {thing} were stolen from a warehouse in {place2}",
    "wants the European Commission to cover half the cost of the {thing}",
    "handed the {thing2} files to prosecutors in {place2}",
    "doubts that the {thing} will ever be insured",
    "trained {n} volunteers to operate the {thing2}",
    "withdrew from the {thing} project citing safety reasons",
    "reopened the {thing2} line that had been closed for {n} days",
    "compared the {thing} scheme to a pyramid",
    "threatened to resign if the {thing2} were not delivered",
    "published the names of {n} firms bidding for the {thing}",
    "bought {n} {thing2} from a rival in {place2} at a discount",
    "banned exports of {thing} for {n} months",
    "set up a hotline for complaints about the {thing2}",
    "paid a consultant {m} thousand euros to review the {thing}",
    "found traces of corrosion in {p}% of the {thing2}",
    "agreed to share the {thing} with {place2}",
)
CIRCUMSTANCES = (
    "", "", "", " on {day}", " after talks in {place2}", " despite protests in {place}",
    " according to documents seen by this newspaper", " for the first time since {year}",
    " in a letter to {person2}", " under pressure from {body2}",
)
ADJECTIVES = ("unrealistic", "on track", "too expensive", "overdue", "a success", "under review")
MONTHS = ("January", "March", "May", "June", "September", "October", "December")
FILLERS = ("Meanwhile, ", "Reportedly, ", "According to reports, ", "Separately, ",
           "As reported earlier, ", "In a statement, ")
BACKGROUND_TEMPLATES = (
    "The weather in {place} stayed mild for the season, forecasters said.",
    "Traffic in central {place} was slowed by roadworks on {day}.",
    "{person} has covered {place} for this newspaper since {year}.",
    "Readers can send tips to our newsroom in {place}.",
    "The {thing} sector employs about {n} thousand people across the region.",
    "Local markets in {place} reopened on {day} after the holiday.",
    "This article was updated on {day} with comments from {body}.",
    "A festival in {place} drew {n} thousand visitors over the weekend.",
)
OUTLETS = tuple(f"{p} {kind}" for p in PLACES[:12] for kind in ("Herald", "Post", "Daily", "Times"))


@dataclass(frozen=True)
class StorySpec:
    number: int
    slug: str
    title: str
    claims: tuple[str, ...]


@dataclass(frozen=True)
class ArticleSpec:
    number: int
    story: int
    outlet: str
    title: str
    published: dt.date
    text: str


def _cast(rng: random.Random) -> dict[str, str]:
    """The people, places and things a story is about."""
    place, place2 = rng.sample(PLACES, 2)
    return {
        "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "person2": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "place": place, "place2": place2,
        "body": f"{rng.choice(BODIES)} of {place}", "body2": rng.choice(BODIES),
        "thing": f"{rng.choice(QUALIFIERS)} {rng.choice(THINGS)}",
        "thing2": f"{rng.choice(QUALIFIERS)} {rng.choice(THINGS)}",
        "role": rng.choice(ROLES),
    }


def _fill(template: str, rng: random.Random, cast: dict[str, str] | None = None) -> str:
    values = {
        "verb": rng.choice(VERBS), "n": rng.randrange(3, 900), "m": rng.randrange(2, 950),
        "year": rng.randrange(2025, 2032), "day": rng.choice(DAYS), "month": rng.choice(MONTHS),
        "adjective": rng.choice(ADJECTIVES), "p": rng.randrange(5, 80),
        **(cast or _cast(rng)),
    }
    text = template.format(**values)
    return text[0].upper() + text[1:]


def _claim(cast: dict[str, str], rng: random.Random) -> str:
    template = (
        f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)}{rng.choice(CIRCUMSTANCES)}."
    )
    return _fill(template, rng, cast)


def perturb(sentence: str, rng: random.Random) -> str:
    """A rewording an outlet might make: a word dropped, clauses swapped, a filler in front."""
    words = sentence.split()
    if len(words) > 8 and rng.random() < 0.5:
        del words[rng.randrange(1, len(words) - 1)]
    text = " ".join(words)
    if "," in text and rng.random() < 0.4:
        head, _, tail = text.partition(",")
        tail = tail.strip().rstrip(".")
        if tail:
            text = f"{tail[0].upper()}{tail[1:]}, {head[0].lower()}{head[1:]}."
    if rng.random() < 0.3:
        text = f"{rng.choice(FILLERS)}{text[0].lower()}{text[1:]}"
    if not text.endswith((".", "!", "?")):
        text += "."
    return text


def seed_sentences(seeds_dir) -> list[str]:
    """Content sentences of the seed articles, the real part of the background pool."""
    from app.text.segment import segment

    out = []
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        out += [text[s.start : s.end] for s in segment(text, "en") if s.kind == "content"]
    return [s for s in out if len(s.split()) >= 6]


def _plan(sizes: list[int], articles: int) -> list[int]:
    """Story number of each article: ``articles`` shared in proportion to ``sizes``, at least
    one each, the rounding spread over the stories with the largest remainders rather than
    heaped on one."""
    scale = articles / max(sum(sizes), 1)
    exact = [s * scale for s in sizes]
    counts = [max(1, int(x)) for x in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    for i in range(max(0, articles - sum(counts))):
        counts[by_remainder[i % len(sizes)]] += 1
    while sum(counts) > articles:  # fewer articles than stories: the largest give some back
        counts[max(range(len(counts)), key=counts.__getitem__)] -= 1
    return [i for i, n in enumerate(counts) for _ in range(n)]


class Corpus:
    """``stories`` stories and ``articles`` articles, the same ones for the same ``seed``.

    Stories come in order, each followed by its articles (10 to 30, 20 on average), so the
    first thousand articles are a smaller newsroom of the same kind.
    """

    def __init__(
        self,
        stories: int,
        articles: int,
        seed: int = 20241125,
        background: Sequence[str] = (),
        variants: int = 3,
        background_size: int = 4000,
    ):
        self.seed = seed
        rng = random.Random(seed)
        pool = [_fill(rng.choice(BACKGROUND_TEMPLATES), rng) for _ in range(background_size)]
        pool += [perturb(s, rng) for s in background for _ in range(3)]
        self.background = list(dict.fromkeys(pool))
        self._variants: dict[int, list[list[str]]] = {}
        self.stories = [self._story(i, rng, variants) for i in range(stories)]
        self.plan = _plan([rng.randrange(10, 31) for _ in range(stories)], articles)

    def _story(self, number: int, rng: random.Random, variants: int) -> StorySpec:
        size = rng.randrange(12, 21)
        cast = _cast(rng)
        claims = list(dict.fromkeys(_claim(cast, rng) for _ in range(size)))
        title = re.sub(r"[.,]$", "", claims[0])[:110]
        story = StorySpec(number, f"synthetic-{number:05d}", title, tuple(claims))
        self._variants[number] = [[c] + [perturb(c, rng) for _ in range(variants)] for c in claims]
        return story

    def __len__(self) -> int:
        return len(self.plan)

    def articles(self, start: int = 0, stop: int | None = None) -> Iterator[ArticleSpec]:
        """Articles ``start`` to ``stop``; each is made from its own seed, so any slice is the
        same as in a full run."""
        stop = len(self.plan) if stop is None else min(stop, len(self.plan))
        for number in range(start, stop):
            yield self.article(number)

    def article(
        self, number: int, story: int | None = None, words: int | None = None
    ) -> ArticleSpec:
        """Article ``number`` of the plan; or, given ``story``, a further article of that story
        (``number`` then only seeds it), at least ``words`` words long when given."""
        rng = random.Random(self.seed * 1_000_003 + number + (0 if story is None else 7_919))
        story = self.plan[number] if story is None else story
        variants = self._variants[story]
        size = rng.randrange(22, 39)
        carried = rng.sample(range(len(variants)), k=min(len(variants), rng.randrange(6, 15)))
        if words:  # a long report carries the whole story
            carried = range(len(variants))
        sentences = [rng.choice(variants[c]) for c in sorted(carried)]
        title = re.sub(r"[.,]$", "", sentences[0])[:110]
        for _ in range(size - len(sentences)):
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(self.background))
        while words and sum(len(s.split()) for s in sentences) < words:
            sentences.insert(rng.randrange(1, len(sentences) + 1), rng.choice(self.background))
        paragraphs, i = [], 0
        while i < len(sentences):
            step = rng.randrange(1, 4)
            paragraphs.append(" ".join(sentences[i : i + step]))
            i += step
        published = dt.date(2025, 1, 1) + dt.timedelta(days=story % 365 + rng.randrange(3))
        return ArticleSpec(
            number=number,
            story=story,
            outlet=OUTLETS[rng.randrange(len(OUTLETS))],
            title=title,
            published=published,
            text=title + "\n\n" + "\n\n".join(paragraphs) + "\n",
        )
