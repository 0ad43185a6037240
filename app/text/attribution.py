"""Who a sentence says its information comes from: the origin outlet, a secondary source (a
source of the origin, an interview, a named speaker), both, or nobody.

The origin is recognised by its name, by the words rewrites use for it ("the French daily",
"the report", "selon le quotidien"), and by literal translations of its name that machine
translation produces ("The World" for Le Monde). English, French, Italian and German phrasings
are known; in other languages only the outlet's name and speakers' names are found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.text.words import fold

# Literal translations of outlet names, as machine translation renders them.
OUTLET_TRANSLATIONS = {
    "le monde": ("The World", "Il Mondo", "Die Welt"),
    "le figaro": ("The Figaro",),
    "la repubblica": ("The Republic",),
    "el pais": ("The Country",),
}

_ORIGIN_WORDS = {
    "en": r"(?:the\s+(?:(?:french|british|italian|german|american|\w+)\s+)?"
          r"(?:daily|newspaper|paper|publication|report|article|outlet|magazine|weekly)"
          r"|according\s+to\s+(?:the|this)\s+report)\b",
    "fr": r"(?:(?:le|du|au)\s+(?:quotidien|journal|média|magazine|article|rapport)"
          r"|(?:l'|l’)(?:article|hebdomadaire)|selon\s+(?:le|ce)\s+(?:quotidien|journal))\b",
    "it": r"(?:(?:il|del|al)\s+(?:quotidiano|giornale|rapporto|settimanale)"
          r"|(?:l'|l’)articolo|secondo\s+il\s+(?:quotidiano|giornale))\b",
    "de": r"(?:(?:die|der|das|dem|den)\s+(?:Zeitung|Tageszeitung|Blatt|Bericht|Artikel)"
          r"|laut\s+(?:der\s+Zeitung|dem\s+Bericht))\b",
}
_SOURCES = {
    "en": r"(?:\b(?:a|an|one|two|several|its|their|other|reliable|informed)\s+(?:[\w-]+\s+){0,3}?"
          r"(?:sources?|spokes(?:man|woman|person)|representatives?\b(?!\s+of)|insiders?)"
          r"|\bsources\b)",
    "fr": r"(?:\b(?:une|des|d'|d’|plusieurs|ses)\s*(?:[\w-]+\s+){0,3}?"
          r"(?:sources?|porte-parole|représentants?\b(?!\s+de))\b)",
    "it": r"(?:\b(?:una|delle|alcune|un)\s+(?:[\w-]+\s+){0,3}?"
          r"(?:fonte|fonti|portavoce|rappresentante)\b|\bfonti\b)",
    "de": r"(?:\b(?:eine|einer|mehrere|aus)\s+(?:[\w-]+\s+){0,3}?"
          r"(?:Quellen?|Kreisen|Sprecher(?:in)?|Vertreter(?:in)?)\b|\bQuellen\b)",
}
_MEDIUM = r"(?P<{n}>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*)"
_MEDIA = {
    "en": rf"(?:(?i:(?:in|during)\s+an?\s+(?:[\w-]+\s+)?interview\s+(?:with|to)\s+(?:the\s+)?)"
          rf"{_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:told|speaking\s+to|talking\s+to|interviewed\s+by)\s+(?:the\s+)?)"
          rf"{_MEDIUM.format(n='m2')}"
          rf"|(?i:(?:in\s+|during\s+)?an?\s+(?:[\w-]+\s+)?){_MEDIUM.format(n='m3')}"
          r"(?i:\s+interview))",
    "fr": rf"(?:(?i:(?:dans|lors\s+d['’])\s*un\s+entretien\s+(?:avec|à|accordé\s+à)\s+"
          rf"(?:la\s+|le\s+|l['’])?){_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:a\s+déclaré|a\s+confié|a\s+dit|interrogé\s+par|au\s+micro\s+de)\s+"
          rf"(?:à\s+)?(?:la\s+|le\s+|au\s+)?){_MEDIUM.format(n='m2')}"
          rf"|(?i:(?:une\s+)?interview\s+(?:à|avec)\s+(?:la\s+|le\s+)?){_MEDIUM.format(n='m3')})",
    "it": rf"(?:(?i:(?:in\s+un['’]|nell['’])\s*intervista\s+(?:alla|al|con\s+la|con\s+il|con)\s+)"
          rf"{_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:ha\s+detto|ha\s+dichiarato)\s+(?:alla|al)\s+){_MEDIUM.format(n='m2')}"
          rf"|(?i:intervista\s+(?:alla\s+|al\s+)?){_MEDIUM.format(n='m3')})",
    "de": rf"(?:(?i:(?:in\s+einem|im)\s+(?:[\w-]+\s+)?Interview\s+(?:mit\s+)?(?:der\s+|dem\s+)?)"
          rf"{_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:sagte|erklärte)\s+(?:der|dem)\s+){_MEDIUM.format(n='m2')}"
          rf"|{_MEDIUM.format(n='m3')}-Interview)",
}
# Verbs of saying: a named or pronoun subject with one is a speaker the sentence cites.
_SAYING = {
    "en": r"said|says|stated|states|told|tells|urged|urges|affirmed|affirms|confirmed|added|"
          r"explained|declared|noted|revealed|emphasi[sz]ed|insisted|warned|announced|indicated|"
          r"claimed|argued|confesses|confided|stressed|reiterated|highlighted",
    "fr": r"a\s+déclaré|a\s+dit|a\s+affirmé|a\s+indiqué|a\s+expliqué|a\s+précisé|a\s+souligné|"
          r"a\s+confié|a\s+assuré|a\s+estimé|a\s+averti|déclare|affirme|explique|estime|assure",
    "it": r"ha\s+detto|ha\s+dichiarato|ha\s+affermato|ha\s+spiegato|ha\s+sottolineato|"
          r"ha\s+assicurato|ha\s+ribadito|dice|afferma|spiega",
    "de": r"sagte|sagt|erklärte|erklärt|betonte|betont|versicherte|warnte|bekräftigte",
}
_PRONOUNS = r"he|she|they|il|elle|ils|elles|lui|lei|er|sie"
_NAME = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3}"


@dataclass(frozen=True)
class Attribution:
    """What a sentence credits: the phrase naming the origin, and phrases naming others."""

    origin: str | None
    secondary: tuple[str, ...]

    @property
    def kind(self) -> str:
        """origin (the origin is named, with or without others), secondary, or none."""
        if self.origin:
            return "origin"
        return "secondary" if self.secondary else "none"


def origin_names(outlet: str | None) -> tuple[str, ...]:
    """The origin's name and the translations of it that rewrites print."""
    if not outlet:
        return ()
    return (outlet, *OUTLET_TRANSLATIONS.get(fold(outlet), ()))


