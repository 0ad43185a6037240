"""Claims induced from coverage alone: shared or attributed sentences become claims."""

from pathlib import Path

import pytest

from app.linking import SentenceText, default_encoder
from app.linking.induce import induce_claims

SHARED = Path("/work/shared")


@pytest.fixture(scope="session")
def encoder():
    return default_encoder()


SENTENCES = [
    SentenceText(1, "a", "The French state owns 55% of the defence firm DCI."),
    SentenceText(2, "a", "Our correspondent enjoyed the sunny weather in Lyon."),
    SentenceText(3, "b", "DCI is 55% owned by the French state."),
    SentenceText(4, "b", "Markets closed higher in Tokyo on Friday."),
    SentenceText(5, "c", "According to the newspaper, Babcock approached DCI last month."),
]


def test_sentences_shared_by_outlets_form_one_claim(encoder):
    claims = induce_claims(SENTENCES, encoder)
    shared = [c for c in claims if set(c.member_ids) >= {1, 3}]
    assert len(shared) == 1
    assert shared[0].text in {SENTENCES[0].text, SENTENCES[2].text}


def test_unshared_unattributed_sentences_are_not_claims(encoder):
    members = {m for c in induce_claims(SENTENCES, encoder) for m in c.member_ids}
    assert 2 not in members and 4 not in members


def test_attributed_sentence_becomes_a_claim(encoder):
    members = {m for c in induce_claims(SENTENCES, encoder) for m in c.member_ids}
    assert 5 in members


def test_keys_are_stable_and_ordered_by_first_appearance(encoder):
    first = induce_claims(SENTENCES, encoder)
    assert first == induce_claims(SENTENCES, encoder)
    assert [c.key for c in first] == [f"C{i + 1:02d}" for i in range(len(first))]
    firsts = [
        min(SENTENCES.index(next(s for s in SENTENCES if s.id == m)) for m in c.member_ids)
        for c in first
    ]
    assert firsts == sorted(firsts)
