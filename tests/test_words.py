"""Words and stems are the same whatever thread asks for them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from app.text import words as words_module
from app.text.words import words

TEXTS = [
    ("Les discussions sur l'envoi de troupes occidentales reprennent", "fr"),
    ("Western governments are reconsidering deployments of private contractors", "en"),
    ("Le discussioni sull'invio di truppe occidentali riprendono", "it"),
    ("Die Gespräche über die Entsendung westlicher Truppen werden wieder aufgenommen", "de"),
]


def test_stems_are_the_same_when_many_threads_stem_at_once():
    expected = {t: [w.stem for w in words(t, lang)] for t, lang in TEXTS}

    def stem(n: int) -> bool:
        text, language = TEXTS[n % len(TEXTS)]
        # vary the text so the cache cannot answer and the stemmer itself runs
        variant = f"{text} {'encore ' * (n % 7)}{n}"
        got = [w.stem for w in words_module.words.__wrapped__(variant, language)]
        return got[: len(expected[text])] == expected[text]

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert all(pool.map(stem, range(4000)))

