"""What a search for words in a story means, apart from the database that runs it.

A query is a phrase of words: each word of the query, in order, with the last one matching any
word it begins ("red line" finds "red lines"). Words compare without case or accents ("noel"
finds "Noël"), the way SQLite's FTS5 ``unicode61 remove_diacritics 2`` tokenizer and
PostgreSQL's ``unaccent`` read them. The user's words are only ever passed as quoted terms, so
quotes, ``*``, ``-``, ``NEAR`` or parentheses in a query are words or nothing, never syntax.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A word as FTS5's unicode61 tokenizer sees one: letters and digits; "_" and marks separate.
_WORD = re.compile(r"[^\W_]+")
#: Words of a query that count; a longer query is cut, not refused.
MAX_TERMS = 12


def fold_word(word: str) -> str:
    """Lowercase without accents."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_text(text: str | None) -> str | None:
    """``fold_word`` for a whole text; SQLite calls it as ``fold()`` (NULL stays NULL)."""
    return None if text is None else fold_word(text)


def terms(query: str) -> list[str]:
    """The folded words of a query, in order; empty when it has none."""
    out = []
    for match in _WORD.finditer(query):
        out.extend(_WORD.findall(fold_word(match.group())))
    return out[:MAX_TERMS]


def fts5_query(words: list[str]) -> str:
    """An FTS5 MATCH expression for the phrase, its last word as a prefix."""
    return '"' + " ".join(words) + '"*'


def tsquery(words: list[str]) -> str:
    """A PostgreSQL ``to_tsquery`` text for the same phrase; words hold only letters and digits,
    so nothing in them is an operator."""
    return " <-> ".join([*words[:-1], f"{words[-1]}:*"])


@lru_cache(maxsize=4096)
def _folded(word: str) -> str:
    return "".join(_WORD.findall(fold_word(word)))


def phrase_marks(text: str, words: list[str]) -> list[tuple[str, bool]] | None:
    """`text` cut into (run, matched) pieces around every occurrence of the phrase, or None if
    it does not occur. A match covers whole words in their original spelling."""
    if not words:
        return None
    spans = [(m.start(), m.end(), _folded(m.group())) for m in _WORD.finditer(text)]
    pieces: list[tuple[str, bool]] = []
    cursor, i, n = 0, 0, len(words)
    while i + n <= len(spans):
        window = spans[i : i + n]
        if all(w[2] == t for w, t in zip(window[:-1], words[:-1], strict=True)) and window[-1][
            2
        ].startswith(words[-1]):
            begin, end = window[0][0], window[-1][1]
            if begin > cursor:
                pieces.append((text[cursor:begin], False))
            pieces.append((text[begin:end], True))
            cursor = end
            i += n
        else:
            i += 1
    if not pieces:
        return None
    if cursor < len(text):
        pieces.append((text[cursor:], False))
    return pieces
