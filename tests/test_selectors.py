"""Text-quote selectors: a passage is found again by its words after sentences are re-cut."""

from __future__ import annotations

from app.text.selectors import CONTEXT, covering, locate, quote_for, selectors

TEXT = (
    "Talks resumed. The minister said talks resumed in Paris on Monday.\n"
    "Officials in London said talks resumed too. Nothing was decided."
)


def test_a_quote_keeps_the_exact_text_and_some_context_either_side():
    start = TEXT.index("The minister")
    end = TEXT.index("Monday.") + len("Monday.")
    quote = quote_for(TEXT, start, end)
    assert quote.exact == TEXT[start:end]
    assert quote.prefix == TEXT[:start] and len(quote.prefix) <= CONTEXT
    assert quote.suffix == TEXT[end : end + CONTEXT]
    quote_selector, position = selectors(TEXT, start, end)
    assert quote_selector["type"] == "TextQuoteSelector" and quote_selector["exact"] == quote.exact
    assert position == {"type": "TextPositionSelector", "start": start, "end": end}


def test_repeated_words_are_told_apart_by_their_context():
    places = [i for i in range(len(TEXT)) if TEXT.startswith("talks resumed", i)]
    assert len(places) == 2
    for place in places:
        quote = quote_for(TEXT, place, place + len("talks resumed"))
        assert locate(TEXT, quote.exact, quote.prefix, quote.suffix) == (
            place, place + len("talks resumed")
        )


def test_context_is_matched_from_the_quote_outwards():
    second = TEXT.index("talks resumed too")
    assert locate(TEXT, "talks resumed", prefix="London said ") == (second, second + 13)
    assert locate(TEXT, "talks resumed", suffix=" in Paris")[0] == TEXT.index("talks resumed in")


def test_white_space_may_differ_between_the_quote_and_the_text():
    exact = "Monday.  Officials\tin London"
    assert locate(TEXT, "Monday. Officials in London") is not None
    start, end = locate(TEXT, exact)
    assert TEXT[start:end] == "Monday.\nOfficials in London"


def test_a_quote_the_text_lacks_is_not_found():
    assert locate(TEXT, "talks collapsed") is None
    assert locate(TEXT, "   ") is None


def test_the_covering_sentence_is_the_one_holding_most_of_the_quote():
    spans = [(0, 10), (11, 30), (31, 40)]
    assert covering(spans, 12, 20) == 1  # inside one sentence
    assert covering(spans, 5, 25) == 1  # across a boundary: where most of it is
    assert covering(spans, 25, 36) == 1  # a tie goes to the first
    assert covering(spans, 10, 11) == 1  # only the space between two sentences
    assert covering(spans, 45, 50) is None
