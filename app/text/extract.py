"""Turn an uploaded file into article text plus what it says about itself.

Uploads are judged by their content only: the file name and the browser's
Content-Type are chosen by the client and prove nothing. Accepted are plain
text, Markdown and web pages saved from a browser; anything else is refused
with an ExtractError whose message can be shown to the journalist as is.

HTML is reduced to the article by trafilatura in a separate process (see
``_run_bounded``), and text is split into sentences the same way
(``segment_within``): a hostile or pathological input can make a parser spin,
and a thread cannot be stopped, but a process can be killed when the time
limit passes.
"""

from __future__ import annotations

import datetime
import multiprocessing
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from html import unescape
from multiprocessing.connection import Connection
from typing import Any
from urllib.parse import urlsplit

from babel import Locale

from app.text.language import detect_language
from app.text.metadata import find_date, guess_metadata, parse_full_date
from app.text.segment import Segment, segment

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0
#: Share of control characters above which decoded bytes are not text.
MAX_CONTROL_SHARE = 0.01
#: A page that yields fewer words than this held only menus or buttons, not an article.
MIN_HTML_WORDS = 5
#: A Markdown heading longer than this is not a headline.
MAX_HEADING_CHARS = 300
#: Longest file name shown back to the user.
MAX_DISPLAY_NAME = 120

_WORDS = re.compile(r"\w+")
_ACCEPTED = (
    "Please upload the article as plain text (.txt), Markdown (.md) or a saved web page (.html)."
)

# Signatures of common binary formats: (prefix, offset, what to call it).
_MAGIC: list[tuple[bytes, int, str]] = [
    (b"%PDF-", 0, "a PDF document"),
    (b"PK\x03\x04", 0, "a ZIP archive or Office document (such as .docx)"),
    (b"PK\x05\x06", 0, "a ZIP archive"),
    (b"PK\x07\x08", 0, "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "an old Office document (such as .doc)"),
    (b"{\\rtf", 0, "a Rich Text (RTF) document"),
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"WEBP", 8, "a WebP image"),
    (b"II*\x00", 0, "a TIFF image"),
    (b"MM\x00*", 0, "a TIFF image"),
    (b"\x1f\x8b", 0, "a gzip archive"),
    (b"BZh", 0, "a bzip2 archive"),
    (b"\xfd7zXZ\x00", 0, "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", 0, "a Zstandard archive"),
    (b"ftyp", 4, "a video or audio file"),
    (b"ID3", 0, "an MP3 audio file"),
    (b"OggS", 0, "an audio or video file"),
    (b"\x7fELF", 0, "a program"),
    (b"MZ", 0, "a Windows program"),
    (b"\x00asm", 0, "a WebAssembly program"),
    (b"SQLite format 3\x00", 0, "an SQLite database"),
]

_BOMS: list[tuple[bytes, str]] = [
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
]

# Control characters (Unicode category Cc) other than tab, line and page breaks.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


