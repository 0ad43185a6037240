"""Split an article into sentences as character spans, each marked content, heading or boilerplate.

Spans always index the original text (``text[start:end]`` is the sentence), so the original is
never rewritten. Sentence boundaries come from sentencex, which knows the abbreviations of many
languages; each line of the text is segmented on its own because saved articles put titles,
bylines and datelines on lines of their own without final punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import sentencex
from dateparser.search import search_dates

Kind = Literal["content", "heading", "boilerplate"]

# Pointers to other articles ("Read also" and its kin), in the languages the desk reads.
_POINTERS = "|".join((
    r"read\ (also|more|next)", r"related", r"see\ also", r"more\ on\ this( story)?",
    r"further\ reading",
    r"(à\ )?lire\ (aussi|également)", r"voir\ aussi", r"sur\ le\ même\ sujet",
    r"lesen\ sie\ (auch|mehr)", r"mehr\ zum\ thema", r"auch\ interessant",
    r"le[ae]r?\ (también|más)", r"ver\ también", r"te\ puede\ interesar",
    r"leggi\ anche", r"vedi\ anche", r"leia\ (também|mais)", r"veja\ também", r"saiba\ mais",
    r"lees\ (ook|meer)", r"bekijk\ ook", r"(czytaj|zobacz|przeczytaj)\ (też|także|również)",
    r"читайте\ (также|також|по\ теме)", r"смотрите\ также", r"дивіться\ також", r"по\ темі",
))
# Web chrome and reading aids that saved pages carry along, in the languages the desk reads.
_CHROME = re.compile(
    r"""^\W*(
        skip\ to\ (main\ )?content | back | share( this)? | print | advertisement | sponsored
        | related\ (articles|stories)
        | you\ (will|may|might)\ (also\ )?(be\ interested|like) | recommended( for\ you)?
        | subscribe.* | sign\ up.* | follow\ us.* | comments? | tags?
        | last\ updated.* | updated.* | published.*
        | (publié|mis\ à\ jour|veröffentlicht|aktualisiert|publicado|actualizado|pubblicato
          |aggiornato|atualizado|gepubliceerd|bijgewerkt|opublikowano|aktualizacja
          |опубликовано|обновлено|опубліковано|оновлено)\b.*
        | partager | teilen | compartir | compartilhar | partilhar | condividi | delen
        | udostępnij | поделиться | поділитися
        | """
    + _POINTERS
    + r"""
    )\W*$""",
    re.IGNORECASE | re.VERBOSE,
)
_LIST_INTRO = re.compile(r"^\W*(" + _POINTERS + r")\W*$", re.IGNORECASE | re.VERBOSE)
#: A pointer to another article: its marker, a separator, the other article's title.
_RELATED = re.compile(
    r"^\W*(" + _POINTERS + r"|watch|listen)\s*([:|>»]|\s[–—-])", re.IGNORECASE | re.VERBOSE
)
#: A credit line: a picture credit word followed by its source, or a copyright sign.
_CREDIT_LINE = re.compile(
    r"^\W*(photos?|fotos?|fot|фото|світлина|zdjęcie|bild|imagen|immagine|image|video|crédit\ photo"
    r"|credits?|crédits?|quelle|source|джерело|источник)\s*[.:]\s*\S|^\W*©",
    re.IGNORECASE | re.VERBOSE,
)
_BYLINE_PREFIX = re.compile(
    r"^(by|par|di|von|por|door|від|автор|autor|auteur)(\s*:)?\s+", re.IGNORECASE
)
_NAME_JOINERS = {"and", "et", "e", "und", "y", "i", "і", "de", "van", "von", "da", "di", "du", "le"}
_CREDIT = re.compile(
    r"^\(?\s*((\w+\s+){0,3}(photo|foto|image|picture|crédit|credit)s?\b.*|©.*)\)?$",
    re.IGNORECASE,
)
# Fields between bars at the start of a line ("Kyiv | 25 November 2024 | 16:12 |"), with a
# lowercase word the page glued to the first sentence ("| viewsAt least").
_PIPED_LEAD = re.compile(r"(?:[^|\n]{1,40}\|){2,6}[ \t]*(?:[^\W\d_]+(?=[A-Z][a-z]))?")
_READING_TIME = re.compile(r"^\d+\s*(min|mins|minutes?)(\s+read)?$", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^\s*([-–—•*·]|\d+[.)])\s+")
_TERMINAL = re.compile(r"[.!?…:;\"'”»“)]\s*$")
#: What makes a date of a number: joined to another ("25/11/2024", "19:41", "19h41") or next
#: to a word of three letters or more (a month, a weekday, "hours ago").
_DATE_PART = re.compile(r"\d\s*[./:h-]\s*\d|[^\W\d_]{3,}", re.IGNORECASE)
_DATE_FILLER = re.compile(r"[\W\d_]+|\b(am|pm|at|on|the|of|gmt|utc|cet|est|views?)\b", re.I)

HEADING_MAX_WORDS = 16
#: Words past which a span is taken for sentences run together by a quotation mark left open.
LONG_SENTENCE_WORDS = 60
_HIDDEN_QUOTES = str.maketrans({c: "*" for c in "“”«»„\""})
_CLOSING = re.compile(r"[”»\"]+")


@dataclass(frozen=True)
class Segment:
    """One sentence: a half-open character span into the article text, and what it is."""

    start: int
    end: int
    kind: Kind

    def text_of(self, source: str) -> str:
        return source[self.start : self.end]


def segment(text: str, language: str | None = None) -> list[Segment]:
    """Split ``text`` into sentence spans in reading order, classified."""
    lang = language or "en"
    segments: list[Segment] = []
    in_link_list = False
    for line_start, line in _lines(text):
        stripped = line.strip()
        if not stripped:
            in_link_list = False
            continue
        spans = list(_sentences(line, line_start, lang))
        listed = in_link_list and bool(_LIST_ITEM.match(stripped))
        if not listed:
            in_link_list = bool(_LIST_INTRO.match(stripped))
        if listed or is_furniture_line(stripped):
            segments.extend(Segment(s, e, "boilerplate") for s, e in spans)
            continue
        single = len(spans) == 1
        for n, (start, end) in enumerate(spans):
            cut = leading_dateline(text[start:end], lang) if n == 0 else 0
            if cut:
                segments.append(Segment(*_trim(text, start, start + cut), "boilerplate"))
                start, _ = _trim(text, start + cut, end)
            kind = classify(text[start:end], whole_line=single and not cut, language=lang)
            segments.append(Segment(start, end, kind))
    return segments


def leading_dateline(sentence: str, language: str | None = None) -> int:
    """How many characters of ``sentence`` are a dateline run into it by the page ("Ukraine |
    November 25, 2024, Monday // 16:12| viewsAt least two nations…"): fields between bars that
    read as a date, with the view counter's word glued to the first sentence; 0 when none."""
    lead = _PIPED_LEAD.match(sentence)
    if not lead or lead.end() == len(sentence) or not is_dateline(lead.group(), language):
        return 0
    return lead.end()


def is_furniture_line(line: str) -> bool:
    """A whole line that points to another article ("Read also: <its title>", "Читайте
    також: …") or credits a picture ("Fot. PAP"), however the segmenter cuts it: the other
    article's title often names the same story, and must not be linked as this one's."""
    return bool(_RELATED.match(line)) or is_credit(line)


def classify(sentence: str, whole_line: bool = False, language: str | None = None) -> Kind:
    """Tell page furniture (bylines, datelines, credits, link lists) and headings from content.

    ``whole_line`` says the sentence stands alone on its line, which is what headings,
    bylines and datelines do; ``language`` lets a date be read in the article's language.
    """
    s = sentence.strip()
    if _CHROME.match(s) or _READING_TIME.match(s) or is_credit(s):
        return "boilerplate"
    if whole_line:
        if is_byline(s, language) or is_dateline(s, language):
            return "boilerplate"
        if not _TERMINAL.search(s) and len(s.split()) <= HEADING_MAX_WORDS:
            return "heading"
    return "content"


def is_credit(text: str) -> bool:
    """ "Photo: AFP", "Fot. PAP", "© Le Monde", "(Reuters photo)": a picture credit word
    followed by its source, or a short line naming one; not a sentence about photos
    ("Photos of the meeting show…")."""
    return bool(_CREDIT_LINE.match(text)) or (
        bool(_CREDIT.match(text)) and len(text.split()) <= 6
    )


def is_byline(line: str, language: str | None = None) -> bool:
    """ "By Jane Doe", "par Jean Dupont et Marie Curie": a credit word, then only names, and
    maybe the date the page puts on the same line ("By Defence Staff | 25 November 2024")."""
    prefix = _BYLINE_PREFIX.match(line)
    if not prefix:
        return False
    rest = line[prefix.end() :]
    names, end = 0, 0
    for word in re.finditer(r"[^\s,|]+", rest):
        text = word.group()
        if text.lower() not in _NAME_JOINERS:
            if not text[:1].isupper() or any(ch.isdigit() for ch in text):
                break
            names += 1
        end = word.end()
    tail = rest[end:].strip(" \t,|·•–—-")
    return 0 < names <= 6 and (not tail or is_dateline(tail, language))


def is_dateline(line: str, language: str | None = None) -> bool:
    """A line that is a date (and maybe a time or a place), with next to no other words;
    read in English and in ``language`` ("25 ноября 2024, 19:41", "Lunedì 25 novembre").

    A bare number is no date: "Su-24 bombers", "G7 summit" or "DCI à 55 %" are headings, so
    the date found must name a month, a weekday or a span of time ("2 hours ago"), or join
    its numbers ("25/11/2024", "19:41")."""
    words = _DATE_FILLER.sub(" ", line).split()
    if len(words) > 4 or not any(ch.isdigit() for ch in line):
        return False
    return any(
        _DATE_PART.search(found) and any(ch.isdigit() for ch in found)
        for found in _dates_in(line, language)
    )


#: Languages whose date reading is loaded ahead (``load_date_reader``): those the desk reads.
DESK_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk")


def load_date_reader(languages: tuple[str, ...] = DESK_LANGUAGES) -> None:
    """Load the date reader's data for ``languages`` now rather than on a text's first short
    line: about 0.1 s for English and 0.01 s for each other language, which every process
    forked to segment an upload would otherwise pay again."""
    for language in languages:
        _dates_in("25 November 2024", language)


def _dates_in(line: str, language: str | None) -> list[str]:
    """The pieces of ``line`` that read as dates in English or ``language`` (English only
    for a language the date reader does not know)."""
    languages = ["en"] if not language or language == "en" else [language, "en"]
    try:
        found = search_dates(line, languages=languages)
    except ValueError:
        found = search_dates(line, languages=["en"]) if languages != ["en"] else None
    return [text for text, _ in found or ()]


def _lines(text: str):
    """Yield (offset, line) for every line, without the line break."""
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85")
        yield offset, body
        offset += len(line)


def _sentences(line: str, offset: int, language: str):
    """Yield (start, end) spans of the sentences of one line, trimmed of surrounding space.

    The segmenter never splits inside quotation marks, so a quote left open (a typo, a cut
    text) swallows every sentence up to the next closing mark. A span longer than any sentence
    a writer makes is split again with its marks hidden, each closing mark then kept with the
    sentence it closes."""
    for start, end in _pieces(line, language):
        if len(line[start:end].split()) <= LONG_SENTENCE_WORDS:
            yield offset + start, offset + end
            continue
        span = line[start:end]
        kept: list[tuple[int, int]] = []
        for a, b in _pieces(span.translate(_HIDDEN_QUOTES), language):
            closing = _CLOSING.match(span, a, b)
            if kept and closing:
                kept[-1] = (kept[-1][0], closing.end())
                a, b = _trim(span, closing.end(), b)
            if a < b:
                kept.append((a, b))
        for a, b in kept:
            yield offset + start + a, offset + start + b


def _pieces(line: str, language: str) -> list[tuple[int, int]]:
    pieces: list[list[int]] = []
    for b in sentencex.get_sentence_boundaries(language, line):
        start, end = _trim(line, b["start_index"], b["end_index"])
        if start >= end:
            continue
        if pieces and _continues(line[pieces[-1][0] : pieces[-1][1]], line[start:end]):
            pieces[-1][1] = end
        else:
            pieces.append([start, end])
    if not pieces:
        start, end = _trim(line, 0, len(line))
        if start < end:
            pieces.append([start, end])
    return [(start, end) for start, end in pieces]


_INITIAL = re.compile(r"(^|\s)\w\.$")


def _continues(previous: str, piece: str) -> bool:
    """A split that no language makes: after a lone initial ("M.", "J.") or before a lowercase
    word, which would mean an abbreviation the segmenter did not know ("nov. à Londres")."""
    first = piece.lstrip("\"'“”«»„‘’([ ")[:1]
    return bool(_INITIAL.search(previous)) or (first.isalpha() and first.islower())


def _trim(line: str, start: int, end: int) -> tuple[int, int]:
    while start < end and line[start].isspace():
        start += 1
    while end > start and line[end - 1].isspace():
        end -= 1
    return start, end
