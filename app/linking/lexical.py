"""Surface evidence between texts: character n-gram TF-IDF and language-independent anchors.

Character n-grams catch paraphrases that keep word stems within one language. Anchors
(numbers, names, acronyms, quoted words) survive translation, so they are the lexical
evidence still usable when two texts are in different languages.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SENTENCE_START = re.compile(r"(^|[.!?:;«»\"“”„(]\s*)$")
#: Rows of a text-by-text matrix computed at a time: a story inducing its claims compares
#: thousands of sentences with each other, and whole float64 temporaries would be the bulk.
BLOCK_ROWS = 256


# Crediting a source or hedging on it, in the languages the desk reads (generic words only).
ATTRIBUTION = re.compile(
    r"""\b(
        according\ to | reports? | reported | writes | wrote | said | says | quoted | cites?
        | citing | the\ (newspaper|daily|paper|publication|report|article)
        | reportedly | allegedly | apparently | paraît-il | angeblich | offenbar
        | selon | d['’]après | rapporte | écrit | indique | affirme | le\ quotidien | le\ journal
        | secondo | scrive | riporta | riferisce | il\ quotidiano | il\ giornale
        | laut | berichtet | schreibt | zufolge | die\ zeitung
        | según | informa | escribe | el\ diario
        | за\ даними | пише | повідомляє | як\ зазначає | видання | газета
        | σύμφωνα\ με | γράφει | αναφέρει | η\ εφημερίδα
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)


def credits_source(text: str) -> bool:
    """The text credits a source ("Le Monde reports", "selon le quotidien") or hedges on one
    ("reportedly"): outlets mark this way what they take from a report."""
    return bool(ATTRIBUTION.search(text))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lowercase and strip accents, so "Noël" and "Noel" compare equal; cached, as a story's
    sentences are compared again each time an article joins it."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def char_tfidf_vectors(texts: Sequence[str]) -> csr_matrix:
    """L2-normalised character 3-5-gram TF-IDF vectors of ``texts`` (rows), idf over them all;
    the dot product of two rows is their cosine similarity."""
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, preprocessor=fold
    )
    try:
        return vectorizer.fit_transform(list(texts)).tocsr()
    except ValueError:  # no text, or nothing but very short texts
        return csr_matrix((len(texts), 1), dtype=np.float64)


@lru_cache(maxsize=65536)
def anchors(text: str) -> frozenset[str]:
    """Tokens likely to survive paraphrase and translation: numbers, names, acronyms."""
    found: set[str] = set()
    for m in _NUMBER.finditer(text):
        digits = re.sub(r"[.,]", "", m.group())
        if len(digits) >= 2 or m.group() != "0":
            found.add(digits.lstrip("0") or "0")
    for m in _WORD.finditer(text):
        word = m.group()
        if not word[0].isupper() or word.isdigit():
            continue
        is_acronym = sum(ch.isupper() for ch in word) >= 2
        at_start = bool(_SENTENCE_START.search(text[: m.start()]))
        if is_acronym or not at_start:
            token = fold(word)
            if len(token) >= 2:
                found.add(token)
    return frozenset(found)


