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

CLAIM_TEMPLATES = (
    "{body} {verb} {n} {thing} for {place} on {day}, {person} said.",
    "{person}, the {role} of {place}, said {body} had {verb} {n} {thing}.",
    "According to {body}, {n} {thing} were {verb} in {place} last year.",
    "The decision on the {thing} in {place} will cost about {m} million euros.",
    "{person} warned that {body} could lose control of the {thing} programme by {year}.",
    "Officials in {place} confirmed that {n} {thing} had been {verb} since {month}.",
    "The {role} {person} resigned after {body} {verb} the {thing} deal.",
    "{body} said the {thing} would reach {place} no earlier than {month} {year}.",
    "Investigators found that {m} million euros meant for {thing} in {place} went missing.",
    "{person} told reporters on {day} that the {thing} plan for {place} was {adjective}.",
    "Under the agreement, {place} receives {n} {thing} and {body} keeps a {p}% stake.",
    "Critics of {body} say the {thing} contract in {place} was {verb} without a tender.",
    "The opposition in {place} demanded an inquiry into the {thing} signed by {person}.",
    "{body} expects demand for {thing} in {place} to rise by {p}% before {year}.",
    "Talks between {body} and the unions of {place} broke down over the {thing}.",
    "A report by {body} counted {n} {thing} in {place}, {p}% fewer than planned.",
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


def _fill(template: str, rng: random.Random) -> str:
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    text = template.format(
        body=rng.choice(BODIES), verb=rng.choice(VERBS), n=rng.randrange(3, 900),
        thing=rng.choice(THINGS), place=rng.choice(PLACES), day=rng.choice(DAYS), person=person,
        role=rng.choice(ROLES), m=rng.randrange(2, 950), year=rng.randrange(2025, 2032),
        month=rng.choice(MONTHS), adjective=rng.choice(ADJECTIVES), p=rng.randrange(5, 80),
    )
    return text[0].upper() + text[1:]


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
        sizes = [rng.randrange(10, 31) for _ in range(stories)]
        scale = articles / max(sum(sizes), 1)
        counts = [max(1, round(s * scale)) for s in sizes]
        counts[-1] += articles - sum(counts)
        while counts[-1] < 1:  # rounding gave the last stories too many: take some back
            largest = max(range(len(counts) - 1), key=counts.__getitem__)
            counts[largest] -= 1
            counts[-1] += 1
        self.plan = [i for i, n in enumerate(counts) for _ in range(n)][:articles]

    def _story(self, number: int, rng: random.Random, variants: int) -> StorySpec:
        size = rng.randrange(12, 21)
        claims = list(dict.fromkeys(_fill(rng.choice(CLAIM_TEMPLATES), rng) for _ in range(size)))
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

    def article(self, number: int) -> ArticleSpec:
        rng = random.Random(self.seed * 1_000_003 + number)
        story = self.plan[number]
        variants = self._variants[story]
        size = rng.randrange(22, 39)
        carried = rng.sample(range(len(variants)), k=min(len(variants), rng.randrange(6, 15)))
        sentences = [rng.choice(variants[c]) for c in sorted(carried)]
        title = re.sub(r"[.,]$", "", sentences[0])[:110]
        for _ in range(size - len(sentences)):
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(self.background))
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
