"""Offline language identification for article text."""

from __future__ import annotations

import re
import threading

from py3langid.langid import MODEL_FILE, LanguageIdentifier

#: Below this many letters a guess is little better than chance.
MIN_LETTERS = 20
#: Below this many words a headline or name list is mistaken for a language too easily.
MIN_WORDS = 3
#: Probability the best language must reach; the model's scores are calibrated per length.
MIN_CONFIDENCE = 0.6
#: Enough text to decide; identification time grows with length.
MAX_CHARS = 20_000

# Languages written so alike that the model splits its confidence between them;
# their shares are added up before the confidence floor is applied.
_CLOSE_GROUPS = (
    frozenset({"bs", "hr", "sr"}),
    frozenset({"no", "nn", "da"}),
    frozenset({"id", "ms"}),
)

_WORD = re.compile(r"[^\W\d_]{2,}")
_LETTER = re.compile(r"[^\W\d_]")

_lock = threading.Lock()
_identifier: LanguageIdentifier | None = None


def _get_identifier() -> LanguageIdentifier:
    """Load the model once; it takes a moment and is read-only afterwards."""
    global _identifier
    with _lock:
        if _identifier is None:
            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return _identifier


def likeliest_language(text: str) -> str:
    """The model's best guess at the language of ``text``, however short or unsure: the code
    it knows the language by (ISO 639-1 where there is one)."""
    return _get_identifier().classify(text)[0]


def detect_language(text: str) -> str | None:
    """Return the ISO 639-1 code of the text's language, or None when unsure.

    The model knows some languages only by ISO 639-3 codes (and "zxx" for no
    language); those answers are treated as unsure because the rest of the app
    stores two-letter codes. Latin-script Serbian, Croatian and Bosnian are
    told apart only as well as the model can; the best of the three is returned.
    """
    sample = text[:MAX_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS or len(_WORD.findall(sample)) < MIN_WORDS:
        return None
    ranking = _get_identifier().rank(sample)
    code, confidence = ranking[0]
    group = next((g for g in _CLOSE_GROUPS if code in g), None)
    if group:
        confidence = sum(score for label, score in ranking if label in group)
    if len(code) != 2 or confidence < MIN_CONFIDENCE:
        return None
    return code
