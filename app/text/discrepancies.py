"""What an outlet changed in substance when it reworded a claim: figures, dates, names,
certainty, and quotes. Style is not flagged; each flag says in one line what changed.

The comparison takes the claim's origin wording and one outlet sentence, plus context that
keeps it fair: the other claims the same sentence carries (a figure of another claim is not
"added") and the outlet's other sentences carrying this claim (a date given in the next
sentence is not "dropped").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from app.text import modality
from app.text.dates import DateMention, dates, describe
from app.text.entities import NAME_LANGUAGES, Entity, entities
from app.text.numbers import Figure, figures
from app.text.quotes import SAME_QUOTE, coverage, overlap, statements
from app.text.words import content_stems, fold, words

Kind = Literal["number", "date", "entity", "modality", "quote"]
KINDS: tuple[Kind, ...] = ("number", "date", "entity", "modality", "quote")

#: A quote is backed by one origin wording when it has this share of the quote's content words.
QUOTE_BACKED = 0.8
#: Below this share of its content words in all the origin wordings, a quote is unsupported.
QUOTE_SUPPORTED = 0.35


@dataclass(frozen=True)
class Flag:
    """One substantive change: its kind, the origin's side, the outlet's side, and why."""

    kind: Kind
    origin: str
    outlet: str
    reason: str


@dataclass(frozen=True)
class Context:
    """What else bears on one comparison (see the module docstring)."""

    also_origin: Sequence[str] = ()
    also_outlet: Sequence[str] = ()
    #: Other outlets' versions of the quotes this sentence's claims carry: (quote, language).
    peer_quotes: Sequence[tuple[str, str | None]] = ()
    #: Names that are the story's source rather than its content ("Le Monde").
    ignore_names: Sequence[str] = ()
    #: Dates about the reporting itself (the origin's publication date), never "added".
    known_dates: Sequence[tuple[int, int, int]] = field(default_factory=tuple)


def discrepancies(
    origin: str,
    outlet: str,
    origin_language: str | None,
    outlet_language: str | None,
    context: Context | None = None,
) -> list[Flag]:
    """Every substantive difference between the origin wording and the outlet's sentence."""
    context = context or Context()
    return [
        *_figure_flags(origin, outlet, origin_language, outlet_language, context),
        *_date_flags(origin, outlet, origin_language, outlet_language, context),
        *_entity_flags(origin, outlet, origin_language, outlet_language, context),
        *_modality_flags(origin, outlet, origin_language, outlet_language),
        *_quote_flags(origin, outlet, origin_language, outlet_language, context),
    ]


# --- figures ---------------------------------------------------------------------------------


def _figure_flags(origin, outlet, o_lang, d_lang, context: Context) -> list[Flag]:
    ours = figures(origin, o_lang)
    others = [(t, f) for t in context.also_origin for f in figures(t, o_lang)]
    theirs = figures(outlet, d_lang)
    elsewhere = [*theirs, *(f for t in context.also_outlet for f in figures(t, d_lang))]
    known = [*ours, *(f for _, f in others)]
    unexplained = [f for f in theirs if not any(f.same(k) for k in known)]
    gone = [f for f in ours if not any(f.same(e) for e in elsewhere)]
    # every claim's figures that the outlet does not give, ours first: each may have been changed
    missing = [*((origin, f) for f in gone),
               *((t, f) for t, f in others if not any(f.same(e) for e in elsewhere))]
    swaps = _pair(missing, unexplained, outlet, o_lang, d_lang, _value_gap, _same_unit)
    changed, added = _changes(
        "number", gone, unexplained, swaps, Figure.describe, Figure.same,
        changed="the origin gives {0}, this gives {1}",
        dropped="the origin's figure {0} is missing",
    )
    return [*changed, *added]


