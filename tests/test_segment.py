"""Sentence spans always index the original text, and page furniture is told from content."""

from __future__ import annotations

import importlib

import pytest
from dateparser.search import search_dates
from hypothesis import given, settings
from hypothesis import strategies as st

from app.text.extract import HELPER_PRELOAD
from app.text.segment import DESK_LANGUAGES, classify, leading_dateline, segment
from tests.conftest import SEEDS


def assert_valid_spans(text: str) -> None:
    spans = segment(text)
    previous_end = 0
    for s in spans:
        assert previous_end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == text[s.start : s.end].strip()
        previous_end = s.end


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_seed_spans_are_ordered_non_overlapping_and_trimmed(path):
    assert_valid_spans(path.read_text(encoding="utf-8"))


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("abc XYZ.!?,;:\n\t«»„“”\"'()-–0123456789é")),
        max_size=400,
    )
)
def test_spans_of_any_text_are_ordered_non_overlapping_and_trimmed(text):
    assert_valid_spans(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    "The minister spoke on Nov. 23 in London.", "Le Monde a révélé l'affaire.",
    "« Nous n'excluons rien », a dit M. Barrot.", "Er sagte: „Wir schließen nichts aus.“",
    "The state owns 55,5 % of DCI.", "Skip to content", "By Jane Doe", "\n", "\n\n",
]), max_size=12))
def test_sentences_are_never_lost(parts):
    text = " ".join(parts)
    covered = "".join(text[s.start : s.end] for s in segment(text))
    assert "".join(text.split()) == "".join(covered.split())


def test_seed_segmentation_matches_the_labelled_sentence_spans(gold):
    """The labels keep a dateline the page ran into a sentence as part of it; the segmenter
    cuts it off the front as furniture, so such a pair reads as the labelled span."""
    for name, sentences in gold["articles"].items():
        text = (SEEDS / name).read_text(encoding="utf-8")
        segments, spans, i = segment(text), [], 0
        while i < len(segments):
            s, after = segments[i], segments[i + 1] if i + 1 < len(segments) else None
            pair = text[s.start : after.end] if after else ""
            if s.kind == "boilerplate" and "\n" not in pair and leading_dateline(pair):
                spans.append((s.start, after.end))
                i += 2
            else:
                spans.append((s.start, s.end))
                i += 1
        assert spans == [(s["start"], s["end"]) for s in sentences], name


BOILERPLATE = [
    "Skip to content",
    "(AFP Photo)",
    "By Newsroom",
    "Nov 26, 2024 4:27 AM",
    "Last Updated:\xa0\xa0Nov 26, 2024 8:52 AM",
    "Back",
    "Read also:",
    "by Roman Cheplyk",
    "Tuesday, November 26, 2024",
    "4 MIN",
    "You will be interested",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_page_furniture_of_the_seeds_is_boilerplate(line):
    assert classify(line, whole_line=True) == "boilerplate"


@pytest.mark.parametrize(
    "line",
    ["By Defence Staff 25 November 2024, 7:41pm", "By Jane Doe | Nov 26, 2024",
     "par Jean Dupont et Marie Curie, 25/11/2024 à 18h02"],
)
def test_a_byline_with_the_date_on_its_line_is_boilerplate(line):
    assert classify(line, whole_line=True) == "boilerplate"


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("Ukraine | November 25, 2024, Monday // 16:12| viewsAt least two European nations "
         "have reopened talks on troops.", "Ukraine | November 25, 2024, Monday // 16:12| views"),
        ("Kyiv | 25 November 2024 | 16:12 | France and Britain are talking about troops.",
         "Kyiv | 25 November 2024 | 16:12 |"),
        ("Home | World | Europe | France and Britain are talking about troops.", None),
        ("Macron | Starmer | Scholz met in Paris on 25 November 2024.", None),
    ],
)
def test_a_dateline_run_into_the_first_sentence_is_cut_off_as_furniture(line, furniture):
    segments = segment(line)
    if furniture is None:
        assert [s.kind for s in segments] == ["content"]
        return
    dateline, sentence = segments
    assert (dateline.kind, line[dateline.start : dateline.end]) == ("boilerplate", furniture)
    assert sentence.kind == "content" and line[sentence.end - 1] == "."
    assert not line[sentence.start].isspace()


