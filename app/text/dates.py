"""Dates written in running text, in English, French, Italian and German, with their precision.

Month names come from Babel's locale data (CLDR), so "20 janvier 2025", "20. Januar 2025" and
"January 20, 2025" all read as the same day, and "January 2025" as the same month at a coarser
precision. Relative dates ("last week", "on Monday") are not dates here: they name no day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel.dates import get_month_names

from app.text.words import fold

LANGUAGES = ("en", "fr", "it", "de")
# Languages whose month names are capitalised nouns; in the others a capital is only at a start.
_CAPITALISED = {"en", "de"}


@dataclass(frozen=True)
class DateMention:
    """A date as written, and its year, month and day where the text gives them."""

    start: int
    end: int
    text: str
    year: int | None
    month: int | None
    day: int | None

    @property
    def precision(self) -> int:
        """How many of day, month and year the text states."""
        return sum(v is not None for v in (self.year, self.month, self.day))

    def compatible(self, other: DateMention) -> bool:
        """No field that both state differs: "November" fits "23 November 2024"."""
        return all(
            a is None or b is None or a == b
            for a, b in ((self.year, other.year), (self.month, other.month),
                         (self.day, other.day))
        )

    def same(self, other: DateMention) -> bool:
        return (self.year, self.month, self.day) == (other.year, other.month, other.day)


def _month_table(language: str) -> dict[str, int]:
    """Spelling -> month number: wide names, abbreviations, and spellings without accents."""
    table: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in get_month_names(width, locale=language).items():
            name = name.rstrip(".")
            if width == "abbreviated" and len(name) < 3:
                continue
            for spelling in {name, fold(name) if language not in _CAPITALISED else name}:
                table[spelling] = number
    if language == "en":
        table["Sept"] = 9
    return table


_DAY = r"(?P<{n}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|er|\.|º)?"
_YEAR = r"(?P<{n}>(?:19|20)\d\d)(?!\d|\s?%)"


@lru_cache(maxsize=16)
def _pattern(languages: tuple[str, ...]) -> tuple[re.Pattern, dict[str, int]]:
    months: dict[str, int] = {}
    for language in languages:
        months.update(_month_table(language))
    # Longest first, so "Sept" is not read as "Sep" and "January" not as "Jan".
    names = sorted(months, key=len, reverse=True)
    lower = [n for n in names if n[0].islower()]
    upper = [n for n in names if n[0].isupper()]
    alternatives = []
    if upper:
        alternatives.append("|".join(re.escape(n) for n in upper))
    if lower:  # a lowercase month name may open a sentence with a capital
        alternatives.append("(?i:" + "|".join(re.escape(n) for n in lower) + ")")
    month = r"(?P<{n}>" + "|".join(alternatives) + r")\.?"

    def m(name: str) -> str:
        return month.format(n=name)

    joiner = r"(?:\s+(?:de|of|del|di)\s+|,?\s+)"
    pattern = (
        r"(?<![\w/.-])(?:"
        # 2024-11-25 and 25/11/2024, 25.11.2024
        rf"(?P<iy>(?:19|20)\d\d)-(?P<im>[01]\d)-(?P<id>[0-3]\d)"
        rf"|(?P<nd>[0-3]?\d)[/.](?P<nm>[01]?\d)[/.](?P<ny>(?:19|20)\d\d)"
        # 20 January 2025, 23. November, 1er décembre
        rf"|{_DAY.format(n='d1')}\s+(?:de\s+)?{m('m1')}(?:{joiner}{_YEAR.format(n='y1')})?"
        # January 20, 2025 and Nov. 22
        rf"|{m('m2')}\s+{_DAY.format(n='d2')}(?![\d:])(?:,?\s+{_YEAR.format(n='y2')})?"
        # January 2025, and a month alone
        rf"|{m('m3')}(?:{joiner}{_YEAR.format(n='y3')})?"
        # a year alone, unless a noun follows that it counts ("2000 soldiers")
        rf"|{_YEAR.format(n='y4')}(?!\s+[a-zà-ÿ])"
        r")(?![\w-])"
    )
    return re.compile(pattern), months


def _month_number(spelling: str, months: dict[str, int]) -> int:
    spelling = spelling.rstrip(".")
    if spelling in months:
        return months[spelling]
    folded = fold(spelling)
    return next(n for name, n in months.items() if fold(name) == folded)


@lru_cache(maxsize=16384)
def dates(text: str, languages: tuple[str, ...] = ("en",)) -> tuple[DateMention, ...]:
    """Every date in ``text``, reading month names of ``languages`` (English always)."""
    wanted = tuple(sorted({"en", *(lang for lang in languages if lang in LANGUAGES)}))
    pattern, months = _pattern(wanted)
    found = []
    for match in pattern.finditer(text):
        g = match.groupdict()
        if g["iy"]:
            year, month, day = int(g["iy"]), int(g["im"]), int(g["id"])
        elif g["ny"]:
            year, month, day = int(g["ny"]), int(g["nm"]), int(g["nd"])
        else:
            name = g["m1"] or g["m2"] or g["m3"]
            month = _month_number(name, months) if name else None
            day_text = g["d1"] or g["d2"]
            day = int(day_text) if day_text else None
            year_text = g["y1"] or g["y2"] or g["y3"] or g["y4"]
            year = int(year_text) if year_text else None
        if month is not None and not 1 <= month <= 12:
            continue
        end = match.end()
        if match.group().endswith(".") and match.group()[-2].isalpha() and len(
            match.group().split()[-1]
        ) > 5:  # "on 22 November." ends a sentence; "Nov." keeps its dot
            end -= 1
        found.append(DateMention(match.start(), end, text[match.start():end], year, month, day))
    return tuple(found)


def describe(date: DateMention) -> str:
    """The date in plain English, at the precision the text gave: "20 January 2025"."""
    months = get_month_names("wide", locale="en")
    parts = [str(date.day) if date.day else "", months[date.month] if date.month else "",
             str(date.year) if date.year else ""]
    return " ".join(p for p in parts if p)