def _changes(kind: Kind, gone, unexplained, swaps: dict[int, int], say, same, *, changed: str,
             dropped: str) -> tuple[list[Flag], list[Flag]]:
    """A flag for each of ``gone`` (the claim's figures or dates the outlet does not give),
    changed into the outlet's one it is paired with in ``swaps`` or dropped; and one for each
    of the outlet's ``unexplained`` that stands for none, added. ``say`` describes one; the
    reasons fill ``changed`` and ``dropped`` with the origin's and the outlet's."""
    flags = []
    for i, ours in enumerate(gone):
        if i in swaps:
            swap = unexplained[swaps[i]]
            flags.append(Flag(kind, ours.text, swap.text, changed.format(say(ours), say(swap))))
        else:
            flags.append(Flag(kind, ours.text, "", dropped.format(say(ours))))
    added = [m for j, m in enumerate(unexplained) if j not in swaps.values()]
    return flags, [
        Flag(kind, "", m.text, f"{say(m)} is not in the origin wording")
        for m in _unique(added, same)
    ]


_CLAUSE_BREAK = re.compile(r"[;:()\[\]\u2013\u2014]|,\s")


def _pair(missing, unexplained, outlet, o_lang, d_lang, gap, fits=None) -> dict[int, int]:
    """Which origin figure or date (index in ``missing``, pairs of wording and mention) each
    changed one of the outlet (index in ``unexplained``) stands for: it replaces at most one,
    of any claim the sentence carries, the one in the clause with most words in common, then
    the nearest by ``gap``, so an ownership share is not read as a changed staff share, nor one
    date as another. ``fits`` says which may stand for which at all."""

    def score(i: int, j: int) -> tuple:
        text, ours = missing[i]
        theirs = unexplained[j]
        shared = _clause_words(text, ours, o_lang) & _clause_words(outlet, theirs, d_lang)
        return (-len(shared), gap(ours, theirs), i, j)

    options = sorted(
        score(i, j) for i, (_t, ours) in enumerate(missing)
        for j, theirs in enumerate(unexplained) if fits is None or fits(ours, theirs)
    )
    paired: dict[int, int] = {}
    for *_, i, j in options:
        if i not in paired and j not in paired.values():
            paired[i] = j
    return paired


def _clause_words(text: str, mention: Figure | DateMention, language: str | None) -> frozenset[str]:
    """Content stems of the clause a figure or date stands in, but its own: what it is the
    figure or date of."""
    left = max((m.end() for m in _CLAUSE_BREAK.finditer(text, 0, mention.start)), default=0)
    right = next((m.start() for m in _CLAUSE_BREAK.finditer(text, mention.end)), len(text))
    clause = f"{text[left:mention.start]} {text[mention.end:right]}"
    return frozenset(s for s in content_stems(clause, language) if not s[:1].isdigit())


def _value_gap(ours: Figure, theirs: Figure) -> float:
    return abs(ours.value - theirs.value) / max(abs(ours.value), abs(theirs.value), 1e-9)


def _same_unit(ours: Figure, theirs: Figure) -> bool:
    return ours.percent == theirs.percent


# --- dates -----------------------------------------------------------------------------------


def _date_flags(origin, outlet, o_lang, d_lang, context: Context) -> list[Flag]:
    langs = tuple(lang for lang in (o_lang, d_lang) if lang)
    ours = dates(origin, langs)
    others = [(t, d) for t in context.also_origin for d in dates(t, langs)]
    other_claims = [d for _, d in others]
    known = [*ours, *other_claims, *(_day(*r) for r in context.known_dates)]
    theirs = dates(outlet, langs)
    elsewhere = [*theirs, *(d for t in context.also_outlet for d in dates(t, langs))]
    unexplained = [d for d in theirs if not any(d.compatible(k) for k in known)]
    # every claim's dates that the outlet gives at no precision, ours first: each may have
    # been changed into one the origin does not give
    gone = [d for d in ours if not any(d.compatible(e) for e in elsewhere)]
    missing = [*((origin, d) for d in gone),
               *((t, d) for t, d in others if not any(d.compatible(e) for e in elsewhere))]
    swaps = _pair(missing, unexplained, outlet, o_lang, d_lang, _days_apart)
    changed, added = _changes(
        "date", gone, unexplained, swaps, describe, DateMention.same,
        changed="the origin says {0}, this says {1}",
        dropped="the origin dates this {0}; this gives no date",
    )
    change_of = dict(zip(gone, changed, strict=True))
    flags = []
    for date in ours:  # in the origin's order, each changed, dropped or made less precise
        if date in change_of:
            flags.append(change_of[date])
        elif not any(date.same(d) for d in elsewhere):
            flags += _precision_flags(date, elsewhere, other_claims)
    return [*flags, *added]


