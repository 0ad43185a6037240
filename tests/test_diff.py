"""Word diff: exact round trip, readable grouping of changes, faithfulness score."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.text.diff import DiffOp, similarity, tokenize, word_diff

ORIGIN = (
    "Macron’s proposal to send troops sparked immediate opposition, "
    "with Germany among the loudest voices."
)
REWORDED = (
    "Macron’s proposal to send troops was met with denials from Germany, one of the loudest voices."
)

# Words, stop words, spaces, punctuation and quotes, in several scripts, plus any text at all.
pieces = st.sampled_from(
    [
        "a",
        "b",
        "é",
        "Ωж",
        " ",
        "  ",
        "\n",
        "\t",
        ",",
        ".",
        "'",
        "’",
        '"',
        "-",
        "the ",
        "of ",
        "Kyiv",
    ]
)
texts = st.one_of(st.lists(pieces, max_size=40).map("".join), st.text(max_size=40))


def joined(ops: list[DiffOp]) -> tuple[str, str]:
    return "".join(op.a for op in ops), "".join(op.b for op in ops)


@given(texts, texts)
def test_joining_the_sides_gives_back_both_texts_exactly(origin: str, other: str) -> None:
    assert joined(word_diff(origin, other)) == (origin, other)


@given(texts, texts)
def test_ops_are_well_formed_and_changes_never_touch(origin: str, other: str) -> None:
    ops = word_diff(origin, other)
    for op in ops:
        assert op.a or op.b
        assert op.op != "insert" or (op.a == "" and op.b)
        assert op.op != "delete" or (op.b == "" and op.a)
        assert op.op != "replace" or (op.a and op.b)
    for left, right in zip(ops, ops[1:], strict=False):
        assert left.op == "equal" or right.op == "equal"


@given(texts, texts)
def test_similarity_stays_between_zero_and_one(origin: str, other: str) -> None:
    assert 0.0 <= similarity(origin, other) <= 1.0


@given(texts)
def test_tokens_join_back_to_the_text(text: str) -> None:
    assert "".join(t.text for t in tokenize(text)) == text


def test_identical_texts_are_one_equal_op() -> None:
    assert word_diff(ORIGIN, ORIGIN) == [DiffOp("equal", ORIGIN, ORIGIN)]
    assert similarity(ORIGIN, ORIGIN) == 1.0


def test_reworded_phrase_is_one_change_not_many() -> None:
    ops = word_diff(ORIGIN, REWORDED)
    assert [op.op for op in ops] == ["equal", "replace", "equal"]
    assert ops[0].b == "Macron’s proposal to send troops "
    assert ops[1].a == "sparked immediate opposition, with Germany among "
    assert ops[1].b == "was met with denials from Germany, one of "
    assert ops[2].b == "the loudest voices."


def test_single_stop_word_between_two_changes_is_absorbed() -> None:
    ops = word_diff("troops were sent of Britain quickly", "soldiers went of France quickly")
    assert [op.op for op in ops] == ["replace", "equal"]
    assert ops[0].a == "troops were sent of Britain "
    assert ops[0].b == "soldiers went of France "


def test_content_words_kept_between_small_changes_stay_visible() -> None:
    ops = word_diff("the big red dog ran", "the small red cat ran")
    assert [op.op for op in ops] == ["equal", "replace", "equal", "replace", "equal"]
    assert ops[2] == DiffOp("equal", "red ", "red ")


def test_case_and_punctuation_changes_count_as_equal_words() -> None:
    ops = word_diff("Kyiv, said officials.", "kyiv said officials!")
    assert ops == [DiffOp("equal", "Kyiv, said officials.", "kyiv said officials!")]


def test_house_style_spellings_count_as_equal_words() -> None:
    ops = word_diff("Kyiv’s U.S. allies", "Kyiv's US allies")
    assert [op.op for op in ops] == ["equal"]


def test_added_words_at_the_end_are_an_insert() -> None:
    ops = word_diff("Talks resumed.", "Talks resumed in Paris.")
    assert [op.op for op in ops] == ["equal", "insert"]
    assert ops[1].b == "in Paris."


def test_dropped_words_at_the_start_are_a_delete() -> None:
    ops = word_diff("Officially, talks resumed.", "talks resumed.")
    assert ops[0] == DiffOp("delete", "Officially, ", "")


def test_empty_texts() -> None:
    assert word_diff("", "") == []
    assert word_diff("", "New text") == [DiffOp("insert", "", "New text")]
    assert word_diff("Old text", "") == [DiffOp("delete", "Old text", "")]


def test_similarity_is_the_share_of_origin_words_kept() -> None:
    assert similarity("one two three four", "one two five four") == 0.75
    assert similarity("one two", "three four") == 0.0
    assert similarity("Talks resumed", "Talks resumed in Paris today") == 1.0


def test_similarity_of_texts_without_words() -> None:
    assert similarity("", "") == 1.0
    assert similarity("...", "") == 1.0
    assert similarity("", "new words") == 0.0


def test_similarity_of_a_rewording_is_partial() -> None:
    assert 0.3 < similarity(ORIGIN, REWORDED) < 0.9
