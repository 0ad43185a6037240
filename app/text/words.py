"""Words as the flag checks compare them: folded, stemmed per language, function words apart.

Snowball stemmers make "ruling" and "rule", "withdrawal" and "withdraw" one word, so two
versions of a quote or a hedge and its target compare on meaning-bearing stems, not spelling.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)*", re.UNICODE)

_STEMMERS = {"en": "english", "fr": "french", "it": "italian", "de": "german"}

def fold(text: str) -> str:
    """Lowercase without accents, with typographic apostrophes straightened."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def word_set(text: str) -> frozenset[str]:
    """A lexicon written as one space-separated string, folded as words are compared."""
    return frozenset(fold(w) for w in text.split())


# Function words per language: they join content words but say nothing on their own.
STOP_WORDS = {
    "en": word_set(
        "a an the of to in on at by for from with as and or but nor that this these those is are "
        "was were be been being it its their his her they he she we our us you your which who whom "
        "has have had do does did so such than then there here into about over after before also "
        "all any some both each other own same very just only even yet still again once while "
        "when where what how why if because though although however i me my them him"
    ),
    "fr": word_set(
        "le la les un une des du de d l au aux et ou mais donc or ni car que qu qui quoi dont où "
        "ce cet cette ces son sa ses leur leurs il elle ils elles on nous vous je tu se s en y "
        "est sont était été être a ont avait avoir dans sur sous par pour avec sans entre vers "
        "chez plus très aussi ne pas n comme si lui eux même tout tous toute toutes"
    ),
    "it": word_set(
        "il lo la i gli le un uno una di a da in con su per tra fra e o ma che chi cui non si "
        "del della dei degli delle al alla ai agli alle dal dalla nel nella sul sulla è sono era "
        "stato essere ha hanno avere questo questa questi queste quello quella suo sua loro anche "
        "come più molto"
    ),
    "de": word_set(
        "der die das den dem des ein eine einen einem einer eines und oder aber doch dass daß "
        "wer was welche welcher welches nicht kein keine ist sind war waren sein hat haben hatte "
        "es er sie wir ihr ich du man sich in im an am auf aus bei mit nach von vom zu zum zur für "
        "über unter durch gegen ohne um als wie auch noch nur sehr so"
    ),
}


_local = threading.local()


def _stemmer(language: str):
    """A stemmer of this thread's own: a snowball stemmer keeps the word it works on in itself, so
    two threads sharing one garble each other's words."""
    name = _STEMMERS.get(language or "")
    if not name:
        return None
    stemmers = _local.__dict__.setdefault("stemmers", {})
    if name not in stemmers:
        stemmers[name] = snowballstemmer.stemmer(name)
    return stemmers[name]


@lru_cache(maxsize=65536)
def stem(word: str, language: str) -> str:
    """The word's stem in the language (the word itself when there is no stemmer); a news
    vocabulary is small, so most words are stemmed once."""
    stemmer = _stemmer(language)
    return stemmer.stemWord(word) if stemmer and not word[0].isdigit() else word


@dataclass(frozen=True)
class Word:
    """One word of a text: where it is, its folded spelling, its stem, whether it is a stop word."""

    start: int
    end: int
    text: str
    folded: str
    stem: str
    stop: bool


@lru_cache(maxsize=16384)
def words(text: str, language: str | None) -> tuple[Word, ...]:
    """The words of ``text`` with stems in its language; unknown languages keep whole words."""
    stops = STOP_WORDS.get(language or "", STOP_WORDS["en"])
    out = []
    for m in _WORD.finditer(text):
        folded = fold(m.group())
        # "Kyiv's" and "l'Ukraine": the possessive or elided article is not part of the word
        if "'" in folded:
            head, tail = folded.split("'", 1)
            folded = tail if len(head) <= 2 and language in ("fr", "it") else head
        out.append(
            Word(m.start(), m.end(), m.group(), folded, stem(folded, language or ""),
                 folded in stops)
        )
    return tuple(out)


def content_stems(text: str, language: str | None) -> frozenset[str]:
    """Stems of the words that carry meaning (no function words, nothing under 2 letters)."""
    return frozenset(w.stem for w in words(text, language) if not w.stop and len(w.folded) > 1)


def all_stems(text: str, language: str | None) -> frozenset[str]:
    """Stems of every word, function words included (for short quotes, where "not" matters)."""
    return frozenset(w.stem for w in words(text, language))
