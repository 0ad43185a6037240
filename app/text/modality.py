"""How sure a sentence is of what it says: hedges ("could", "reportedly", "pourrait") and
boosters ("will", "affirmed", "confirmé"), each with the words it governs.

A hedge governs the few content words after it, up to a comma or a conjunction that opens
another clause; "if" and its kin govern the rest of the sentence. Lexicons exist for English,
French, Italian and German; any other language has no markers, so it never raises a flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.text.words import Word, word_set, words

#: Content words a hedge or booster governs.
SCOPE_WORDS = 3

_HEDGES = {
    "en": """could may might would possibly possible potential potentially reportedly allegedly
        perhaps maybe likely probably presumably apparently considering consider considered
        consideration mulling weighing rumoured rumored supposedly""",
    "fr": """pourrait pourraient eventuel eventuelle eventuels eventuelles eventuellement
        possible possibles possiblement potentiel potentielle potentiels potentielles
        potentiellement envisage envisagent envisager envisagee envisages envisageait serait
        seraient aurait auraient devrait devraient peut-etre probablement vraisemblablement
        semble semblent susceptible hypothese eventualite""",
    "it": """potrebbe potrebbero eventuale eventuali eventualmente possibile possibili
        possibilmente potenziale potenziali potenzialmente sarebbe sarebbero avrebbe avrebbero
        dovrebbe dovrebbero forse probabilmente valuta valutando valutare considerando
        ipotesi presunto presunta""",
    "de": """konnte konnten moglich mogliche moglichen moglicherweise potenziell potenzielle
        eventuell vielleicht wahrscheinlich angeblich soll sollen erwagt erwagen erwogen wohl
        offenbar""",
}
_BOOSTERS = {
    "en": """will affirmed affirms confirmed confirms certainly definitely undoubtedly
        decided guaranteed assured""",
    "fr": """va vont sera seront affirme affirmee affirmes confirme confirmee confirmes
        certainement assurement decide decidee definitivement""",
    "it": """sara saranno confermato confermata affermato affermata certamente sicuramente
        deciso decisa definitivamente""",
    "de": """wird bestatigt bekraftigt sicher definitiv entschieden beschlossen""",
}
# Markers that make the whole rest of the sentence conditional.
_CONDITIONS = {"en": "if unless", "fr": "si", "it": "se qualora", "de": "wenn falls"}
# Words that open another clause: a hedge before them does not reach past them.
_CLAUSE_OPENERS = word_set(
        """once when because after before while which who whom whose where although though since
    until whereas lorsque quand parce puisque apres avant tandis quoique quando perche dopo
    mentre poiche weil nachdem bevor wahrend obwohl sobald"""
    )
# Words a hedge may skip before the word it governs ("could also maintain").
_SKIP = word_set("also still even already be have aussi encore deja etre avoir anche gia")
_BOUNDARY = re.compile(r"[,;:.!?()\[\]«»“”\"—–]")


def _lexicon(table: dict[str, str]) -> dict[str, frozenset[str]]:
    return {lang: word_set(text) for lang, text in table.items()}


HEDGES, BOOSTERS, CONDITIONS = _lexicon(_HEDGES), _lexicon(_BOOSTERS), _lexicon(_CONDITIONS)


def supported(language: str | None) -> bool:
    """Whether modality is read in this language at all."""
    return language in HEDGES


@dataclass(frozen=True)
class Marker:
    """A hedge or booster, where it is, and the stems of the words it governs."""

    kind: str  # "hedge" | "booster"
    word: str
    start: int
    end: int
    scope: tuple[str, ...]
    scope_end: int
    condition: bool = False  # "if": the rest of the sentence depends on it

    @property
    def head(self) -> str | None:
        return self.scope[0] if self.scope else None


def _plain(word: Word) -> str:
    """Folded and without accents, as the lexicons are written ("éventuel" -> "eventuel")."""
    return word.folded


@lru_cache(maxsize=16384)
def markers(text: str, language: str | None) -> tuple[Marker, ...]:
    """Every hedge and booster of ``text`` with the content words each governs."""
    if not supported(language):
        return ()
    tokens = words(text, language)
    hedges, boosters, conditions = HEDGES[language], BOOSTERS[language], CONDITIONS[language]
    found = []
    for index, word in enumerate(tokens):
        plain = _plain(word)
        if plain in conditions:
            kind, limit = "hedge", len(tokens)
        elif plain in hedges:
            kind, limit = "hedge", SCOPE_WORDS
        elif plain in boosters:
            kind, limit = "booster", SCOPE_WORDS
        else:
            continue
        scope, end = [], word.end
        for previous, nxt in zip(tokens[index:], tokens[index + 1:], strict=False):
            between = text[previous.end:nxt.start]
            if limit == SCOPE_WORDS and (
                _BOUNDARY.search(between) or nxt.folded in _CLAUSE_OPENERS
            ):
                break
            if _BOUNDARY.search(between) and between.strip()[:1] in ".!?":
                break
            end = nxt.end
            if nxt.stop or nxt.folded in _SKIP or nxt.folded in hedges | boosters:
                continue
            scope.append(nxt.stem)
            if len(scope) >= limit:
                break
        found.append(Marker(kind, word.text, word.start, word.end, tuple(scope), end,
                            condition=limit != SCOPE_WORDS))
    return tuple(found)


def hedged_stems(text: str, language: str | None) -> frozenset[str]:
    """Stems that some hedge of the text governs."""
    return frozenset(s for m in markers(text, language) if m.kind == "hedge" for s in m.scope)


def occurrences(text: str, language: str | None, stem: str) -> list[Word]:
    return [w for w in words(text, language) if w.stem == stem]


def governed_by(text: str, language: str | None, word: Word, kind: str) -> Marker | None:
    """The marker of ``kind`` whose scope covers ``word``, if any."""
    for marker in markers(text, language):
        if marker.kind == kind and marker.end <= word.start < marker.scope_end and (
            word.stem in marker.scope
        ):
            return marker
    return None