class ExtractError(ValueError):
    """An upload or typed value that cannot be used; ``message`` is for the journalist."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Extracted:
    """An article as received and as read."""

    raw: str
    text: str
    format: str
    title: str | None
    byline: str | None
    published: datetime.date | None
    language: str | None
    outlet: str | None = None


# --------------------------------------------------------------------------- decoding


def decode(data: bytes, label: str = "This file") -> str:
    """Decode uploaded bytes to text, refusing anything that is not text.

    UTF-8 (with or without BOM) and BOM-marked UTF-16/32 are read exactly.
    Other bytes are read as Windows-1252 (or Latin-1 for the few bytes it
    leaves undefined), which is what older Western tools save; the result is
    kept only if it reads like text. ``label`` names the file in messages.
    """
    kind = _binary_kind(data)
    if kind:
        raise ExtractError(f"{label} is {kind}, not text. {_ACCEPTED}", 415)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise ExtractError(
                    f"{label} says it is {encoding.upper()} text but cannot be read as such. "
                    f"{_ACCEPTED}",
                    415,
                ) from None
            _check_looks_like_text(text, label)
            return text
    if b"\x00" in data:
        raise ExtractError(f"{label} contains binary data, not text. {_ACCEPTED}", 415)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    _check_looks_like_text(text, label)
    return text


def _binary_kind(data: bytes) -> str | None:
    for magic, offset, kind in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return kind
    return None


def _check_looks_like_text(text: str, label: str) -> None:
    if "\x00" in text:
        raise ExtractError(f"{label} contains binary data, not text. {_ACCEPTED}", 415)
    if not text:
        return
    controls = len(_CONTROL_CHARS.findall(text))
    if controls / len(text) > MAX_CONTROL_SHARE:
        raise ExtractError(
            f"{label} is full of control characters, so it is not readable text. {_ACCEPTED}",
            415,
        )


# --------------------------------------------------------------------------- format sniffing

_DOCUMENT_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|article|main|section|header|footer|nav|aside|div|span|p|br|hr|a|"
    r"h[1-6]|ul|ol|li|table|tr|td|th|blockquote|figure|figcaption|img|meta|title|link|"
    r"script|style|em|strong|b|i|time|form|iframe|noscript)(?:\s[^<>]*)?/?>",
    re.I,
)
_STRUCTURAL_TAG = re.compile(r"<(?:body|head|article)[\s>]", re.I)
_MD_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+\S")
_MD_SETEXT_RULE = re.compile(r" {0,3}={3,}[ \t]*")
_MD_FENCE = re.compile(r"^ {0,3}(?:```|~~~)", re.M)
# Lengths are bounded so that unclosed brackets cannot make matching slow.
_MD_INLINE = re.compile(
    r"!?\[[^\]\n]{1,300}\]\([^)\s]{1,500}\)|\*\*[^*\n]{1,300}\*\*|__[^_\n]{1,300}__|`[^`\n]{1,300}`"
)
#: The format is judged on the start of the text; a document's markup shows early.
SNIFF_CHARS = 64 * 1024


def sniff_format(text: str) -> str:
    """Tell "html", "markdown" or "text" from the content itself.

    HTML: the text opens as an HTML document, or it has body/head/article
    tags, or HTML tags appear on at least half of its lines. Markdown: a
    heading, or at least two pieces of markup that plain text does not use
    (links, bold, inline code, code fences). Dash lists and "> " quotes alone
    do not count: saved plain-text articles have them too.
    """
    sample = text[:SNIFF_CHARS]
    if _DOCUMENT_START.match(sample):
        return "html"
    lines = [line.strip() for line in sample.splitlines() if line.strip()]
    if not lines:
        return "text"
    tags = _HTML_TAG.findall(sample)
    if len(tags) >= 2:
        if _STRUCTURAL_TAG.search(sample):
            return "html"
        tagged_lines = sum(1 for line in lines if _HTML_TAG.search(line))
        if tagged_lines * 2 >= len(lines):
            return "html"
    if any(level for level, _ in _markdown_headings(sample)):
        return "markdown"
    if len(_MD_FENCE.findall(sample)) + len(_MD_INLINE.findall(sample)) >= 2:
        return "markdown"
    return "text"


def _markdown_headings(text: str):
    """Yield (level, heading text) for ATX ("# Title") and setext ("Title / ===") headings."""
    previous = ""
    for line in text.splitlines():
        match = _MD_HEADING.match(line)
        if match:
            heading = line.strip()[len(match.group(1)) :].strip()
            closed = heading.rstrip("#")
            if closed != heading and (not closed or closed[-1].isspace()):
                heading = closed.strip()
            yield len(match.group(1)), heading
        elif previous.strip() and _MD_SETEXT_RULE.fullmatch(line):
            yield 1, previous.strip()
        previous = line


# --------------------------------------------------------------------------- file names


def display_name(filename: str | None) -> str:
    """A file name safe to show: no folders, no control or direction characters.

    The name is only ever displayed; it is never used to open a file or to
    decide how the content is read.
    """
    name = re.split(r"[\\/]", filename or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf"})
    name = unicodedata.normalize("NFC", name).strip().strip(".").strip()
    if not name:
        return "untitled"
    if len(name) > MAX_DISPLAY_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = f"{stem[: MAX_DISPLAY_NAME - len(ext) - 2]}….{ext}"
        else:
            name = f"{name[: MAX_DISPLAY_NAME - 1]}…"
    return name


# --------------------------------------------------------------------------- extraction


def extract(
    data: bytes | str,
    filename: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
) -> Extracted:
    """Read an upload (or pasted text) into an Extracted article.

    ``filename`` is used only to name the file in error messages. Raises
    ExtractError for empty, oversized, binary or unreadable input, for web
    pages without article text, and when reading a page takes longer than
    ``timeout`` seconds.
    """
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if filename:
        label = f"“{display_name(filename)}”"
    else:
        label = "The file" if isinstance(data, bytes) else "The text"
    if size > max_bytes:
        raise ExtractError(
            f"{label} is {_human_size(size)}, more than the {_human_size(max_bytes)} "
            "an article may have. Save only the article itself and try again.",
            413,
        )
    if isinstance(data, bytes):
        raw = decode(data, label)
    else:
        raw = data.removeprefix("\ufeff")
        _check_looks_like_text(raw, label)
    if not raw.strip():
        raise ExtractError(f"{label} is empty: there is no article text in it.", 400)

    fmt = sniff_format(raw)
    if fmt == "html":
        page = f"the web page “{display_name(filename)}”" if filename else "the web page"
        return _extract_html(raw, page, timeout)
    if fmt == "markdown":
        return _extract_markdown(raw)
    meta = guess_metadata(raw)
    return Extracted(
        raw=raw,
        text=raw,
        format="text",
        title=meta.title,
        byline=meta.byline,
        published=meta.published,
        language=detect_language(raw),
    )


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


_MD_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+)|[*_`]+", re.M)


def _extract_markdown(raw: str) -> Extracted:
    """Markdown is kept as written; only its headline is read from the markup."""
    heading = next((text for level, text in _markdown_headings(raw) if level == 1), None)
    meta = guess_metadata(_MD_MARKUP.sub("", raw))
    if heading and len(heading) <= MAX_HEADING_CHARS:
        title = _strip_inline_markup(heading)
    else:
        title = meta.title
    return Extracted(
        raw=raw,
        text=raw,
        format="markdown",
        title=title or None,
        byline=meta.byline,
        published=meta.published,
        language=detect_language(raw),
    )


def _strip_inline_markup(value: str) -> str:
    value = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", value)
    return re.sub(r"[*_`]+", "", value).strip()


def _extract_html(raw: str, page: str, timeout: float) -> Extracted:
    try:
        result = _run_bounded(html_article, (raw,), timeout)
    except TimeoutError:
        raise ExtractError(
            f"Reading {page} took longer than {timeout:g} seconds and was "
            "stopped. Save the article as plain text and upload that instead.",
            422,
        ) from None
    except _WorkerFailed:
        raise ExtractError(
            f"{page[0].upper()}{page[1:]} could not be read. "
            "Save the article as plain text and upload that instead.",
            422,
        ) from None
    text = result["text"]
    if len(_WORDS.findall(text)) < MIN_HTML_WORDS:
        raise ExtractError(
            f"No article text was found in {page}. "
            "Copy the article into a plain text file and upload that instead.",
            422,
        )
    published = None
    if result["date"]:
        try:
            published = datetime.date.fromisoformat(result["date"])
        except ValueError:
            published = None
    return Extracted(
        raw=raw,
        text=text,
        format="html",
        title=result["title"],
        byline=result["author"],
        published=published,
        language=detect_language(text) or declared_language(result["language"]),
        outlet=result["site"],
    )


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# A doctype, including an internal subset that could declare entities.
_DOCTYPE = re.compile(r"<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.I | re.S)
_ENTITY_DECLARATION = re.compile(r"<!ENTITY[^>]*>", re.I)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.I)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.I | re.S)
# What separates a page title from the site's name: "Title | Site", "Title – Site".
_TITLE_SEPARATOR = re.compile(r"^\s*[|–—:·•-]\s*")
#: Most words a site name read off a page title may have.
MAX_SITE_WORDS = 5
_META_LANG = re.compile(
    r"<meta\b[^>]*?http-equiv\s*=\s*[\"']?content-language[\"']?[^>]*?"
    r"content\s*=\s*[\"']?([A-Za-z]{2,3})\b",
    re.I,
)


def html_article(html: str) -> dict[str, Any]:
    """Reduce a web page to its article text and metadata with trafilatura.

    Runs on the string only: no URL is given, so nothing is fetched; the
    doctype is replaced so no entity or external DTD can be declared; scripts
    are dropped by the parser, never run. Paragraphs come back separated by a
    blank line. Dates come only from the page's markup (htmldate's
    extensive text search is off), as a date guessed from prose is worse than none.
    """
    from trafilatura import bare_extraction

    cleaned = _ENTITY_DECLARATION.sub("", _DOCTYPE.sub("", _XML_DECLARATION.sub("", html)))
    document = bare_extraction(
        "<!DOCTYPE html>\n" + cleaned,
        url=None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        deduplicate=False,
        date_extraction_params={
            "extensive_search": False,
            "original_date": True,
            "max_date": datetime.date.today().isoformat(),
        },
    )
    if document is None:
        return {
            "text": "", "title": None, "author": None, "date": None, "language": None,
            "site": None,
        }
    paragraphs = [" ".join(line.split()) for line in (document.text or "").splitlines()]
    lang = _HTML_LANG.search(html) or _META_LANG.search(html)
    return {
        "text": "\n\n".join(p for p in paragraphs if p),
        "title": _clean(document.title),
        "author": _clean(document.author),
        "date": document.date if document.date and find_date(document.date) else None,
        "language": lang.group(1).lower() if lang and len(lang.group(1)) == 2 else None,
        "site": _clean(document.sitename) or _title_suffix(html, _clean(document.title)),
    }


def _title_suffix(html: str, title: str | None) -> str | None:
    """The site's name a page title carries after the article's ("Troops for Kyiv | The
    Daily Ledger"), which trafilatura takes off the title; None when there is none."""
    found = _TITLE.search(html)
    if not found or not title:
        return None
    whole = _clean(unescape(found.group(1))) or ""
    if not whole.startswith(title):
        return None
    rest = whole[len(title):]
    separator = _TITLE_SEPARATOR.match(rest)
    site = _clean(rest[separator.end():]) if separator else None
    return site if site and len(site.split()) <= MAX_SITE_WORDS else None


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


# --------------------------------------------------------------------------- time limit


class _WorkerFailed(Exception):
    """The worker process raised or died."""


#: Modules the helper process imports once, so that each worker forked from it has them.
HELPER_PRELOAD = ("app.cli", "trafilatura", "app.text.preload", __name__)


def _mp_context() -> multiprocessing.context.BaseContext:
    """A start method that is safe in a threaded server.

    Forking a process that runs threads can copy held locks; "forkserver"
    forks from a clean helper process instead, with trafilatura already
    imported so each call starts quickly. "spawn" is the portable fallback.

    Each child also runs the parent's main script again (the helper process is
    not given it to import once). For ``provenance`` that script imports
    ``app.cli`` and with it the database layer, about 0.2 s per upload unless
    the helper has imported it already. ``app.text.preload`` also loads the
    date reader's data, another 0.1 s per upload otherwise.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(HELPER_PRELOAD))
        return context
    return multiprocessing.get_context("spawn")


def _call_into(conn: Connection, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result = (True, func(*args))
    except BaseException as exc:  # reported to the parent, which raises its own error
        result = (False, f"{type(exc).__name__}: {exc}")
    conn.send(result)
    conn.close()


def _run_bounded(func: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Any:
    """Run ``func(*args)`` in a child process; kill it after ``timeout`` seconds.

    ``func`` must be importable by name (a module-level function). As with any
    multiprocessing start method other than fork, a script that calls this at
    import time must do so under ``if __name__ == "__main__":``. Raises
    TimeoutError when time runs out (the worker's start included) and _WorkerFailed
    when the process could not start, the call raised, or the process died.
    """
    deadline = time.monotonic() + timeout  # starting the worker counts: the uploader waits
    context = _mp_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_call_into, args=(sender, func, args), daemon=False)
    try:
        process.start()
    except (OSError, RuntimeError) as exc:
        receiver.close()
        raise _WorkerFailed(f"the worker process could not start: {exc}") from exc
    finally:
        sender.close()
    try:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not receiver.poll(remaining):
            raise TimeoutError
        try:
            ok, value = receiver.recv()
        except EOFError:
            raise _WorkerFailed("the worker process ended without an answer") from None
        if not ok:
            raise _WorkerFailed(value)
        return value
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
        process.close()


def segment_within(text: str, language: str | None, timeout: float) -> list[Segment]:
    """``segment(text, language)``, stopped after ``timeout`` seconds with a clear error."""
    try:
        return _run_bounded(segment, (text, language), timeout)
    except TimeoutError:
        raise ExtractError(
            f"Splitting the text into sentences took longer than {timeout:g} seconds and was "
            "stopped. Check that it is an article, or upload a shorter part of it.",
            422,
        ) from None
    except _WorkerFailed:
        raise ExtractError("The text could not be split into sentences.", 422) from None


# --------------------------------------------------------------------------- typed dates

_TYPED_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_TYPED_NUMERIC = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")


def parse_date(value: str) -> datetime.date:
    """Read a date typed by a user: 2024-11-25, 25 November 2024, Nov 25, 2024, 25/11/2024.

    Numeric dates are read day first, as written outside the US. Day, month and
    year must all be given.
    """
    text = " ".join((value or "").split())
    if not text:
        raise ExtractError("Please enter a date, for example 25 November 2024.", 400)
    hint = f"“{text[:40]}” is not a date this app can read; write it like 25 November 2024."
    parsed: datetime.date | None
    try:
        if _TYPED_ISO.match(text):
            year, month, day = (int(part) for part in text.split("-"))
            parsed = datetime.date(year, month, day)
        elif match := _TYPED_NUMERIC.match(text):
            day, month, year = (int(part) for part in match.groups())
            parsed = datetime.date(year, month, day)
        else:
            cleaned = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b", "", text, flags=re.I)
            parsed = parse_full_date(cleaned, dayfirst=True)
    except ValueError:
        raise ExtractError(f"“{text[:40]}” is not a real calendar date.", 400) from None
    if parsed is None:
        raise ExtractError(hint, 400)
    if not 1800 <= parsed.year <= 2200:
        raise ExtractError(f"The year {parsed.year} looks mistyped.", 400)
    return parsed


_WEB_SCHEMES = ("http", "https")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")
# language, then an optional script (Cyrl) and region (UA, 419): "uk", "sr-Latn", "es-419"
_LANGUAGE_TAG = re.compile(r"([a-z]{2,3})(?:[-_]([a-z]{4}))?(?:[-_]([a-z]{2}|\d{3}))?", re.I)


def parse_address(value: str) -> str:
    """An article's address as typed, if it is a whole http(s) address. Anything else
    (`javascript:`, a path, a bare site name) is refused: the address is shown as the article's
    source and offered to readers as a link."""
    text = value.strip()
    try:
        parts = urlsplit(text)
        valid = parts.scheme.lower() in _WEB_SCHEMES and bool(parts.hostname)
        # reading the port refuses one out of range; port 0 names no server either
        valid = valid and not _SPACE_OR_CONTROL.search(text) and parts.port != 0
    except ValueError:  # a malformed host or port
        valid = False
    if not valid:
        raise ExtractError(
            f"“{text[:60]}” is not a web address; give the whole address, starting with "
            "https:// or http://.",
            400,
        )
    return text


def parse_language(value: str) -> str:
    """A language tag as typed (en, FR, pt_br, sr-Latn), written the usual way (en, fr, pt-BR,
    sr-Latn), if its language is one the Unicode locale data names; "xx" or "en-notalang" would
    otherwise be stored and read by every language-dependent step."""
    text = value.strip()
    match = _LANGUAGE_TAG.fullmatch(text)
    if match is None or match[1].lower() not in _known_languages():
        raise ExtractError(
            f"“{text[:20]}” is not a language code such as en, fr or pt-BR.", 400
        )
    language, script, region = match.groups()
    return "-".join(
        part for part in (language.lower(), script and script.title(), region and region.upper())
        if part
    )


def declared_language(value: str | None) -> str | None:
    """A page's declared language (``<html lang="en-gb">``) written as typed ones are (en-GB),
    or None when it is not a language code: pages declare "en_US", "english" or nothing."""
    try:
        return parse_language(value) if value else None
    except ExtractError:
        return None


@lru_cache(maxsize=512)
def language_name(code: str | None) -> str:
    """A stored language code as a reader reads it, in English: "French" for fr, "English
    (United Kingdom)" for en-GB, "Serbian (Latin)" for sr-Latn, from the Unicode locale data;
    a code it does not name in full stays as it is. For what the pages print only: lang
    attributes, form values, JSON and CSV keep the code."""
    match = _LANGUAGE_TAG.fullmatch(code or "")
    if match is None:
        return code or ""
    english = Locale("en")
    language, script, region = match.groups()
    parts = [english.languages.get(language.lower())]
    if script:
        parts.append(english.scripts.get(script.title()))
    if region:
        parts.append(english.territories.get(region.upper()))
    if not all(parts):
        return code
    name, *details = parts
    return f"{name} ({', '.join(details)})" if details else name


@cache
def _known_languages() -> frozenset[str]:
    return frozenset(code for code in Locale("en").languages if "_" not in code)