@pytest.mark.parametrize(
    "line",
    ["By November, France had sent 20 Caesar guns to Kyiv",
     "By 2025 Britain and France will have trained 10,000 soldiers",
     "By and large the talks remain classified"],
)
def test_a_line_opening_with_by_that_goes_on_to_say_something_is_content(line):
    assert classify(line, whole_line=True) != "boilerplate"


def test_links_listed_under_read_also_are_boilerplate():
    text = (SEEDS / "002_80f9b83556b2ebf5.txt").read_text(encoding="utf-8")
    tail = [s for s in segment(text) if s.start >= text.index("Read also:")]
    assert [s.kind for s in tail] == ["boilerplate"] * 3


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("Read more: Putin's new missile can reach London in 20 minutes", "en"),
        ("Watch: Barrot tells the BBC no option is ruled out", "en"),
        ("Lire aussi | Guerre en Ukraine : ce que l'on sait du missile Orechnik", "fr"),
        ("LIRE AUSSI - Macron et Starmer à Paris pour le 11-Novembre", "fr"),
        ("Lesen Sie auch: Was über die Truppenpläne bekannt ist", "de"),
        ("Leer más: Francia y Reino Unido estudian enviar tropas a Ucrania", "es"),
        ("Leggi anche: Difesa europea, il nodo del 2% del Pil", "it"),
        ("Leia mais: Rússia lança míssil contra Dnipro", "pt"),
        ("Lees ook: Frankrijk en Groot-Brittannië praten over troepen", "nl"),
        ("Czytaj też: Francja i Wielka Brytania rozważają wysłanie wojsk", "pl"),
        ("Читайте также: Франция и Британия обсуждают отправку военных", "ru"),
        ("ЧИТАЙТЕ ТАКОЖ: Стармер і Макрон обговорили підтримку України", "uk"),
    ],
)
def test_a_pointer_to_another_article_is_boilerplate_in_every_language(line, language):
    """The other article's title often names the same story; linked, it would pass for this
    article's wording of a claim."""
    assert {s.kind for s in segment(line, language)} == {"boilerplate"}


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("25 ноября 2024, 19:41", "ru"),
        ("25 листопада 2024, 19:41", "uk"),
        ("25 listopada 2024, 19:41", "pl"),
        ("Lunedì 25 novembre 2024", "it"),
        ("Le 25 novembre 2024", "fr"),
        ("Publié le 25 novembre 2024 à 18h32", "fr"),
        ("Veröffentlicht am 25.11.2024, 18:32 Uhr", "de"),
        ("Автор: Иван Петров", "ru"),
        ("Autor: Jan Kowalski", "pl"),
        ("door Jan Jansen", "nl"),
        ("Fot. PAP", "pl"),
        ("Фото: Укрінформ", "uk"),
        ("Udostępnij", "pl"),
        ("Поделиться", "ru"),
    ],
)
def test_dates_bylines_and_credits_in_other_languages_are_boilerplate(line, language):
    assert {s.kind for s in segment(line, language)} == {"boilerplate"}


def test_a_date_in_a_language_the_date_reader_does_not_know_is_a_heading_not_an_error():
    assert classify("25 ноября 2024, 19:41", whole_line=True, language="xx") == "heading"
    assert classify("25 ноября 2024, 19:41", whole_line=True, language="ru") == "boilerplate"


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("Su-24 bombers", "en"),
        ("G7 summit", "en"),
        ("Storm Shadow: 250 km", "en"),
        ("Ukraine 2025", "en"),
        ("Les 3 scénarios", "fr"),
        ("DCI à 55 %", "fr"),
        ("3 сценарії", "uk"),
    ],
)
def test_a_short_heading_with_a_number_is_not_taken_for_a_date(line, language):
    assert classify(line, whole_line=True, language=language) == "heading"


