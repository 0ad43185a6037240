"""Title, byline and date read from the head of plain-text articles."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from app.text.metadata import Metadata, find_date, guess_metadata

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
MANIFEST = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))["articles"]

BODY = (
    "France and Britain are discussing whether to send troops to Ukraine, the newspaper "
    "Le Monde reported on Monday, November 25, 2024, citing a British military source.\n"
)


def seed_ids(entry: dict) -> str:
    return entry["file"]


@pytest.mark.parametrize("entry", MANIFEST, ids=seed_ids)
def test_seed_metadata_matches_the_manifest(entry: dict) -> None:
    text = (SEEDS / entry["file"]).read_text(encoding="utf-8")
    guess = guess_metadata(text)
    if entry["title"] is not None:
        assert entry["title"] in text
        assert guess.title == entry["title"]
    if entry["byline"] is not None:
        assert entry["byline"] in text
        assert guess.byline == entry["byline"]
    if entry["published"] is not None:
        assert guess.published == datetime.date.fromisoformat(entry["published"])


@pytest.mark.parametrize("entry", MANIFEST, ids=seed_ids)
def test_seed_metadata_absent_from_the_manifest_is_not_invented(entry: dict) -> None:
    guess = guess_metadata((SEEDS / entry["file"]).read_text(encoding="utf-8"))
    for field in ("title", "byline", "published"):
        if entry[field] is None:
            assert getattr(guess, field) is None, field


def test_skip_link_before_the_headline_is_ignored() -> None:
    text = "Skip to content\n\nTroops to Ukraine: allies reopen talks\n\nBy Newsroom\n" + BODY
    assert guess_metadata(text).title == "Troops to Ukraine: allies reopen talks"


def test_first_line_that_is_a_sentence_means_no_title() -> None:
    assert guess_metadata(BODY + "Short line\n").title is None


def test_section_label_before_the_headline_is_skipped() -> None:
    text = "World\nAllies reopen talks on troops for Ukraine\n" + BODY
    assert guess_metadata(text).title == "Allies reopen talks on troops for Ukraine"


def test_byline_and_date_lines_before_the_headline_are_skipped() -> None:
    text = "By Anna Smith\nNov 26, 2024\nAllies reopen talks on troops for Ukraine\n" + BODY
    meta = guess_metadata(text)
    assert meta == Metadata(
        title="Allies reopen talks on troops for Ukraine",
        byline="Anna Smith",
        published=datetime.date(2024, 11, 26),
    )


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("By Newsroom", "Newsroom"),
        ("by Roman Cheplyk", "Roman Cheplyk"),
        ("BY JANE DOE", "JANE DOE"),
        ("Written by Jean-Noël Barrot and Anna de la Cruz", "Jean-Noël Barrot and Anna de la Cruz"),
        ("Author: Ivana Petrović", "Ivana Petrović"),
        ("By Anna Smith | Nov 26, 2024", "Anna Smith"),
        ("By Anna Smith — Reuters", "Anna Smith"),
    ],
)
def test_byline_line_gives_the_name(line: str, byline: str) -> None:
    assert guess_metadata(f"Allies reopen talks on troops\n{line}\n{BODY}").byline == byline


@pytest.mark.parametrize(
    "line",
    ["By the time troops arrive", "by now it is clear", "By " + "Word " * 12],
)
def test_phrase_starting_with_by_is_not_a_byline(line: str) -> None:
    assert guess_metadata(f"Allies reopen talks on troops\n{line}\n{BODY}").byline is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Nov 26, 2024 4:27 AM", datetime.date(2024, 11, 26)),
        ("Tuesday, November 26, 2024", datetime.date(2024, 11, 26)),
        ("Ukraine | November 25, 2024, Monday // 16:12| viewsAt least two nations " + "x" * 90,
         datetime.date(2024, 11, 25)),
        ("26 November 2024, 14:05", datetime.date(2024, 11, 26)),
        ("Published: 3rd of March 2024", datetime.date(2024, 3, 3)),
        ("Updated 2024-11-26T09:00:00Z", datetime.date(2024, 11, 26)),
        ("26.11.2024 14:00", datetime.date(2024, 11, 26)),
        ("Posted 11/26/2024", datetime.date(2024, 11, 26)),
        ("Sept. 5, 2023", datetime.date(2023, 9, 5)),
    ],
)  # fmt: skip
def test_date_line_gives_the_date(line: str, expected: datetime.date) -> None:
    assert guess_metadata(f"Allies reopen talks on troops\n{line}\n{BODY}").published == expected


def test_date_quoted_in_the_body_is_not_the_publication_date() -> None:
    assert guess_metadata("Allies reopen talks on troops\n\n" + BODY).published is None


@pytest.mark.parametrize(
    "value",
    ["05/11/2024", "November 2024", "4 MIN", "Monday", "31 February 2024", "1.2.3", ""],
)
def test_ambiguous_or_incomplete_dates_give_none(value: str) -> None:
    assert find_date(value) is None


def test_empty_text_has_no_metadata() -> None:
    assert guess_metadata("") == Metadata(None, None, None)
