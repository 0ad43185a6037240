"""Scoring follows the eval README: pairwise F1 across articles, linked and exact accuracy."""

import json

import pytest

from app.evaluation import (
    Scores,
    coverage_article,
    inherit_claims,
    score,
    translated_article,
    write_translated_story,
)
from app.settings import ROOT

GOLD = {
    "articles": {
        "a.txt": [
            {"start": 0, "end": 10, "text": "aaaaaaaaaa", "claims": ["X"]},
            {"start": 11, "end": 20, "text": "bbbbbbbbb", "claims": []},
            {"start": 21, "end": 25, "text": "head", "claims": "?"},
        ],
        "b.txt": [
            {"start": 0, "end": 10, "text": "cccccccccc", "claims": ["X", "Y"]},
            {"start": 11, "end": 20, "text": "ddddddddd", "claims": ["Y"]},
        ],
    }
}


def preds(a, b):
    return {
        "a.txt": [(0, 10, "aaaaaaaaaa", set(a[0])), (11, 20, "bbbbbbbbb", set(a[1]))],
        "b.txt": [(0, 10, "cccccccccc", set(b[0])), (11, 20, "ddddddddd", set(b[1]))],
    }


def test_perfect_predictions_score_one():
    s = score(GOLD, preds([{"X"}, set()], [{"X", "Y"}, {"Y"}]), {"X", "Y"})
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert s.linked_accuracy == 1.0 and s.exact_accuracy == 1.0
    assert s.gold_pairs == 1 and s.scored_sentences == 4


def test_pairs_need_no_agreement_on_claim_ids():
    s = score(GOLD, preds([{"k1"}, set()], [{"k1"}, {"k2"}]), {"X", "Y"})
    assert s.f1 == 1.0
    assert s.exact_accuracy is None


def test_false_pair_lowers_precision():
    s = score(GOLD, preds([{"X"}, {"Y"}], [{"X", "Y"}, {"Y"}]))
    assert s.predicted_pairs == 3 and s.true_pairs == 1
    assert s.precision == pytest.approx(1 / 3)
    assert s.linked_accuracy == pytest.approx(3 / 4)


def test_gold_sentence_inherits_claims_of_most_overlapping_system_sentence():
    gold = [{"start": 0, "end": 10, "text": "0123456789"}]
    predictions = [(0, 3, "012", {"A"}), (3, 10, "3456789", {"B"})]
    assert inherit_claims(gold, predictions) == [frozenset({"B"})]


def test_falls_back_to_text_overlap_when_spans_disagree():
    gold = [{"start": 100, "end": 120, "text": "The state owns DCI."}]
    predictions = [(0, 20, "The state owns DCI.", {"A"}), (21, 40, "Something else here", {"B"})]
    assert inherit_claims(gold, predictions) == [frozenset({"A"})]


def test_gold_file_scores_itself_perfectly():
    path = ROOT.parent / "shared" / "eval" / "seed_gold.json"
    if not path.exists():
        pytest.skip("shared gold file not available")
    gold = json.loads(path.read_text())
    predictions = {
        name: [
            (s["start"], s["end"], s["text"], set(s["claims"]) if s["claims"] != "?" else set())
            for s in sentences
        ]
        for name, sentences in gold["articles"].items()
    }
    assert score(gold, predictions).f1 == 1.0


def test_boilerplate_spans_are_scored_as_unlinked_not_as_a_lookalike():
    """A gold line that the segmenter calls boilerplate must not inherit the claims of whichever
    linked sentence shares its words."""
    from app.evaluation import predictions_from_links
    from app.linking import LinkResult, SentenceText

    source = "Read also: DCI news\nDCI news today is big."
    linked = SentenceText("a.txt:20:42", "a.txt", source[20:42])
    boiler = SentenceText("a.txt:0:19", "a.txt", source[0:19])
    links = [LinkResult(linked.id, "X", 0.9)]
    with_boiler = predictions_from_links([linked], links, {"a.txt": source}, [boiler])
    gold = [{"start": 0, "end": 19, "text": source[0:19], "claims": []}]
    assert inherit_claims(gold, with_boiler["a.txt"]) == [frozenset()]
    without = predictions_from_links([linked], links, {"a.txt": source})
    assert inherit_claims(gold, without["a.txt"]) == [frozenset({"X"})]