def _precision_flags(date: DateMention, elsewhere, other_claims) -> list[Flag]:
    """A date the outlet gives less precisely, or with a day the origin does not give; another
    claim's date (``other_claims``) given as it is adds nothing to this one."""
    close = [d for d in elsewhere if date.compatible(d)]
    best = max(close, key=lambda d: (not any(d.same(o) for o in other_claims), d.precision))
    if (date.day is not None and best.day is None) or (
        date.month is not None and best.month is None
    ):  # a lost year alone is house style ("March" for "March 2024")
        return [Flag("date", date.text, best.text,
                     f"less precise: the origin says {describe(date)}, this says "
                     f"{describe(best)}")]
    if best.day is not None and date.day is None and not any(best.same(o) for o in other_claims):
        return [Flag("date", date.text, best.text,
                     f"adds a day: the origin says {describe(date)}, this says "
                     f"{describe(best)}")]
    return []


def _days_apart(ours: DateMention, theirs: DateMention) -> int:
    """About how many days apart two dates are, a field one leaves out read as the other's."""

    def days(d: DateMention, other: DateMention) -> int:
        return ((d.year or other.year or 0) * 372 + (d.month or other.month or 1) * 31
                + (d.day or other.day or 1))

    return abs(days(ours, theirs) - days(theirs, ours))


def _day(year: int, month: int, day: int) -> DateMention:
    return DateMention(0, 0, "", year, month, day)


# --- names -----------------------------------------------------------------------------------


def _entity_flags(origin, outlet, o_lang, d_lang, context: Context) -> list[Flag]:
    """Swapped places or names (both sides have one the other lacks), or names added.

    A name the outlet leaves out is not flagged on its own: "Barrot said" becomes "he said" in
    every rewrite. A place or nationality only counts when another takes its place. Languages
    whose names inflect in ways not known here ("Kijowa" for Kyiv) raise no name flag.
    """
    if not {o_lang, d_lang} <= NAME_LANGUAGES:
        return []
    ignored = {fold(n) for n in context.ignore_names}
    ours = list(entities(origin, o_lang))
    known = ours + [e for t in context.also_origin for e in entities(t, o_lang)]
    theirs = [e for e in entities(outlet, d_lang) if fold(e.text) not in ignored
              and not (e.tokens and e.tokens <= {t for n in ignored for t in n.split()})]
    elsewhere = list(entities(outlet, d_lang)) + [
        e for t in context.also_outlet for e in entities(t, d_lang)
    ]
    lost = _unique([e for e in ours if not any(e.matches(d) for d in elsewhere)], Entity.matches)
    new = _unique([e for e in theirs if not any(e.matches(k) for k in known)], Entity.matches)
    # a place counts as lost when the outlet names it fewer times than the origin: "a British
    # source said the UK and France" against "a British source said Germany and France"
    lost_places = [e for e in lost if e.place] + _fewer(ours, elsewhere)
    new_places = [e for e in new if e.place]
    lost_names = [e for e in lost if not e.place]
    new_names = [e for e in new if not e.place]
    dropped, added = [], []
    if lost_places and new_places:
        dropped += lost_places
        added += new_places
    if lost_names and new_names:
        dropped += lost_names
    added += new_names
    if not added:
        return []
    origin_side = ", ".join(e.text for e in dropped)
    outlet_side = ", ".join(e.text for e in added)
    if dropped:
        reason = f"names {outlet_side} where the origin names {origin_side}"
    else:
        reason = f"names {outlet_side}, which the origin wording does not"
    return [Flag("entity", origin_side, outlet_side, reason)]


def _fewer(ours: list[Entity], theirs: list[Entity]) -> list[Entity]:
    """Places the origin names more often than the outlet does (one mention each)."""
    out = []
    for place in dict.fromkeys(e.place for e in ours if e.place):
        mine = [e for e in ours if e.place == place]
        if len(mine) > sum(e.place == place for e in theirs) and any(
            e.place == place for e in theirs
        ):
            out.append(next((e for e in mine if not e.demonym), mine[0]))
    return out


