"""Uploads: decoding, format sniffing, article extraction, refusals and typed dates."""

from __future__ import annotations

import datetime
import socket
import time

import pytest

from app.text import extract as extract_module
from app.text.extract import (
    ExtractError,
    declared_language,
    decode,
    display_name,
    extract,
    html_article,
    parse_date,
    sniff_format,
)

PARAGRAPHS = [
    "At least two European nations have reopened discussions about deploying troops or "
    "private military contractors to Ukraine, according to a report published on Monday by "
    "the French newspaper Le Monde.",
    "The talks between France and the United Kingdom were revived during a visit by the "
    "British prime minister to Paris earlier this month, a British military source said.",
    "French officials have repeatedly said that no option should be ruled out, while several "
    "allies have rejected the idea of sending soldiers into the conflict.",
    "Neither government has confirmed that any decision has been taken, and officials in both "
    "capitals described the discussions as preliminary and confidential.",
]

NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Allies weigh sending troops to Ukraine | The Daily Ledger</title>
  <meta property="og:title" content="Allies weigh sending troops to Ukraine">
  <meta property="og:site_name" content="The Daily Ledger">
  <meta name="author" content="Marta Kowalska">
  <meta property="article:published_time" content="2024-11-25T16:12:00+00:00">
  <meta property="article:modified_time" content="2024-11-27T09:00:00+00:00">
  <link rel="stylesheet" href="https://cdn.example.com/site.css">
  <script>window.analytics = {{track: function () {{ document.write("TRACKING-PIXEL"); }}}};
  </script>
  <script src="https://ads.example.com/loader.js"></script>
  <style>body {{ font-family: serif; }} .STYLE-RULE {{ color: red; }}</style>
</head>
<body>
  <header>
    <nav class="main-menu">
      <ul>
        <li><a href="/">Home</a></li>
        <li><a href="/world">World</a></li>
        <li><a href="/politics">Politics</a></li>
        <li><a href="/business">Business</a></li>
        <li><a href="/subscribe">Subscribe now</a></li>
      </ul>
    </nav>
  </header>
  <div class="ad-banner" id="ad-top">
    <p>ADVERTISEMENT: Buy the new SuperPhone today, only 999 euros!</p>
  </div>
  <main>
    <article>
      <h1>Allies weigh sending troops to Ukraine</h1>
      <p class="byline">By <span class="author">Marta Kowalska</span></p>
      <time datetime="2024-11-25">November 25, 2024</time>
      <p>{PARAGRAPHS[0]}</p>
      <p>{PARAGRAPHS[1]}</p>
      <script>document.write("INLINE-SCRIPT-TEXT");</script>
      <p>{PARAGRAPHS[2]}</p>
      <img src="https://images.example.com/kharkiv.jpg" alt="Kharkiv">
      <iframe src="https://video.example.com/embed/1"></iframe>
      <p>{PARAGRAPHS[3]}</p>
    </article>
    <aside class="related">
      <h2>Related articles</h2>
      <ul>
        <li><a href="/a1">Ten recipes for a perfect autumn soup</a></li>
        <li><a href="/a2">Stock markets close higher on Friday</a></li>
        <li><a href="/a3">Football club signs new striker</a></li>
      </ul>
    </aside>
  </main>
  <footer>
    <p>© 2024 The Daily Ledger. All rights reserved.</p>
    <a href="/privacy">Privacy policy</a> <a href="/cookies">Cookie settings</a>
  </footer>