def test_scoring_the_pairs_touching_one_article_leaves_the_others_out():
    gold = {"articles": {**GOLD["articles"], "c.txt": [
        {"start": 0, "end": 10, "text": "eeeeeeeeee", "claims": ["Y"]},
    ]}}
    predicted = {**preds([{"X"}, set()], [{"X", "Y"}, {"Y"}]), "c.txt": [
        (0, 10, "eeeeeeeeee", {"Z"}),
    ]}
    whole = score(gold, predicted)
    assert whole.gold_pairs == 3 and whole.true_pairs == 1
    touching_c = score(gold, predicted, touching={"c.txt"})
    assert touching_c.gold_pairs == 2 and touching_c.true_pairs == 0
    assert touching_c.scored_sentences == 1
    touching_a = score(gold, predicted, touching={"a.txt"})
    assert (touching_a.gold_pairs, touching_a.true_pairs) == (1, 1)


def test_pooled_scores_sum_pairs_and_weigh_accuracy_by_sentences():
    a = Scores(1.0, 0.5, 2 / 3, 1.0, None, 2, 4, 2, 2)
    b = Scores(0.5, 1.0, 2 / 3, 0.5, None, 6, 2, 4, 2)
    pooled = Scores.pooled([a, b])
    assert (pooled.gold_pairs, pooled.predicted_pairs, pooled.true_pairs) == (6, 6, 4)
    assert pooled.f1 == pytest.approx(2 / 3)
    assert pooled.linked_accuracy == pytest.approx((2 * 1.0 + 6 * 0.5) / 8)
    assert pooled.exact_accuracy is None


def test_a_translated_article_keeps_the_whitespace_between_sentences_and_respans_the_gold():
    original = "Title\n\nFirst one. Second one.\n"
    gold = [
        {"start": 0, "end": 5, "text": "Title", "claims": "?"},
        {"start": 7, "end": 17, "text": "First one.", "claims": ["X"]},
        {"start": 18, "end": 29, "text": "Second one.", "claims": []},
    ]
    text, spans = translated_article(original, gold, ["Titre", "La première.", "La seconde."])
    assert text == "Titre\n\nLa première. La seconde.\n"
    assert [text[s["start"] : s["end"]] for s in spans] == ["Titre", "La première.", "La seconde."]
    assert [s["claims"] for s in spans] == ["?", ["X"], []]


def test_a_coverage_article_joins_sentences_into_paragraphs_and_spans_each_one():
    article = {"paragraphs": [
        [{"text": "Title", "claims": "?"}],
        [{"text": "First one.", "claims": ["X"]}, {"text": "Second one.", "claims": []}],
    ]}
    text, gold = coverage_article(article)
    assert text == "Title\n\nFirst one. Second one.\n"
    assert [text[g["start"] : g["end"]] for g in gold] == ["Title", "First one.", "Second one."]
    assert [g["claims"] for g in gold] == ["?", ["X"], []]


@pytest.mark.parametrize("items", [["Un.", "Deux."], ["Un.", " ", "Trois."]])
def test_a_translation_must_give_one_non_empty_sentence_per_gold_sentence(items):
    gold = [{"start": 0, "end": 2, "text": "A.", "claims": []},
            {"start": 3, "end": 5, "text": "B.", "claims": []},
            {"start": 6, "end": 8, "text": "C.", "claims": []}]
    with pytest.raises(ValueError):
        translated_article("A. B. C.", gold, items)


def test_a_story_with_one_article_translated_keeps_the_others_as_they_are(tmp_path):
    seeds = tmp_path / "in"
    seeds.mkdir()
    (seeds / "a.txt").write_bytes(b"One. Two.\r\n")
    (seeds / "b.txt").write_text("Three.\n", encoding="utf-8")
    (seeds / "manifest.json").write_text(json.dumps({"articles": [
        {"file": "a.txt", "title": None, "language": "en"},
        {"file": "b.txt", "title": None, "language": "en"},
    ]}), encoding="utf-8")
    gold = {"articles": {
        "a.txt": [{"start": 0, "end": 4, "text": "One.", "claims": ["X"]},
                  {"start": 5, "end": 9, "text": "Two.", "claims": []}],
        "b.txt": [{"start": 0, "end": 6, "text": "Three.", "claims": ["X"]}],
    }}
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    translations = tmp_path / "tr.json"
    translations.write_text(json.dumps({"languages": {"fr": {
        "a.txt": ["Un.", "Deux."], "b.txt": ["Trois."],
    }}}), encoding="utf-8")

    out, gold_file = write_translated_story(
        tmp_path / "out", "fr", translations, seeds, tmp_path / "gold.json", only={"b.txt"}
    )

    assert (out / "a.txt").read_bytes() == b"One. Two.\r\n"
    assert (out / "b.txt").read_text(encoding="utf-8") == "Trois.\n"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["articles"]
    assert [e["language"] for e in manifest] == ["en", "fr"]
    written = json.loads(gold_file.read_text(encoding="utf-8"))["articles"]
    assert written["a.txt"] == gold["articles"]["a.txt"]
    assert written["b.txt"] == [{"start": 0, "end": 6, "text": "Trois.", "claims": ["X"]}]
