"""Quoted passages of a sentence, in the quotation marks of the languages the desk reads."""

from __future__ import annotations

import re

# “…” "…" «…» „…“ „…” ‘…’ (the last only around several words, so apostrophes are not quotes)
_QUOTED = re.compile(
    r"“([^”]+)”|\"([^\"]+)\"|«\s?([^»]+?)\s?»|„([^“”]+)[“”]|‘([^’]+\s[^’]+)’"
)


def quoted(text: str) -> list[str]:
    """The passages inside quotation marks, in order, without the marks."""
    return [next(g for g in m.groups() if g).strip() for m in _QUOTED.finditer(text)]
