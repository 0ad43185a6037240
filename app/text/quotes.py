"""Quoted passages of a sentence, in the quotation marks of the languages the desk reads, and
how the versions of one quote in different outlets relate.

Two quotes are versions of one another when most words of the shorter one are in the longer
(stems, function words included: "not" matters in a quote). Quotes of sentences linked to the
same claim join a family on a looser overlap, so "We do not rule out any options" and "We are
not ruling out any options" end up beside "All options remain on the table".
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from app.text.words import all_stems, content_stems

# “…” "…" «…» „…“ „…” ‘…’ (the last only around several words, so apostrophes are not quotes)
_QUOTED = re.compile(
    r"“([^”]+)”|\"([^\"]+)\"|«\s?([^»]+?)\s?»|„([^“”]+)[“”]|‘([^’]+\s[^’]+)’"
)
_QUOTE_SENTENCE_END = re.compile(r"[.!?]\s+(?=\S)")

#: Fewer words than this inside quotation marks is a term ("red lines"), not a statement.
MIN_QUOTE_WORDS = 3
#: Share of the shorter quote's words found in the longer for two quotes to be one quote.
SAME_QUOTE = 0.6
#: The looser share that joins quotes of sentences carrying the same claim into one family.
FAMILY_QUOTE = 0.25


def quoted(text: str) -> list[str]:
    """The passages inside quotation marks, in order, without the marks."""
    return [next(g for g in m.groups() if g).strip() for m in _QUOTED.finditer(text)]


@lru_cache(maxsize=16384)
def statements(text: str) -> tuple[str, ...]:
    """Quoted passages long enough to be someone's words, each cut into its sentences."""
    out = []
    for passage in quoted(text):
        for piece in _sentences(passage):
            piece = piece.strip(" ,;:")
            if len(piece.split()) >= MIN_QUOTE_WORDS:
                out.append(piece)
    return tuple(out)


def _sentences(passage: str) -> list[str]:
    """Cut where a sentence ends and a capital opens the next ("U.K. and" is not an end)."""
    pieces, start = [], 0
    for m in _QUOTE_SENTENCE_END.finditer(passage):
        if passage[m.end()].isupper() and not re.search(r"\b[A-Z]\.[A-Z]$", passage[:m.start()]):
            pieces.append(passage[start:m.start() + 1])
            start = m.end()
    pieces.append(passage[start:])
    return pieces


def overlap(a: str, b: str, language: str | None) -> float:
    """Share of the shorter quote's word stems that the other has, from 0 to 1."""
    sa, sb = all_stems(a, language), all_stems(b, language)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def coverage(quote: str, texts: Sequence[str], language: str | None) -> float:
    """Share of the quote's content stems that ``texts`` contain between them."""
    mine = content_stems(quote, language)
    if not mine:
        return 1.0
    theirs = frozenset().union(*(content_stems(t, language) for t in texts)) if texts else set()
    return len(mine & theirs) / len(mine)


@dataclass(frozen=True)
class QuoteItem:
    """One quoted statement of one sentence: its words, its language, where it is from, and
    the claims its sentence carries."""

    text: str
    language: str | None
    owner: Hashable
    group: Hashable
    claims: frozenset[Hashable] = frozenset()


def families(items: Sequence[QuoteItem]) -> list[list[int]]:
    """Indices of ``items`` grouped into families of versions of one quote, largest first.

    Quotes of one sentence (``owner``) are one statement and stay together; other quotes of
    the same ``group`` (one article) never join through each other alone; quotes in different
    languages are not compared.
    """
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if a.owner == b.owner:  # one passage quoted in one sentence is one statement
                parent[find(i)] = find(j)
                continue
            if a.group == b.group:
                continue
            if a.language != b.language:
                continue
            share = overlap(a.text, b.text, a.language)
            if share >= SAME_QUOTE or (a.claims & b.claims and share >= FAMILY_QUOTE):
                parent[find(i)] = find(j)
    grouped: dict[int, list[int]] = {}
    for i in range(len(items)):
        grouped.setdefault(find(i), []).append(i)
    return sorted(grouped.values(), key=lambda g: (-len(g), g[0]))


def reference(items: Sequence[QuoteItem], family: Sequence[int]) -> int:
    """The version closest to all the others: the one the rest are compared with."""
    return max(
        family,
        key=lambda i: (
            sum(overlap(items[i].text, items[j].text, items[i].language)
                for j in family if j != i),
            -family.index(i),
        ),
    )