</body>
</html>
"""

PLAIN_ARTICLE = (
    "Allies weigh sending troops to Ukraine\n"
    "By Marta Kowalska\n"
    "Tuesday, November 26, 2024\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
)


def refused(data: bytes | str, **kwargs) -> ExtractError:
    with pytest.raises(ExtractError) as caught:
        extract(data, **kwargs)
    assert caught.value.message == str(caught.value)
    assert caught.value.message.endswith(".")
    return caught.value


# --------------------------------------------------------------------------- accepted uploads


def test_plain_text_is_kept_as_is_with_metadata_from_its_first_lines() -> None:
    result = extract(PLAIN_ARTICLE.encode(), "article.txt")
    assert result.format == "text"
    assert result.raw == result.text == PLAIN_ARTICLE
    assert result.title == "Allies weigh sending troops to Ukraine"
    assert result.byline == "Marta Kowalska"
    assert result.published == datetime.date(2024, 11, 26)
    assert result.language == "en"


def test_pasted_string_is_accepted_like_a_file() -> None:
    assert extract(PLAIN_ARTICLE).text == PLAIN_ARTICLE


def test_markdown_is_kept_as_is_and_titled_by_its_first_heading() -> None:
    markdown = "Intro line\n\n# Allies weigh *sending troops*\n\n## Background\n\n" + PARAGRAPHS[0]
    result = extract(markdown.encode(), "notes.md")
    assert result.format == "markdown"
    assert result.raw == result.text == markdown
    assert result.title == "Allies weigh sending troops"


def test_markdown_without_heading_falls_back_to_its_first_lines() -> None:
    markdown = "Allies weigh troops for Ukraine\n\nBy **Marta Kowalska**, [Ledger](https://x.y)\n"
    result = extract(markdown + PARAGRAPHS[0])
    assert result.format == "markdown"
    assert result.title == "Allies weigh troops for Ukraine"


def test_html_page_is_reduced_to_the_article_paragraphs() -> None:
    result = extract(NEWS_PAGE.encode(), "saved page.html")
    assert result.format == "html"
    assert result.raw == NEWS_PAGE
    for paragraph in PARAGRAPHS:
        assert f"\n\n{paragraph}" in result.text
    for noise in (
        "Subscribe now",
        "Politics",
        "ADVERTISEMENT",
        "Related articles",
        "autumn soup",
        "TRACKING-PIXEL",
        "INLINE-SCRIPT-TEXT",
        "STYLE-RULE",
        "All rights reserved",
        "Cookie settings",
    ):
        assert noise not in result.text


def test_html_metadata_comes_from_the_page() -> None:
    result = extract(NEWS_PAGE.encode())
    assert result.title == "Allies weigh sending troops to Ukraine"
    assert result.byline == "Marta Kowalska"
    assert result.published == datetime.date(2024, 11, 25)
    assert result.language == "en"
    assert result.outlet == "The Daily Ledger"


@pytest.mark.parametrize(
    ("title", "outlet"),
    [
        ("Allies weigh sending troops to Ukraine | The Daily Ledger", "The Daily Ledger"),
        ("Allies weigh sending troops to Ukraine – Kyiv &amp; World", "Kyiv & World"),
        ("Allies weigh sending troops to Ukraine - Reuters", "Reuters"),
        ("Allies weigh sending troops to Ukraine", None),
        ("Allies weigh sending troops to Ukraine: what the talks in London and Paris mean "
         "for the war this winter", None),
    ],
)
def test_a_page_without_a_site_name_is_named_by_its_title_suffix(title, outlet) -> None:
    page = NEWS_PAGE.replace(
        '<meta property="og:site_name" content="The Daily Ledger">', ""
    ).replace("<title>Allies weigh sending troops to Ukraine | The Daily Ledger</title>",
              f"<title>{title}</title>")
    assert extract(page.encode()).outlet == outlet


def test_format_is_judged_by_content_not_by_file_name() -> None:
    assert extract(NEWS_PAGE.encode(), "article.txt").format == "html"
    assert extract(PLAIN_ARTICLE.encode(), "page.html").format == "text"


def test_html_fragment_without_document_tags_is_extracted() -> None:
    fragment = "".join(f"<p>{p}</p>\n" for p in PARAGRAPHS)
    result = extract(fragment)
    assert result.format == "html"
    assert result.text == "\n\n".join(PARAGRAPHS)


def test_html_entities_from_a_doctype_are_never_resolved() -> None:
    page = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
        '<!ENTITY bomb "BOOMBOOMBOOM">]>\n'
        f"<html><body><article><p>{PARAGRAPHS[0]} &xxe; &bomb;</p>"
        f"<p>{PARAGRAPHS[1]}</p></article></body></html>"
    )
    result = extract(page)
    assert PARAGRAPHS[1] in result.text
    assert "root:" not in result.text
    assert "BOOMBOOMBOOM" not in result.text


def test_html_extraction_opens_no_network_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    page = NEWS_PAGE.replace("<head>", '<head><base href="https://www.example.com/news/">')
    result = html_article(page)
    assert PARAGRAPHS[0] in result["text"]


# --------------------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Kyiv’s allies – “no red lines”".encode(), "Kyiv’s allies – “no red lines”"),
        (b"\xef\xbb\xbf" + "Élysée Palace".encode(), "Élysée Palace"),
        ("Élysée Palace".encode("utf-16"), "Élysée Palace"),
        (b"\xfe\xff" + "Jean-Noël Barrot".encode("utf-16-be"), "Jean-Noël Barrot"),
        (b"\xff\xfe" + "Ελληνικά".encode("utf-16-le"), "Ελληνικά"),
        ("Kyiv’s allies – “no red lines”".encode("cp1252"), "Kyiv’s allies – “no red lines”"),
        ("Jean-Noël Barrot à l'Élysée".encode("latin-1"), "Jean-Noël Barrot à l'Élysée"),
    ],
)
def test_decode_reads_utf8_utf16_and_western_legacy_encodings(data: bytes, expected: str) -> None:
    assert decode(data) == expected


def test_text_saved_in_utf16_is_extracted() -> None:
    result = extract(PLAIN_ARTICLE.encode("utf-16"))
    assert result.text == PLAIN_ARTICLE


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("data", [b"", "", b"   \n\t\r\n  ", "\ufeff  \n"])
def test_empty_or_blank_upload_is_refused(data: bytes | str) -> None:
    assert refused(data, filename="empty.txt").status == 400


def test_upload_over_the_size_limit_is_refused_with_413() -> None:
    error = refused(PLAIN_ARTICLE.encode(), filename="big.txt", max_bytes=100)
    assert error.status == 413
    assert "“big.txt”" in error.message


def test_pasted_text_over_the_size_limit_is_refused_with_413() -> None:
    assert refused("é" * 60, max_bytes=100).status == 413


def test_upload_at_the_size_limit_is_accepted() -> None:
    data = PLAIN_ARTICLE.encode()
    assert extract(data, max_bytes=len(data)).text == PLAIN_ARTICLE


BINARY_SAMPLES = {
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    "docx": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01",
    "gif": b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff",
    "gzip": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03text",
    "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16,
    "rtf": b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Hello}",
}


@pytest.mark.parametrize("kind", sorted(BINARY_SAMPLES))
def test_known_binary_formats_are_refused_with_415(kind: str) -> None:
    error = refused(BINARY_SAMPLES[kind], filename=f"article.{kind}")
    assert error.status == 415
    assert "not text" in error.message


def test_image_renamed_to_txt_is_refused() -> None:
    error = refused(BINARY_SAMPLES["png"] + b"article text" * 50, filename="article.txt")
    assert error.status == 415
    assert "PNG image" in error.message


def test_bytes_with_nul_characters_are_refused() -> None:
    assert refused(b"Plain looking text\x00\x00 with NUL bytes").status == 415


def test_bytes_full_of_control_characters_are_refused() -> None:
    data = bytes(range(1, 9)) * 20 + b"some words here"
    assert refused(data).status == 415


def test_random_undecodable_bytes_are_refused() -> None:
    data = bytes((i * 37 + 11) % 256 for i in range(2000)).replace(b"\x00", b"\x01")
    assert refused(data).status == 415


def test_utf16_marked_file_that_is_not_utf16_is_refused() -> None:
    assert refused(b"\xff\xfe" + b"\x00\xd8a").status == 415


def test_html_without_article_text_is_refused() -> None:
    page = "<!DOCTYPE html><html><head><title>x</title><script>var a = 1;</script></head>"
    error = refused(page + "<body></body></html>", filename="blank.html")
    assert error.status == 422
    assert "No article text" in error.message


def test_html_with_only_a_menu_is_refused() -> None:
    page = '<html><body><nav><a href="/">Home</a> <a href="/w">World</a></nav></body></html>'
    assert refused(page).status == 422


# --------------------------------------------------------------------------- time limit


def test_html_extraction_over_the_time_limit_is_refused() -> None:
    error = refused(NEWS_PAGE, filename="slow.html", timeout=0.001)
    assert error.status == 422
    assert "took longer than" in error.message


def test_bounded_call_is_stopped_when_time_runs_out() -> None:
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        extract_module._run_bounded(time.sleep, (60,), timeout=0.5)
    assert time.monotonic() - started < 10


def test_bounded_call_reports_a_failing_worker() -> None:
    with pytest.raises(extract_module._WorkerFailed):
        extract_module._run_bounded(int, ("not a number",), timeout=10)


def test_bounded_call_returns_the_worker_result() -> None:
    assert extract_module._run_bounded(sorted, ([3, 1, 2],), timeout=10) == [1, 2, 3]


# --------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>Hi</p></body></html>", "html"),
        ("<!-- saved from url=(0042) -->\n<html lang=fr><p>Salut</p></html>", "html"),
        ("<article><h1>Title</h1><p>Body</p></article>", "html"),
        ("<p>One paragraph.</p>\n<p>Another paragraph.</p>", "html"),
        ("# Title\n\nSome text.", "markdown"),
        ("Title\n=====\n\nSome text.", "markdown"),
        ("Read [the report](https://example.com) and **this**.", "markdown"),
        ("Plain article text.\nIt says 3 < 4 and uses <br> once.\nThird line.\nFourth.", "text"),
        ("Headline\n\n- a dash list\n- is common in plain text\n\nBody text.", "text"),
        ("#Ukraine #news\nA hashtag is not a heading.", "text"),
        ("Just a sentence.", "text"),
    ],
)
def test_sniff_format_judges_by_content(text: str, expected: str) -> None:
    assert sniff_format(text) == expected


# --------------------------------------------------------------------------- display names


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\x\\y.txt", "y.txt"),
        ("/var/tmp/report.html", "report.html"),
        ("art\x00icle\r\n.txt", "article.txt"),
        ("evil\u202etxt.exe", "eviltxt.exe"),
        ("  spaced name.md  ", "spaced name.md"),
        ("..", "untitled"),
        ("", "untitled"),
        (None, "untitled"),
    ],
)
def test_display_name_strips_folders_and_control_characters(
    filename: str | None, expected: str
) -> None:
    assert display_name(filename) == expected


def test_display_name_shortens_long_names_but_keeps_the_extension() -> None:
    name = display_name("a" * 500 + ".html")
    assert len(name) <= 120
    assert name.endswith(".html")


# --------------------------------------------------------------------------- typed dates


@pytest.mark.parametrize(
    "value",
    [
        "2024-11-25",
        "25 November 2024",
        "Nov 25, 2024",
        "25/11/2024",
        "25.11.2024",
        " 25th November 2024 ",
        "Monday, 25 November 2024",
    ],
)
def test_parse_date_reads_common_ways_of_writing_a_date(value: str) -> None:
    assert parse_date(value) == datetime.date(2024, 11, 25)


def test_parse_date_reads_numeric_dates_day_first() -> None:
    assert parse_date("05/11/2024") == datetime.date(2024, 11, 5)
    assert parse_date("2024-11-05") == datetime.date(2024, 11, 5)


@pytest.mark.parametrize(
    "value",
    ["", "   ", "tomorrow", "2024", "November 2024", "31/02/2024", "2024-13-01", "hello", "25"],
)
def test_parse_date_refuses_what_is_not_a_full_date(value: str) -> None:
    with pytest.raises(ExtractError) as caught:
        parse_date(value)
    assert caught.value.status == 400
    assert caught.value.message


@pytest.mark.parametrize(
    ("declared", "stored"),
    [("en-gb", "en-GB"), ("EN_us", "en-US"), ("fr", "fr"), ("sr-latn-rs", "sr-Latn-RS"),
     ("english", None), ("xx", None), ("", None), (None, None)],
)
def test_a_pages_declared_language_is_stored_as_typed_ones_are_or_not_at_all(declared, stored):
    assert declared_language(declared) == stored
