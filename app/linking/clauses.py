"""Split a sentence into clauses, because one long sentence often merges two claims."""

from __future__ import annotations

import re

# Clause boundaries common to European languages: semicolons, colons, dashes, commas followed
# by a connective, and opening/closing quotation marks.
_BOUNDARY = re.compile(
    r"""\s*[;:]\s+ | \s+[–—]\s+ | (?<=[.!?])\s+(?=[«“"„A-ZÀ-ÖØ-ÞА-ЯΑ-Ω])
      | ,\s+(?=(?:and|but|yet|so|while|which|who|as|with|including|particularly|especially
                |because|after|following|since|although|though|most\ of\ which
                |et|mais|tandis|alors|qui|dont|notamment|e|ma|mentre|che|und|aber|während
                |die|der|das|y|pero|mientras|que|і|та|але|який|яка|και|αλλά|ενώ|που)\b)
    """,
    re.VERBOSE,
)
# A sentence opening on a subordinate clause ("While X, Y") splits at the comma that ends it.
_LEADING = re.compile(
    r"""^((?:while|although|though|whereas|even\ though|alors\ que|bien\ que|tandis\ que|mentre
        |sebbene|benché|während|obwohl)\b[^,]{10,}),\s+""",
    re.VERBOSE | re.IGNORECASE,
)
MIN_CLAUSE_WORDS = 4
# An aside set off by two commas ("these talks, most of which remain classified, resurfaced")
# often carries a claim of its own; longer stretches between commas are main clauses.
_COMMA = re.compile(r",\s+")
MAX_ASIDE_WORDS = 10
# A "sentence" far longer than any a writer makes (a transcript, a list without full stops) is
# not read for asides: each would be a reading as long as itself, and encoding its length
# costs as much as a whole article's sentences.
MAX_ASIDED_SENTENCE_WORDS = 80


def split_clauses(text: str) -> list[str]:
    """Clauses of ``text`` with at least a few words each; [] when it does not split."""
    lead = _LEADING.match(text)
    parts = [lead.group(1), text[lead.end() :]] if lead else [text]
    pieces = [p.strip(" ,;:\"'“”«»„") for part in parts for p in _BOUNDARY.split(part)]
    merged: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        short = len(piece.split()) < MIN_CLAUSE_WORDS
        if merged and (short or len(merged[-1].split()) < MIN_CLAUSE_WORDS):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    return merged if len(merged) > 1 else []


def asides(text: str) -> list[str]:
    """Each short stretch of ``text`` set off by two commas, then the sentence without it.

    Unlike ``split_clauses`` these overlap, so they serve as extra readings of a sentence
    that may carry a second claim, not as its parts; no word lists, so every language splits.
    """
    if len(text.split()) > MAX_ASIDED_SENTENCE_WORDS:
        return []
    commas = list(_COMMA.finditer(text))
    out: list[str] = []
    for before, after in zip(commas, commas[1:], strict=False):
        aside = text[before.end() : after.start()].strip(" \"'“”«»„")
        if 2 <= len(aside.split()) <= MAX_ASIDE_WORDS:
            out += [aside, f"{text[: before.start()]} {text[after.end() :]}"]
    return list(dict.fromkeys(out))