@lru_cache(maxsize=64)
def _compiled(language: str, names: tuple[str, ...]):
    lang = language if language in _ORIGIN_WORDS else "en"
    name_pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    origin = re.compile(
        (rf"(?:{name_pattern})(?:['’]s)?\b|" if names else "") + _ORIGIN_WORDS[lang],
        re.IGNORECASE if not names else 0,
    )
    generic = re.compile(_ORIGIN_WORDS[lang], re.IGNORECASE)
    sources = re.compile(_SOURCES[lang], re.IGNORECASE)
    media = re.compile(_MEDIA[lang])
    speaker = re.compile(
        rf"(?:(?<!the )(?<!The )(?P<name>{_NAME})|\b(?P<pronoun>{_PRONOUNS}))\s*,?\s+"
        rf"(?:[a-z][\w-]*\s+){{0,2}}?(?:{_SAYING[lang]})\b"
        rf"|(?:{_SAYING[lang]})\s+(?P<after>{_NAME})"
    )
    return origin, generic, sources, media, speaker


@lru_cache(maxsize=16384)
def attribution(text: str, language: str | None, origin: tuple[str, ...] = ()) -> Attribution:
    """The sources ``text`` names. ``origin`` lists the origin outlet's names."""
    names = tuple(n for n in origin if n)
    origin_re, generic, sources, media, speaker = _compiled(language or "en", names)
    origin_phrase = None
    taken: list[tuple[int, int]] = []
    for m in origin_re.finditer(text):
        # a name matches as written; generic words ("the report") in any case
        origin_phrase = m.group()
        taken.append(m.span())
        break
    if origin_phrase is None:
        m = generic.search(text)
        if m:
            origin_phrase, _ = m.group(), taken.append(m.span())
    others: list[str] = []
    for m in media.finditer(text):
        medium = next(g for g in (m.group("m1"), m.group("m2"), m.group("m3")) if g)
        if not _overlaps(m.span(), taken) and fold(medium) not in {fold(n) for n in names}:
            others.append(m.group().strip())
            taken.append(m.span())
    for m in sources.finditer(text):
        if not _overlaps(m.span(), taken) and not _in_quote(text, m.start()):
            others.append(m.group().strip())
            taken.append(m.span())
    for m in speaker.finditer(text):
        who = m.group("name") or m.group("pronoun") or m.group("after")
        if _overlaps(m.span(), taken) or who.split()[0].lower() in {"the", "le", "la", "il"}:
            continue
        if names and any(fold(n) in fold(who) for n in names):
            continue
        others.append(who.strip().rstrip("."))
        taken.append(m.span())
    return Attribution(origin_phrase, tuple(dict.fromkeys(others)))


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def _in_quote(text: str, position: int) -> bool:
    """Inside quotation marks the words are the speaker's, not the outlet's attribution."""
    before = text[:position]
    return (before.count("“") > before.count("”")) or before.count('"') % 2 == 1 or (
        before.count("«") > before.count("»")
    )