@pytest.mark.parametrize(
    ("line", "language"),
    [("2 hours ago", "en"), ("Il y a 2 heures", "fr"), ("Updated 19:41 GMT", "en")],
)
def test_a_time_of_publication_is_boilerplate(line, language):
    assert classify(line, whole_line=True, language=language) == "boilerplate"


@pytest.mark.parametrize(
    ("line", "language"),
    [
        ("Related-party contracts of DCI were reviewed by the ministry.", "en"),
        ("Watch the talks closely, a diplomat said.", "en"),
        ("Photos of the meeting show Macron and Starmer side by side.", "en"),
        ("Lire aussi les propositions de DCI reviendrait à trancher un débat ancien.", "fr"),
    ],
)
def test_sentences_opening_like_page_furniture_stay_content(line, language):
    assert {s.kind for s in segment(line, language)} == {"content"}


@pytest.mark.parametrize(
    "line",
    [
        "Strengthening European Defense Cooperation",
        "Conclusion",
        "Deployment of troops amid discussions of military assistance for Ukraine",
    ],
)
def test_section_headings_are_headings(line):
    assert classify(line, whole_line=True) == "heading"


@pytest.mark.parametrize(
    "line",
    [
        "The French state holds a 55% stake in DCI.",
        "• Security Risks: Deploying troops to an active conflict zone entails inherent risks.",
        "By collaborating on military support for Ukraine, France and Great Britain are "
        "reinforcing European unity.",
    ],
)
def test_article_sentences_are_content(line):
    assert classify(line, whole_line=True) == "content"


def test_french_abbreviations_and_quotes_do_not_split_sentences():
    text = "Il a dit « nous n'excluons rien ». M. Barrot l'a confirmé le 23 nov. à Londres."
    sentences = [text[s.start : s.end] for s in segment(text, "fr")]
    assert sentences == [
        "Il a dit « nous n'excluons rien ».",
        "M. Barrot l'a confirmé le 23 nov. à Londres.",
    ]


UNCLOSED = (
    "A source said that “talks are under way between the U.K. and France. "
    "The source stressed the need for efforts to support Ukraine and to strengthen the "
    "security of Europe as a whole. The aim of the talks is a core group of European allies "
    "dedicated to Ukraine. The idea has gained momentum in recent weeks. Trump was sceptical. "
    "He said: “We rule out nothing.” Then he left."
)


def test_a_quotation_mark_left_open_does_not_run_the_following_sentences_together():
    sentences = [UNCLOSED[s.start : s.end] for s in segment(UNCLOSED, "en")]
    assert len(sentences) == 7
    assert sentences[0].endswith("the U.K. and France.")
    assert sentences[-2:] == ["He said: “We rule out nothing.”", "Then he left."]


def test_a_quote_of_a_few_sentences_stays_one_span():
    text = "“We rule out nothing. Our allies know it. We go on,” he said. Then he left."
    sentences = [text[s.start : s.end] for s in segment(text, "en")]
    assert sentences[-1] == "Then he left." and len(sentences) <= 2


@pytest.mark.parametrize("language", DESK_LANGUAGES)
def test_every_desk_language_is_one_the_date_reader_knows(language):
    """A code the date reader refused would silently read that language's dates as English."""
    search_dates("25/11/2024", languages=[language])


def test_the_helper_that_upload_workers_fork_from_loads_the_date_reader():
    """The helper process ignores a module it fails to preload, so a missing or broken one
    would only show as slower uploads."""
    assert "app.text.preload" in HELPER_PRELOAD
    for module in HELPER_PRELOAD:
        importlib.import_module(module)
