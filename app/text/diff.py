"""Word-level comparison of two wordings of the same claim.

Words are matched case- and punctuation-insensitively, so "Kyiv," and "kyiv"
count as the same word; each op still carries both original spellings. Every
character of both texts belongs to exactly one op: joining the ``a`` sides
gives back the origin and joining the ``b`` sides gives back the other text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

OpName = Literal["equal", "replace", "insert", "delete"]

# A word, with inner apostrophes, hyphens and dots kept: "Starmer's", "long-range", "U.S".
_WORD = re.compile(r"\w+(?:['’.\-]\w+)*")

#: An unchanged run of function words this long between two changes joins them.
MAX_ABSORBED_STOP_WORDS = 3
#: An unchanged run of other words this long may join two larger changes.
MAX_ABSORBED_WORDS = 2

# Short function words that carry no meaning on their own: kept between two
# changes they split one rewording into several.
STOP_WORDS = frozenset({
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "from", "with", "as",
    "and", "or", "but", "nor", "that", "this", "these", "those", "is", "are", "was", "were",
    "be", "been", "it", "its", "their", "his", "her", "they", "he", "she", "we", "our",
    "which", "who", "whom", "has", "have", "had", "not", "no",
})  # fmt: skip


@dataclass(frozen=True)
class DiffOp:
    """One step from origin to other: ``a`` is the origin's text, ``b`` the other's."""

    op: OpName
    a: str
    b: str


@dataclass(frozen=True)
class _Token:
    text: str  # the word with everything up to the next word
    key: str  # what is compared: see _key


@lru_cache(maxsize=16384)
def tokenize(text: str) -> tuple[_Token, ...]:
    """Split text into words, each carrying the spaces and punctuation after it.

    Anything before the first word is attached to it, so the tokens always join
    back to ``text``. Kept per text: a claim's wording is diffed against every outlet's.
    """
    starts = [m.start() for m in _WORD.finditer(text)]
    if not starts:
        return (_Token(text, ""),) if text else ()
    starts[0] = 0
    bounds = [*starts, len(text)]
    tokens = []
    for begin, end in zip(bounds, bounds[1:], strict=False):
        chunk = text[begin:end]
        word = _WORD.search(chunk)
        tokens.append(_Token(chunk, _key(word.group(0)) if word else ""))
    return tuple(tokens)


def _key(word: str) -> str:
    """Case-folded, with typographic apostrophes straightened and dots dropped.

    Outlets differ in house style, not wording, when one writes "Kyiv’s" or
    "U.S." and another "Kyiv's" or "US".
    """
    return word.casefold().replace("’", "'").replace(".", "")


def word_diff(origin: str, other: str) -> list[DiffOp]:
    """Diff two texts word by word, with small unchanged gaps folded into changes.

    A rewording such as "sparked immediate opposition" -> "was met with denials"
    comes out as one replace rather than a string of one-word edits.
    """
    a_tokens, b_tokens = tokenize(origin), tokenize(other)
    blocks = _raw_blocks(a_tokens, b_tokens)
    blocks = _absorb_small_equalities(blocks)
    ops = []
    for block in blocks:
        a_text = "".join(t.text for t in block.a)
        b_text = "".join(t.text for t in block.b)
        if not a_text and not b_text:
            continue
        if block.equal:
            name: OpName = "equal"
        elif not a_text:
            name = "insert"
        elif not b_text:
            name = "delete"
        else:
            name = "replace"
        ops.append(DiffOp(name, a_text, b_text))
    return ops


def similarity(origin: str, other: str) -> float:
    """Share of the origin's words that the other text keeps, in order, from 0 to 1.

    Two texts without words are identical (1.0); an origin without words
    compared to one with words shares nothing (0.0).
    """
    a_keys = [t.key for t in tokenize(origin) if t.key]
    b_keys = [t.key for t in tokenize(other) if t.key]
    if not a_keys:
        return 1.0 if not b_keys else 0.0
    matcher = SequenceMatcher(None, a_keys, b_keys, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    return kept / len(a_keys)


def kept_share(
    claim: str, sentence: str, claim_language: str | None, sentence_language: str | None
) -> float | None:
    """The share of the claim's words a linked sentence keeps; None across languages, where a
    word diff means nothing (an unknown language is given the benefit of the doubt). Stored
    with each link, so pages average it rather than diff every wording."""
    if claim_language and sentence_language and claim_language != sentence_language:
        return None
    return similarity(claim, sentence)


@dataclass(frozen=True)
class _Block:
    equal: bool
    a: list[_Token]
    b: list[_Token]
    weight: int = 0  # words really changed, not counting unchanged runs folded in


def _change(a: list[_Token], b: list[_Token], weight: int | None = None) -> _Block:
    return _Block(False, a, b, max(len(a), len(b)) if weight is None else weight)


def _raw_blocks(a_tokens: list[_Token], b_tokens: list[_Token]) -> list[_Block]:
    """SequenceMatcher's opcodes, with neighbouring changes merged into one."""
    matcher = SequenceMatcher(
        None, [t.key for t in a_tokens], [t.key for t in b_tokens], autojunk=False
    )
    blocks: list[_Block] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        a_part, b_part = a_tokens[i1:i2], b_tokens[j1:j2]
        if tag == "equal":
            blocks.append(_Block(True, a_part, b_part))
        elif blocks and not blocks[-1].equal:
            prev = blocks[-1]
            blocks[-1] = _change(prev.a + a_part, prev.b + b_part)
        else:
            blocks.append(_change(a_part, b_part))
    return blocks


def _is_small_equality(middle: _Block, before: _Block, after: _Block) -> bool:
    """Whether an unchanged run between two changes reads as part of one rewording.

    In the spirit of diff-match-patch's semantic cleanup, counted in words: the
    run goes if it is only function words such as "the" or "of", or if it is
    shorter than the changes on both sides of it.
    """
    size = len(middle.a)
    if size <= MAX_ABSORBED_STOP_WORDS and all(t.key in STOP_WORDS or not t.key for t in middle.a):
        return True
    return size <= MAX_ABSORBED_WORDS and size < before.weight and size < after.weight


def _absorb_small_equalities(blocks: list[_Block]) -> list[_Block]:
    """Fold short unchanged runs between changes into them.

    After a merge the grown change is checked again against the next run, so
    a chain of small gaps collapses into one change. Its weight stays the sum of
    the real changes, so kept content does not make a change look bigger.
    """
    blocks = list(blocks)
    index = 1
    while index < len(blocks) - 1:
        before, middle, after = blocks[index - 1], blocks[index], blocks[index + 1]
        if (
            middle.equal
            and not before.equal
            and not after.equal
            and _is_small_equality(middle, before, after)
        ):
            blocks[index - 1 : index + 2] = [
                _change(
                    before.a + middle.a + after.a,
                    before.b + middle.b + after.b,
                    before.weight + after.weight,
                )
            ]
            continue
        index += 1
    return blocks