def anchor_weights(anchor_sets: Sequence[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency of anchors: a name every text carries proves little."""
    n = max(len(anchor_sets), 1)
    df = Counter(a for s in anchor_sets for a in s)
    return {a: float(np.log((n + 1) / (c + 0.5))) for a, c in df.items()}


def anchor_similarity(
    anchor_sets: Sequence[frozenset[str]],
    weights: dict[str, float] | None = None,
    rows: Sequence[int] | None = None,
    cols: Sequence[int] | None = None,
) -> np.ndarray:
    """Weighted overlap (Dice) of anchor sets, with fuzzy name matching.

    Between all texts, or between the ``rows`` and ``cols`` indices only (weights and name
    variants still come from every set), so a large story is not compared with itself.
    """
    weights = weights if weights is not None else anchor_weights(anchor_sets)
    rows = list(range(len(anchor_sets)) if rows is None else rows)
    cols = list(range(len(anchor_sets)) if cols is None else cols)
    totals = np.array([sum(weights.get(a, 0.0) for a in s) for s in anchor_sets])
    canon = _canonical_forms(anchor_sets)
    mapped = [frozenset(canon[a] for a in s) for s in anchor_sets]
    vocab = {a: i for i, a in enumerate(sorted({a for s in mapped for a in s}))}
    if not vocab or not rows or not cols:
        return np.zeros((len(rows), len(cols)), dtype=np.float32)
    weight = np.array([weights.get(a, 0.0) for a in vocab])

    def matrix(indices: list[int], weighted: bool) -> csr_matrix:
        data, ind, ptr = [], [], [0]
        for i in indices:
            terms = sorted(vocab[a] for a in mapped[i])
            ind.extend(terms)
            data.extend(weight[terms] if weighted else np.ones(len(terms)))
            ptr.append(len(ind))
        return csr_matrix((data, ind, ptr), shape=(len(indices), len(vocab)))

    # the weight of the anchors each pair shares, as one sparse product per block of rows
    weighted, right = matrix(rows, True), matrix(cols, False).T.tocsr()
    t_cols = totals[cols][None, :]
    out = np.empty((len(rows), len(cols)), np.float32)
    for start in range(0, len(rows), BLOCK_ROWS):
        block = slice(start, start + BLOCK_ROWS)
        common = (weighted[block] @ right).toarray()
        t_rows = totals[rows[block]][:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            dice = np.minimum(2.0 * common / (t_rows + t_cols), 1.0)
        keep = (t_rows > 0) & (t_cols > 0) & (common > 0)
        out[block] = np.where(keep, dice, 0.0)
    return out


def _canonical_forms(anchor_sets: Sequence[frozenset[str]]) -> dict[str, str]:
    """Map inflected or transliterated variants of a name to one form ("starmera" -> "starmer").

    Two words are variants when one is a prefix of the other of at least five letters and
    they differ by at most three trailing letters (case endings in Slavic languages, etc.).
    """
    words = {a for s in anchor_sets for a in s}
    canon: dict[str, str] = {}
    for word in sorted(words, key=lambda w: (len(w), w)):  # shorter forms are mapped first
        target = word
        if not word.isdigit() and len(word) >= 6:
            for size in range(max(5, len(word) - 3), len(word)):
                if word[:size] in words:
                    target = canon[word[:size]]
                    break
        canon[word] = target
    return canon


# Function words (folded, without accents) of the languages the desk reads most, leaving out
# those that are also English content words ("war", "die", "come"); idf discounts the rest.
_STOP = frozenset(
    (
        "the", "a", "an", "of", "to", "in", "on", "and", "or", "for", "with", "by", "as", "at",
        "from", "that", "this", "these", "those", "is", "are", "was", "were", "be", "been", "has",
        "have", "had", "it", "its", "their", "they", "which", "who", "will", "would", "could",
        "may", "might", "not", "no", "than", "into", "about", "over", "after", "before", "also",
        # French
        "les", "des", "une", "dans", "par", "pour", "sur", "avec", "qui", "que", "est", "sont",
        "ont", "aux", "ses", "leur", "leurs", "cette", "ces", "ete", "etre", "pas", "plus",
        "mais", "comme", "entre", "sans", "sous", "elle", "ils", "elles", "nous", "vous", "tres",
        "aussi", "encore", "deja", "lors", "apres", "avant", "tout", "tous", "toute", "toutes",
        "avait", "etait", "fait", "leurs",
        # Italian
        "gli", "della", "delle", "dei", "del", "degli", "nel", "nella", "nei", "nelle", "per",
        "con", "che", "sono", "una", "uno", "alla", "alle", "allo", "dal", "dalla", "dai", "sul",
        "sulla", "non", "piu", "anche", "come", "questo", "questa", "questi", "queste", "suo",
        "sua", "loro", "essere", "stato", "stata", "hanno", "aveva", "tra", "fra", "gia", "dopo",
        "prima",
        # German
        "der", "das", "dem", "ein", "eine", "einer", "eines", "einem", "einen", "und", "oder",
        "mit", "von", "fur", "auf", "aus", "bei", "nach", "sich", "ist", "sind", "wurde",
        "wurden", "haben", "nicht", "auch", "als", "wie", "dass", "zur", "zum", "uber", "unter",
        "zwischen", "sein", "seine", "ihre", "ihr", "noch", "bereits", "schon", "werden", "wird",
        "vor",
        # Spanish
        "los", "las", "por", "para", "sus", "sobre", "ser", "han", "fue", "tambien", "pero",
        "mas", "este", "esta", "estos", "estas",
    )
)
_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=65536)
def stems(text: str) -> frozenset[str]:
    """Crude language-independent stems: the first five letters of each content word."""
    out = set()
    for word in _LETTERS.findall(text):
        folded = fold(word)
        if len(folded) >= 3 and folded not in _STOP:
            out.add(folded[:5])
    return frozenset(out)


def containment(texts: Sequence[str], rows: Sequence[int], cols: Sequence[int]) -> tuple:
    """How much of each column text a row text contains, and how much of the row the column covers.

    Both are idf-weighted shares of shared stems (idf over ``texts``): the first is the share of
    the column's stems found in the row (a long sentence that carries a whole claim and more),
    the second the share of the row's stems found in the column (a short sentence carrying part
    of a claim). Returns two arrays of shape (len(rows), len(cols)).
    """
    sets = [stems(t) for t in texts]
    vocab: dict[str, int] = {}
    for s in sets:
        for w in s:
            vocab.setdefault(w, len(vocab))
    shape = (len(rows), len(cols))
    if not vocab or not len(rows) or not len(cols):
        return np.zeros(shape, np.float32), np.zeros(shape, np.float32)
    df = np.zeros(len(vocab))
    for s in sets:
        for w in s:
            df[vocab[w]] += 1
    idf = np.log((len(sets) + 1) / (df + 0.5))

    def matrix(indices: Sequence[int]):
        data, ind, ptr = [], [], [0]
        for i in indices:
            cols_i = sorted(vocab[w] for w in sets[i])
            ind.extend(cols_i)
            data.extend(idf[cols_i])
            ptr.append(len(ind))
        return csr_matrix((data, ind, ptr), shape=(len(indices), len(vocab)))

    r, c = matrix(rows), matrix(cols)
    r_total = np.asarray(r.sum(axis=1)).ravel()
    c_total = np.asarray(c.sum(axis=1)).ravel()
    present, right = r.sign(), c.T.tocsr()
    of_col, of_row = np.empty(shape, np.float32), np.empty(shape, np.float32)
    for start in range(0, len(rows), BLOCK_ROWS):  # a block of rows at a time: dense float64
        block = slice(start, start + BLOCK_ROWS)
        shared = (present[block] @ right).toarray()  # idf mass of the column's stems in the row
        with np.errstate(invalid="ignore", divide="ignore"):
            of_col[block] = np.where(c_total[None, :] > 0, shared / c_total[None, :], 0.0)
            of_row[block] = np.where(
                r_total[block, None] > 0, shared / r_total[block, None], 0.0
            )
    return of_col, of_row
