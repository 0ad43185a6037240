"""Guess title, byline and publication date from the head of a plain-text article.

Articles copied from a browser keep the page's header lines: a skip link, the
headline, "By Newsroom", "Nov 26, 2024 4:27 AM", a section label and a view
counter run together with the first paragraph, and so on. Only those first
lines are read; a date or name quoted in the body is never taken for metadata.
Each guess is None when the lines do not say it clearly.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from dateutil import parser as dateparser

#: How many non-empty lines make up the head of an article.
HEAD_LINES = 10
#: Longer pieces of a line are prose, not a header field.
MAX_FIELD_CHARS = 80
#: A headline is a line of this many words or fewer (and at least MIN_TITLE_WORDS).
MAX_TITLE_WORDS = 30
MIN_TITLE_WORDS = 3
#: A byline names at most this many words ("Jean-Noël Barrot and Anna Smith").
MAX_BYLINE_WORDS = 8

# Lines a browser copy brings along that are not part of the article.
_BOILERPLATE = {
    "skip to content",
    "skip to main content",
    "skip to navigation",
    "jump to content",
    "menu",
    "main menu",
    "open menu",
    "close",
    "home",
    "search",
    "share",
    "share this article",
    "subscribe",
    "sign in",
    "log in",
    "login",
    "advertisement",
    "sponsored",
    "listen",
    "listen to this article",
    "print",
    "toggle navigation",
}

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_MONTH_FIRST = rf"(?:{_MONTHS})\.?\s+{_DAY},?\s+{_YEAR}"
_DAY_FIRST = rf"{_DAY}\.?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+{_YEAR}"
_ISO = rf"{_YEAR}-[01]\d-[0-3]\d"

_WORDY_DATE = re.compile(rf"\b(?:{_MONTH_FIRST}|{_DAY_FIRST})\b", re.IGNORECASE)
_ISO_DATE = re.compile(rf"(?<!\d){_ISO}(?!\d)")
_NUMERIC_DATE = re.compile(rf"\b(?P<a>\d{{1,2}})[./](?P<b>\d{{1,2}})[./](?P<y>{_YEAR})\b")

# Separators sites put between header fields on one line.
_FIELD_SEPARATORS = re.compile(r"\s*(?:\||//|•|·)\s*|\s+[–—]\s+")
_BYLINE = re.compile(
    r"^(?:written\s+by|by|author:|authors:|words\s+by)\s+(?P<name>.+?)[\s,;:]*$", re.IGNORECASE
)
# Words that may sit in lower case inside a name.
_NAME_PARTICLES = {
    "and", "&", "de", "del", "della", "der", "di", "da", "du", "la", "le", "van", "von", "y",
    "bin", "al", "el", "ten", "ter", "dos", "das",
}  # fmt: skip
_FINAL_PUNCTUATION = tuple(".,;:!?…")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Metadata:
    """What the first lines of an article say about it."""

    title: str | None
    byline: str | None
    published: datetime.date | None


def guess_metadata(text: str) -> Metadata:
    """Read title, byline and date from the header lines of a plain-text article."""
    head = _head_lines(text)
    byline = None
    published = None
    for line in head:
        for field in _fields(line):
            if byline is None:
                byline = _byline(field)
            if published is None:
                published = find_date(field)
    return Metadata(title=_title(head), byline=byline, published=published)


def find_date(value: str) -> datetime.date | None:
    """Return the calendar date written in a short piece of text, or None.

    Needs day, month and year. A numeric date is read the only way it makes
    sense (26/11/2024 day first, 11/26/2024 month first); one that could be
    either, such as 05/11/2024, gives None.
    """
    match = _WORDY_DATE.search(value)
    if match:
        return _parse_with_dateutil(match.group(0), dayfirst=False)
    match = _ISO_DATE.search(value)
    if match:
        try:
            return datetime.date.fromisoformat(match.group(0))
        except ValueError:
            return None
    match = _NUMERIC_DATE.search(value)
    if match:
        first, second, year = int(match["a"]), int(match["b"]), int(match["y"])
        if first != second and first <= 12 and second <= 12:
            return None
        day, month = (second, first) if second > 12 else (first, second)
        try:
            return datetime.date(year, month, day)
        except ValueError:
            return None
    return None


def parse_full_date(value: str, *, dayfirst: bool) -> datetime.date | None:
    """Parse a date with dateutil, or None if it is not one or lacks day, month or year.

    dateutil fills missing parts from a default; parsing against two different
    defaults reveals whether anything was filled in.
    """
    results = []
    for default in (datetime.datetime(2000, 1, 1), datetime.datetime(2001, 2, 2)):
        try:
            results.append(dateparser.parse(value, default=default, dayfirst=dayfirst).date())
        except (ValueError, OverflowError, TypeError):
            return None
    if results[0] != results[1]:
        return None
    return results[0]


def _parse_with_dateutil(value: str, *, dayfirst: bool) -> datetime.date | None:
    cleaned = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b|\bof\b", "", value, flags=re.IGNORECASE)
    return parse_full_date(cleaned, dayfirst=dayfirst)


def _head_lines(text: str) -> list[str]:
    lines = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line:
            lines.append(line)
        if len(lines) >= HEAD_LINES:
            break
    return lines


def _fields(line: str) -> list[str]:
    """Split a header line into its fields and keep the short ones.

    A line like "Ukraine | November 25, 2024, Monday // 16:12| viewsAt least..."
    carries several fields; the long piece is the start of the body.
    """
    return [part for part in _FIELD_SEPARATORS.split(line) if part and len(part) <= MAX_FIELD_CHARS]


def _byline(field: str) -> str | None:
    match = _BYLINE.match(field)
    if not match:
        return None
    name = match["name"].strip()
    words = name.split()
    if not words or len(words) > MAX_BYLINE_WORDS:
        return None
    for word in words:
        if word.lower() in _NAME_PARTICLES:
            continue
        if not word[0].isupper():
            return None
    if not words[0][0].isupper():
        return None
    return name


def _is_boilerplate(line: str) -> bool:
    return line.lower().strip(" .:»›>") in _BOILERPLATE


def _title(head: list[str]) -> str | None:
    """The headline: the first real line, if it is short and not a sentence.

    Skip links, one- or two-word section labels, bylines and date lines may come
    before it. If the first real line is prose, the text has no headline.
    """
    for line in head:
        if _is_boilerplate(line):
            continue
        fields = _fields(line)
        if fields and all(_byline(f) or find_date(f) for f in fields):
            continue
        words = _WORD.findall(line)
        if len(words) < MIN_TITLE_WORDS and not line.endswith(_FINAL_PUNCTUATION):
            continue
        if len(words) > MAX_TITLE_WORDS or line.endswith(_FINAL_PUNCTUATION):
            return None
        return line
    return None
