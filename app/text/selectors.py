"""Addresses for a passage of an article that survive a new segmentation.

Sentence ids and offsets change when an article is cut into sentences differently; the words do
not. Each sentence is therefore also addressed as the W3C Web Annotation model does: a
TextQuoteSelector (the exact text with a little context either side) that finds the passage
again in the unchanged original, and a TextPositionSelector recording where it was.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: Characters of context kept either side of the quote, enough to tell repeated phrases apart.
CONTEXT = 32

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class TextQuote:
    exact: str
    prefix: str
    suffix: str


def quote_for(text: str, start: int, end: int, context: int = CONTEXT) -> TextQuote:
    return TextQuote(
        exact=text[start:end], prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def selectors(text: str, start: int, end: int) -> list[dict]:
    """The two W3C selectors of the span ``text[start:end]``, as JSON objects."""
    quote = quote_for(text, start, end)
    return [
        {"type": "TextQuoteSelector", "exact": quote.exact, "prefix": quote.prefix,
         "suffix": quote.suffix},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def _pattern(exact: str) -> re.Pattern | None:
    words = exact.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text)


def _shared_tail(a: str, b: str) -> int:
    """How many characters the two strings share at their ends."""
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _shared_head(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def locate(
    text: str, exact: str, prefix: str = "", suffix: str = "", near: int | None = None
) -> tuple[int, int] | None:
    """Where the quote is in ``text``: of the places that read ``exact`` (white space may
    differ), the one whose surroundings agree best with ``prefix`` and ``suffix``; then the
    one closest to ``near``, then the first. None when the text does not contain it."""
    pattern = _pattern(exact)
    if pattern is None:
        return None
    before, after = _fold(prefix), _fold(suffix)
    best, best_key = None, None
    for match in pattern.finditer(text):
        start, end = match.span()
        context_before = _fold(text[max(0, start - 2 * len(prefix)) : start])
        context_after = _fold(text[end : end + 2 * len(suffix)])
        agreement = _shared_tail(before, context_before) + _shared_head(after, context_after)
        distance = abs(start - near) if near is not None else 0
        key = (-agreement, distance, start)
        if best_key is None or key < best_key:
            best, best_key = (start, end), key
    return best


def covering(spans: Sequence[tuple[int, int]], start: int, end: int) -> int | None:
    """Index of the span that holds most of ``[start, end)``: the sentence a quote now falls
    in, even when sentences were split or merged since it was made. Ties go to the first; a
    quote that touches no span (only white space between sentences) gets the next one."""
    best, best_overlap = None, 0
    for index, (s, e) in enumerate(spans):
        overlap = min(e, end) - max(s, start)
        if overlap > best_overlap:
            best, best_overlap = index, overlap
    if best is None:
        following = [i for i, (s, _e) in enumerate(spans) if s >= end]
        best = min(following, key=lambda i: spans[i][0]) if following else None
    return best
