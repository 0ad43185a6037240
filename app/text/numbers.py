"""Figures written in digits, read the way each language writes them.

"55%", "55 %", "55 per cent" and "55 pour cent" are one figure; "1,5 million" in French and
"1.5 million" in English are one figure. Dates, times and designations such as "Su-24" are not
figures. Numbers written in words are left alone: "one" is too often a pronoun to compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.text.dates import dates

_PERCENT = r"(?:%|per\s?cent\b|percent\b|pour\s?cent\b|per\s?cento\b|prozent\b|pct\b)"
_SCALES = {
    "thousand": 1e3, "mille": 1e3, "tausend": 1e3,
    "million": 1e6, "millions": 1e6, "milione": 1e6, "milioni": 1e6, "millionen": 1e6,
    "mio": 1e6,
    "billion": 1e9, "billions": 1e9, "milliard": 1e9, "milliards": 1e9, "miliardo": 1e9,
    "miliardi": 1e9, "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "bn": 1e9,
}
_NUMBER = re.compile(
    r"(?<![\w.,\-/])(?P<n>\d{1,3}(?:(?P<sep>[,.\u00a0\u202f ])\d{3})(?:(?P=sep)\d{3})*"
    r"(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    rf"(?P<unit>\s?{_PERCENT})?"
    r"(?:\s(?P<scale>" + "|".join(_SCALES) + r")\b)?"
    r"(?![\w\-/]|[.,]\d|:\d)",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}[:h]\d{2}\b")
_DECIMAL_COMMA = {"fr", "it", "de"}


@dataclass(frozen=True)
class Figure:
    """A figure as written and its value; percentages are kept apart from counts."""

    start: int
    end: int
    text: str
    value: float
    percent: bool

    def same(self, other: Figure) -> bool:
        return abs(self.value - other.value) <= 1e-9 * max(abs(self.value), 1.0)

    def describe(self) -> str:
        number = f"{self.value:g}" if self.value < 1e6 else f"{self.value:,.0f}"
        return f"{number}%" if self.percent else number


def _value(digits: str, language: str | None) -> float:
    """Read separators the way the language writes them: "1,5" is 1.5 in French, "1,500" is
    1500 in English; a group of exactly three digits after a separator is thousands in both."""
    compact = digits.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    decimal = "," if language in _DECIMAL_COMMA else "."
    thousands = "." if decimal == "," else ","
    parts = re.split(r"[.,]", compact)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]) and (
        compact.count(thousands) or len(parts) > 2
    ):
        return float("".join(parts))
    return float(compact.replace(thousands, "").replace(decimal, "."))


@lru_cache(maxsize=16384)
def figures(text: str, language: str | None = None) -> tuple[Figure, ...]:
    """Every figure in ``text`` that is not part of a date or a time (kept per text: a claim's
    wording is compared with every outlet's)."""
    taken = [(d.start, d.end) for d in dates(text, (language,) if language else ("en",))]
    taken += [(m.start(), m.end()) for m in _TIME.finditer(text)]
    found = []
    for match in _NUMBER.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        value = _value(match.group("n"), language)
        if match.group("scale"):
            value *= _SCALES[match.group("scale").lower()]
        found.append(
            Figure(match.start(), match.end(), match.group().strip(), value,
                   bool(match.group("unit")))
        )
    return tuple(found)