# --- certainty -------------------------------------------------------------------------------


def _modality_flags(origin, outlet, o_lang, d_lang) -> list[Flag]:
    """A hedge of the origin that the outlet drops, or a hedge the outlet adds to a named
    person or thing the origin states plainly ("the possible election of Donald Trump")."""
    if not (modality.supported(o_lang) and modality.supported(d_lang)):
        return []
    ours = modality.markers(origin, o_lang)
    theirs = modality.markers(outlet, d_lang)
    if o_lang != d_lang:
        # across languages only the plainest shift shows: a hedged claim told as certain
        if any(m.kind == "hedge" for m in ours) and theirs and all(
            m.kind == "booster" for m in theirs
        ):
            first = next(m for m in ours if m.kind == "hedge")
            return [Flag("modality", first.word, theirs[0].word,
                         f"the origin hedges (\u201c{first.word}\u201d), this is certain "
                         f"(\u201c{theirs[0].word}\u201d)")]
        return []
    flags = []
    for hedge in (m for m in ours if m.kind == "hedge" and m.head):
        spots = modality.occurrences(outlet, d_lang, hedge.head)
        if not spots or any(modality.governed_by(outlet, d_lang, w, "hedge") for w in spots):
            continue
        span = _span(origin, hedge)
        booster = next(
            (b for w in spots if (b := modality.governed_by(outlet, d_lang, w, "booster"))),
            None,
        )
        if booster:
            reason = (f"the origin hedges (\u201c{hedge.word}\u201d), this is certain "
                      f"(\u201c{booster.word}\u201d)")
            flags.append(Flag("modality", span, _span(outlet, booster), reason))
        else:
            reason = f"states as fact what the origin hedges (\u201c{hedge.word}\u201d)"
            flags.append(Flag("modality", span, _sentence_part(outlet, spots[0]), reason))
    plain = _content(origin, o_lang) - modality.hedged_stems(origin, o_lang)
    names = {t for e in entities(origin, o_lang) for t in _name_stems(e, o_lang)}
    for hedge in (m for m in theirs if m.kind == "hedge" and not m.condition):
        shared = set(hedge.scope) & plain
        if len(shared) >= 2 and shared & names:
            flags.append(Flag("modality", "", _span(outlet, hedge),
                              f"adds doubt (\u201c{hedge.word}\u201d) to what the origin "
                              "states plainly"))
    return flags


def _content(text: str, language: str | None) -> set[str]:
    return {w.stem for w in words(text, language) if not w.stop}


def _name_stems(entity: Entity, language: str | None) -> set[str]:
    return {w.stem for w in words(entity.text, language)}


def _span(text: str, marker: modality.Marker) -> str:
    return text[marker.start:marker.scope_end]


def _sentence_part(text: str, word) -> str:
    start = max(0, text.rfind(" ", 0, max(0, word.start - 20)) + 1)
    end = text.find(" ", word.end + 20)
    return text[start:end if end != -1 else len(text)].strip(" ,.")


# --- quotes ----------------------------------------------------------------------------------


def _quote_flags(origin, outlet, o_lang, d_lang, context: Context) -> list[Flag]:
    """Quoted words that differ from every other outlet's version of the same quote, or, when
    no other outlet quotes it, that no origin wording supports."""
    flags = []
    peers = [q for q, lang in context.peer_quotes if lang == d_lang]
    origins = [origin, *context.also_origin]
    for quote in statements(outlet):
        if any(overlap(quote, p, d_lang) >= SAME_QUOTE for p in peers):
            continue
        if o_lang == d_lang and max(coverage(quote, [o], d_lang) for o in origins) >= QUOTE_BACKED:
            continue
        if peers:
            flags.append(Flag("quote", "", quote,
                              "quoted words that differ from every other outlet's version of "
                              "this quote"))
        elif o_lang == d_lang and coverage(quote, origins, d_lang) < QUOTE_SUPPORTED:
            flags.append(Flag("quote", "", quote,
                              "quoted words that no origin wording supports"))
    return flags


def _unique(items: list, same) -> list:
    out: list = []
    for item in items:
        if not any(same(item, kept) for kept in out):
            out.append(item)
    return out
