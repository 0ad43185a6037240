"""Named people, places and organisations of a sentence, compared across spellings and languages.

Countries are known by every name Babel's locale data (CLDR) gives them in English, French,
Italian and German, plus the short forms and capitals newsrooms use for them ("UK", "Britain",
"Kyiv" for Ukraine), and their adjectives ("British", "britannique"). Other names are runs of
capitalised words; titles such as "Prime Minister" are not names. Two names are the same when
they share a country, a distinctive word ("Barrot" and "Jean-Noël Barrot"), or one is the
other's initials ("DCI" and "Défense Conseil International").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import justext
from babel import Locale
from babel.dates import get_day_names, get_month_names

from app.text.words import fold, word_set

_LOCALES = ("en", "fr", "it", "de")
#: Languages whose names, nationalities and capitals are known here.
NAME_LANGUAGES = frozenset(_LOCALES)
# Regions worth naming: Europe and the European Union read as one place here.
_REGIONS = {"150": "Europe", "EU": "Europe"}

# Short forms and capitals that stand for a country in news copy (metonymy: "Kyiv's allies").
_ALIASES = {
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "Grande-Bretagne", "Gran Bretagna",
           "Großbritannien", "London", "Londres", "Londra", "Downing Street"),
    "US": ("US", "U.S.", "USA", "U.S.A.", "America", "Washington", "White House", "Stati Uniti"),
    "UA": ("Kyiv", "Kiev", "Kiew", "Kyïv"),
    "FR": ("Paris", "Elysee", "Élysée", "Elysée", "Quai d'Orsay"),
    "RU": ("Moscow", "Moscou", "Mosca", "Moskau", "Kremlin"),
    "DE": ("Berlin", "Berlino"),
    "PL": ("Warsaw", "Varsovie", "Varsavia", "Warschau"),
    "IT": ("Rome", "Roma", "Rom"),
    "Europe": ("EU", "Europe", "Europa", "European Union"),
    "West": ("West", "Occident", "Westen", "Occidente"),
}
# Adjectives of nationality, as folded word beginnings; they name the country they stand for.
_DEMONYMS = {
    "GB": ("british", "britann", "britisch"),
    "FR": ("french", "francais", "franzosisch", "frances"),
    "DE": ("german", "allemand", "tedesc", "deutsch"),
    "US": ("american", "americain", "amerikanisch", "statunitens"),
    "UA": ("ukrainian", "ukrainien", "ucrain", "ukrainisch"),
    "RU": ("russian", "russe", "russ", "russisch"),
    "PL": ("polish", "polonais", "polacc", "polnisch"),
    "IT": ("italian", "italien", "italian", "italienisch"),
    "Europe": ("european", "europeen", "europe", "europa", "europaisch"),
    "West": ("western", "occidenta", "westlich"),
}
_ENGLISH_DEMONYMS = tuple(stems[0] for stems in _DEMONYMS.values())
_DEMONYM_EXCEPTIONS = frozenset({"russia", "russland", "european union", "europa", "europe"})

# Titles and institutions' generic words: a role, not a name ("Foreign Minister", "Ministry of
# Defense" against "armed forces ministry").
_ROLE_WORDS = word_set(
        """president prime minister foreign secretary general chancellor ministry ministere ministre
    president premier presidente ministro ministero prasident kanzler palace palais palazzo
    armed forces defense defence armees army armee military affairs state etat stato staat
    deputy chief head
    minister's ministers official officials government gouvernement governo regierung
    mr mrs ms dr m mme sir lord the le la les il lo der die das of de du des di da del von
    north south east west central national international"""
    )
# Titles of people, left out when a name is shown ("President Joe Biden" is "Joe Biden").
_TITLES = word_set(
    "president prime minister foreign secretary general chancellor mr mrs ms dr sir lord "
    "deputy chief premier presidente ministro ministre prasident kanzler"
)
_JOINERS = word_set("of de du des di da del von van der la le")
_CAPITALISED_WORD = re.compile(r"[^\W\d_][\w'’.\-]*", re.UNICODE)
_ELISION = re.compile(r"(?:[ldjnsmc]|qu|dell|dall|nell|sull|all)['’](?=\w)", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;«»\"“”„(\n]\s*|[-–—]\s+)$")


@dataclass(frozen=True)
class Entity:
    """A name as written; ``place`` is its country or region when it names one."""

    text: str
    start: int
    place: str | None = None
    demonym: bool = False
    tokens: frozenset[str] = field(default_factory=frozenset)

    @property
    def kind(self) -> str:
        return "place" if self.place else "name"

    def matches(self, other: Entity) -> bool:
        if self.place or other.place:
            return self.place == other.place
        if self.tokens & other.tokens:
            return True
        return _initials_of(self, other) or _initials_of(other, self)


def _initials_of(acronym: Entity, name: Entity) -> bool:
    letters = acronym.text.replace(".", "")
    if not (letters.isupper() and 2 <= len(letters) <= 6):
        return False
    words = [w for w in re.split(r"[\s\-]+", name.text) if w and fold(w) not in _JOINERS]
    return len(words) == len(letters) and all(
        fold(w)[0] == fold(c) for w, c in zip(words, letters, strict=True)
    )


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """Folded name -> country code or region, in every language the desk reads."""
    table: dict[str, str] = {}
    for language in _LOCALES:
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha() and code != "EU":
                table.setdefault(_key(name), code)
    for code, names in _ALIASES.items():
        for name in names:
            table[_key(name)] = code
    return table


# jusText's lists of each language's commonest words, by the names it files them under.
_STOPLISTS = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "ru": "Russian", "uk": "Ukrainian",
}
# Credits its list lacks: "Laut Le Monde" is "according to Le Monde".
_MORE_OPENERS = {"de": ("laut", "gemäß")}


@lru_cache(maxsize=16)
def _openers(language: str | None) -> frozenset[str]:
    """Words that open a sentence but never a name ("Selon Le Monde", "According to"): the
    language's common words (all the desk's languages when it is not known), less the articles
    and titles that do begin names ("Le Monde", "President Macron")."""
    languages = [language] if language in _STOPLISTS else list(_STOPLISTS)
    out = set()
    for code in languages:
        out.update(fold(w) for w in justext.get_stoplist(_STOPLISTS[code]))
        out.update(_MORE_OPENERS.get(code, ()))
    return frozenset(out - _ROLE_WORDS - _JOINERS - _place_openers())


@lru_cache(maxsize=1)
def _place_openers() -> frozenset[str]:
    """First words of place names of several words ("New" Zealand, "United" Kingdom): common
    words that do begin names, of places and of what is named after them ("New York Times")."""
    return frozenset(key.split()[0] for key in _places() if " " in key)


@lru_cache(maxsize=1)
def _calendar_words() -> frozenset[str]:
    """Month and weekday names: "May" and "Monday" are dates, not names."""
    out = set()
    for language in _LOCALES:
        for names in (get_month_names("wide", locale=language),
                      get_month_names("abbreviated", locale=language),
                      get_day_names("wide", locale=language)):
            out.update(fold(n).rstrip(".") for n in names.values())
    return frozenset(out)


def _key(name: str) -> str:
    """How a place name is looked up: folded, without dots ("U.K." is "uk")."""
    return fold(name).replace(".", "")


@lru_cache(maxsize=65536)
def _demonym(folded: str) -> str | None:
    """The country a nationality word points to; kept per word, as every name is checked."""
    if folded in _DEMONYM_EXCEPTIONS or folded in _places():
        return None
    for code, stems in _DEMONYMS.items():
        if any(folded.startswith(s) for s in stems):
            return code
    return None


def _strip_possessive(word: str) -> str:
    return re.sub(r"['’]s?$", "", word).rstrip(".")


# Languages that capitalise every noun: a lone capitalised word there is no sign of a name.
_NOUN_CAPITALS = frozenset({"de"})


@lru_cache(maxsize=16384)
def entities(text: str, language: str | None = None) -> tuple[Entity, ...]:
    """The names in ``text``: places (countries, their capitals and adjectives) and other names.

    A capitalised word opening a sentence counts only when it is a place, an acronym, part of a
    longer name, or written with a capital elsewhere in the text; a function word opening it
    ("Selon", "According", "Laut") is never part of a name. In German, where every noun has a
    capital, only places, acronyms and names of several words count.
    """
    places, calendar, openers = _places(), _calendar_words(), _openers(language)
    words = []
    for m in _CAPITALISED_WORD.finditer(text):
        elided = _ELISION.match(m.group())  # "l'Élysée", "dell'Ucraina": the article goes
        cut = elided.end() if elided else 0
        words.append((m.start() + cut, _strip_possessive(m.group()[cut:])))
    capitalised_inside = {
        fold(w) for s, w in words if w[:1].isupper() and not _SENTENCE_START.search(text[:s])
    }
    found: list[Entity] = []
    title_case = _is_title_case(words)
    i = 0
    while i < len(words):
        start, word = words[i]
        # the longest known place name starting here ("Great Britain", "European Union")
        for size in (3, 2, 1):
            chunk = words[i:i + size]
            if len(chunk) < size or not chunk[0][1][:1].isupper():
                continue
            name = " ".join(w for _, w in chunk)
            if _key(name) in places and text[start:].startswith(chunk[0][1]):
                found.append(Entity(name, start, places[_key(name)]))
                i += size
                break
        else:
            code = _demonym(fold(word))
            # English writes nationalities with a capital: lowercase "polish" is a verb
            if code and (word[:1].isupper() or not fold(word).startswith(_ENGLISH_DEMONYMS)):
                found.append(Entity(word, start, code, demonym=True))
                i += 1
                continue
            if fold(word) in openers and _SENTENCE_START.search(text[:start]):
                i += 1
                continue
            if word[:1].isupper() and fold(word) not in calendar:
                run = [(start, word)]
                j = i + 1
                while j < len(words):
                    nxt = words[j][1]
                    gap = text[run[-1][0] + len(run[-1][1]):words[j][0]]
                    if gap.strip(" ") or "\n" in gap:
                        break
                    if nxt[:1].isupper() and _key(nxt) not in places and not _demonym(fold(nxt)) \
                            and fold(nxt) not in calendar or (
                        fold(nxt) in _JOINERS and j + 1 < len(words)
                        and words[j + 1][1][:1].isupper()
                    ):
                        run.append(words[j])
                    else:
                        break
                    j += 1
                while run and fold(run[-1][1]) in _JOINERS:
                    run.pop()
                entity = _name(text, run, capitalised_inside) if run else None
                lone_noun = language in _NOUN_CAPITALS and len(run) == 1
                if entity and (not (title_case or lone_noun) or entity.text.isupper()):
                    found.append(entity)
                i += max(len(run), 1)
                continue
            i += 1
    return tuple(found)


def _is_title_case(words: list[tuple[int, str]]) -> bool:
    """A headline in Title Case capitalises every word: its capitals name nothing."""
    long = [w for _, w in words if len(w) > 3]
    return len(long) >= 3 and sum(w[:1].isupper() for w in long) >= 0.7 * len(long)


def _name(text: str, run: list[tuple[int, str]], inside: set[str]) -> Entity | None:
    """A run of capitalised words as a name, without its titles; None when nothing is left."""
    start = run[0][0]
    tokens = frozenset(
        fold(w) for _, w in run if fold(w) not in _ROLE_WORDS and len(fold(w)) >= 2
    )
    if not tokens:
        return None
    first = run[0][1]
    at_start = bool(_SENTENCE_START.search(text[:start]))
    is_acronym = sum(c.isupper() for c in first) >= 2
    if at_start and len(run) == 1 and not is_acronym and fold(first) not in inside:
        return None
    while len(run) > 1 and fold(run[0][1]) in _TITLES:
        run = run[1:]
    shown = " ".join(w for _, w in run)
    return Entity(shown, run[0][0], None, tokens=frozenset(_split_tokens(tokens)))


def _split_tokens(tokens: frozenset[str]) -> set[str]:
    """"jean-noel" also answers to "noel"; short pieces are dropped."""
    out = set()
    for token in tokens:
        out.add(token)
        out.update(p for p in token.split("-") if len(p) >= 3 and p not in _ROLE_WORDS)
    return out
