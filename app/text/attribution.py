"""Who a sentence says its information comes from: the origin outlet, a secondary source (a
source of the origin, an interview, a named speaker), both, or nobody.

The origin is recognised by its name, by the words rewrites use for it ("the French daily",
"the report", "selon le quotidien"), and by literal translations of its name that machine
translation produces ("The World" for Le Monde). Phrasings are known in English, French,
Italian, German, Spanish, Portuguese, Polish, Russian and Ukrainian; in other languages only the
outlet's name and speakers' names are found, with the English patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.text.words import fold

# Literal translations of outlet names, as machine translation renders them, and
# transliterations into Cyrillic.
OUTLET_TRANSLATIONS = {
    "le monde": ("The World", "Il Mondo", "Die Welt", "Ле Монд"),
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
    "es": r"(?:(?:el|del|al)\s+(?:diario|periódico|rotativo|semanario|informe|artículo)"
          r"|según\s+(?:la\s+(?:información|publicación)|(?:el|este)\s+(?:medio|diario|periódico"
          r"|informe)))\b",
    "pt": r"(?:(?:o|do|ao)\s+(?:jornal|diário|semanário|relatório|artigo)"
          r"|(?:segundo|de\s+acordo\s+com)\s+(?:a\s+(?:publicação|reportagem)|o\s+(?:jornal"
          r"|diário|relatório)))\b",
    "pl": r"(?:(?:według|wedle|jak\s+(?:pisze|podaje|informuje))\s+(?:[\w-]+\s+)?"
          r"(?:dziennik\w*|gazet\w*|raport\w*|artykuł\w*|publikacj\w*)"
          r"|(?:dziennik|gazeta|publikacja)\s+(?:pisze|podaje|informuje)"
          r"|(?:w|we)\s+(?:artykule|publikacji|raporcie)\s+(?:czytamy|napisano))\b",
    "ru": r"(?:(?:по\s+данным|согласно|как\s+(?:пишет|сообщает|отмечает|указывает|"
          r"утверждает))\s+(?:[\w-]+\s+)?(?:газет\w*|издани\w*|публикаци\w*|стать\w*|доклад\w*)"
          r"|(?:газета|издание)\s+(?:пишет|сообщает|отмечает|утверждает)"
          r"|(?:в|во)\s+(?:публикации|статье|материале|докладе)\s+(?:[\w-]+\s+)?"
          r"(?:говорится|отмечается|указывается|утверждается)"
          r"|(?:говорится|отмечается|указывается|поясняется|утверждается|сообщается)\s+(?:в|во)\s+"
          r"(?:публикации|статье|материале|докладе))\b",
    "uk": r"(?:(?:за\s+даними|згідно\s+з|як\s+(?:пише|повідомляє|зазначає|стверджує))\s+"
          r"(?:[\w-]+\s+)?(?:газет\w*|видання|публікаці\w*|статт\w*|доповід\w*)"
          r"|(?:газета|видання)\s+(?:пише|повідомляє|зазначає|стверджує)"
          r"|як\s+(?:ідеться|йдеться|зазначається|пишеться)\s+(?:в|у)\s+(?:публікації|статті"
          r"|матеріалі|виданні)"
          r"|(?:в|у)\s+(?:публікації|статті|матеріалі|доповіді)\s+(?:[\w-]+\s+)?"
          r"(?:ідеться|йдеться|зазначається|говориться)"
          r"|(?:ідеться|йдеться|зазначається|пояснюється|говориться|повідомляється)\s+(?:в|у)\s+"
          r"(?:публікації|статті|матеріалі|доповіді))\b",
}
_SOURCES = {
    "en": r"(?:\b(?:a|an|one|two|several|its|their|other|reliable|informed)\s+(?:[\w-]+\s+){0,3}?"
          r"(?:sources?|spokes(?:man|woman|person)|representatives?\b(?!\s+of)|insiders?)"
          r"|\bsources\b|\baccording\s+to\s+(?:him|her|them)\b)",
    "fr": r"(?:\b(?:une|un|des|d'|d’|plusieurs|ses)\s*(?:[\w-]+\s+){0,3}?"
          r"(?:sources?|porte-parole|représentants?\b(?!\s+de))\b|\bselon\s+(?:lui|elle|eux)\b)",
    "it": r"(?:\b(?:una|delle|alcune|un)\s+(?:[\w-]+\s+){0,3}?"
          r"(?:fonte|fonti|portavoce|rappresentante)\b|\bfonti\b|\bsecondo\s+(?:lui|lei)\b)",
    "de": r"(?:\b(?:ein|eine|einer|mehrere|aus)\s+(?:[\w-]+\s+){0,3}?"
          r"\w*(?:quellen?|kreisen|sprecher(?:in)?|vertreter(?:in)?)\b|\bQuellen\b"
          r"|\b(?:seinen|ihren)\s+Worten\s+(?:zufolge|nach)\b)",
    "es": r"(?:\b(?:una|un|unas|varias|dos|sus|otras)\s+(?:[\w-]+\s+){0,3}?"
          r"(?:fuentes?|portavoz|representantes?\b(?!\s+de\s+los\s+partidos))\b|\bfuentes\b"
          r"|\bsegún\s+(?:él|ella|dijo)\b)",
    "pt": r"(?:\b(?:uma|um|várias|duas|suas)\s+(?:[\w-]+\s+){0,3}?"
          r"(?:fontes?|porta-voz|representantes?)\b|\bfontes\b|\bsegundo\s+(?:ele|ela)\b)",
    "pl": r"(?:\bźródł\w*|\brzeczni(?:k|czka|ka)\b|\bprzedstawiciel\w*(?!\s+partii)"
          r"|\b(?:według|zdaniem)\s+(?:niego|niej|nich)\b)",
    "ru": r"(?:\bисточник\w*|\bпресс-секретар\w*|\bпредставитель\b"
          r"|\bпо\s+(?:его|её|ее|их)\s+словам\b)",
    "uk": r"(?:\bджерел\w*|\bджерело\b|\bречни\w*|\bпредставник\b"
          r"|\bза\s+(?:його|її|їхніми)\s+словами\b)",
}
# Capital letters that open a name, in the Latin and Cyrillic scripts of the languages known.
_UPPER = "A-ZÀ-ÖØ-ÞĄĆČĎĘĚŁŃŇŘŚŠŤŮŹŻŽА-ЯЁЄІЇҐ"
_MEDIUM = r"(?P<{n}>[" + _UPPER + r"][\w.&-]*(?:\s+[" + _UPPER + r"][\w.&-]*)*)"
_MEDIA = {
    "en": rf"(?:(?i:(?:in|during)\s+an?\s+(?:[\w-]+\s+)?interview\s+(?:with|to)\s+(?:the\s+)?)"
          rf"{_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:told|speaking\s+to|talking\s+to|interviewed\s+by)\s+(?:the\s+)?)"
          rf"{_MEDIUM.format(n='m2')}"
          rf"|(?i:(?:in\s+|during\s+)?an?\s+(?:[\w-]+\s+)?){_MEDIUM.format(n='m3')}"
          r"(?i:\s+interview))",
    "fr": rf"(?:(?i:(?:dans|lors\s+d['’])\s*un\s+entretien\s+(?:avec|à|accordé\s+à)\s+"
          rf"(?:la\s+|le\s+|l['’])?){_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:a\s+déclaré|a\s+confié|a\s+dit)\s+(?:à\s+(?:la\s+|l['’])?|au\s+)"
          rf"|(?:interrogé\s+par|au\s+micro\s+de)\s+(?:la\s+|le\s+|l['’])?)"
          rf"{_MEDIUM.format(n='m2')}"
          rf"|(?i:(?:une\s+)?interview\s+(?:à|avec)\s+(?:la\s+|le\s+)?){_MEDIUM.format(n='m3')})",
    "it": rf"(?:(?i:(?:in\s+un['’]|nell['’])\s*intervista\s+(?:alla|al|con\s+la|con\s+il|con)\s+)"
          rf"{_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:ha\s+detto|ha\s+dichiarato)\s+(?:alla|al)\s+){_MEDIUM.format(n='m2')}"
          rf"|(?i:intervista\s+(?:alla\s+|al\s+)?){_MEDIUM.format(n='m3')})",
    "de": rf"(?:(?i:(?:in\s+einem|im)\s+(?:[\w-]+\s+)?Interview\s+(?:mit\s+)?(?:der\s+|dem\s+)?)"
          rf"{_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:sagte|erklärte)\s+(?:der|dem)\s+){_MEDIUM.format(n='m2')}"
          rf"|{_MEDIUM.format(n='m3')}-Interview)",
    "es": rf"(?:(?i:(?:en|durante)\s+una\s+(?:[\w-]+\s+)?entrevista\s+(?:con|a|concedida\s+a)\s+"
          rf"(?:la\s+|el\s+)?){_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:declaraciones|dijo|declaró|afirmó|explicó)\s+a\s+(?:la\s+|el\s+)?)"
          rf"{_MEDIUM.format(n='m2')}"
          rf"|(?i:entrevista\s+(?:con|a)\s+(?:la\s+|el\s+)?){_MEDIUM.format(n='m3')})",
    "pt": rf"(?:(?i:(?:em|numa|durante\s+uma)\s+(?:[\w-]+\s+)?entrevista\s+(?:à|ao|com\s+a|com\s+o"
          rf"|com)\s+){_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:declarações|disse|declarou|afirmou)\s+(?:à|ao)\s+){_MEDIUM.format(n='m2')}"
          rf"|(?i:entrevista\s+(?:à|ao)\s+){_MEDIUM.format(n='m3')})",
    "pl": rf"(?:(?i:w\s+(?:[\w-]+\s+)?(?:wywiadzie|rozmowie)\s+(?:dla|z)\s+)"
          rf"{_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:powiedział|powiedziała|oświadczył|oświadczyła)\s+(?:w\s+)?)"
          rf"{_MEDIUM.format(n='m2')}"
          rf"|(?i:wywiad\w*\s+(?:dla|z)\s+){_MEDIUM.format(n='m3')})",
    "ru": rf"(?:(?i:(?:в|во)\s+(?:[\w-]+\s+)?интервью\s+(?:[\w-]+\s+)?)"
          rf"{_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:сказал|сказала|рассказал|рассказала)\s+(?:в\s+эфире\s+))"
          rf"{_MEDIUM.format(n='m2')}"
          rf"|(?i:интервью\s+){_MEDIUM.format(n='m3')})",
    "uk": rf"(?:(?i:(?:в|у)\s+(?:[\w-]+\s+)?інтерв['’]ю\s+(?:[\w-]+\s+)?)"
          rf"{_MEDIUM.format(n='m1')}"
          rf"|(?i:(?:сказав|сказала|розповів|розповіла)\s+(?:в\s+ефірі\s+))"
          rf"{_MEDIUM.format(n='m2')}"
          rf"|(?i:інтерв['’]ю\s+){_MEDIUM.format(n='m3')})",
}
# Verbs of saying: a named or pronoun subject with one is a speaker the sentence cites.
_SAYING = {
    "en": r"said|says|stated|states|told|tells|urged|urges|affirmed|affirms|confirmed|added|"
          r"explained|declared|noted|revealed|emphasi[sz]ed|insisted|warned|announced|indicated|"
          r"claimed|argued|confesses|confided|stressed|reiterated|highlighted",
    "fr": r"(?:a|avait|ont|avaient|aurait)\s+(?:[\w-]+\s+)?(?:déclaré|dit|affirmé|réaffirmé|"
          r"indiqué|expliqué|précisé|souligné|confié|assuré|estimé|averti|révélé|relevé|"
          r"confirmé|ajouté|annoncé|insisté|rappelé|reconnu|martelé|prévenu|répondu|exhorté)|"
          r"déclare|affirme|explique|estime|assure|souligne|indique|précise|ajoute|confirme|"
          r"révèle|insiste|prévient",
    "it": r"(?:ha|aveva|hanno|avevano)\s+(?:[\w-]+\s+)?(?:detto|dichiarato|affermato|spiegato|"
          r"sottolineato|assicurato|ribadito|risposto|confermato|annunciato|aggiunto|rivelato|"
          r"precisato|avvertito|esortato)|dice|afferma|spiega|dichiara|sostiene|sottolinea",
    "de": r"sagte|sagt|erklärte|erklärt|betonte|betont|versicherte|warnte|bekräftigte|"
          r"bestätigte|bestätigt|bekundete|antwortete|mitteilte|teilte\s+mit|merkte\s+an|"
          r"unterstrich|forderte|mahnte|räumte\s+ein",
    "es": r"dijo|afirmó|afirma|declaró|declara|señaló|señala|indicó|explicó|aseguró|asegura|"
          r"subrayó|destacó|reveló|advirtió|insistió|reiteró|instó|añadió|sostuvo|confirmó|"
          r"anunció|respondió|precisó|recalcó",
    "pt": r"disse|afirmou|afirma|declarou|declara|explicou|sublinhou|garantiu|revelou|alertou|"
          r"reiterou|acrescentou|indicou|confirmou|anunciou|respondeu|destacou|frisou",
    "pl": r"powiedział[a]?|oświadczył[a]?|stwierdził[a]?|zapewnił[a]?|podkreślił[a]?|dodał[a]?|"
          r"zaznaczył[a]?|wyjaśnił[a]?|ostrzegł[a]?|zapowiedział[a]?|ujawnił[a]?|przekazał[a]?|"
          r"poinformował[a]?|potwierdził[a]?|odpowiedział[a]?|wezwał[a]?|podało|podał[a]?|"
          r"mówi|twierdzi",
    "ru": r"заявил[аи]?|сказал[аи]?|сообщил[аи]?|рассказал[аи]?|отметил[аи]?|подчеркнул[аи]?|"
          r"пояснил[аи]?|заверил[аи]?|предупредил[аи]?|призвал[аи]?|указал[аи]?|добавил[аи]?|"
          r"признал[аи]?|уточнил[аи]?|подтвердил[аи]?|ответил[аи]?|заявлял[аи]?|утверждает|"
          r"заявляет|говорит",
    "uk": r"заявив|заявила|заявили|сказав|сказала|повідомив|повідомила|повідомило|розповів|"
          r"розповіла|зазначив|зазначила|наголосив|наголосила|підкреслив|підкреслила|пояснив|"
          r"запевнив|попередив|закликав|закликала|додав|додала|визнав|підтвердив|підтвердила|"
          r"відповів|відповіла|заявляв|каже|заявляє|стверджує",
}
_PRONOUNS = {
    "en": r"he|she|they", "fr": r"il|elle|ils|elles", "it": r"lui|lei|loro",
    "de": r"er|sie", "es": r"él|ella|ellos|ellas", "pt": r"ele|ela|eles|elas",
    "pl": r"on|ona|oni|one", "ru": r"он|она|они", "uk": r"він|вона|вони",
}
# Complementisers and quotation marks after which a verb of saying reports speech, so that a
# subject the language leaves out ("afirmó que...", "ha risposto: «...»") still counts.
_REPORTED = r"(?:\s+(?:que|che|że|что|що|dass)\b|\s*:\s*[«\"“„])"
_LOWER = r"[a-zà-ÿа-яёєіїґąćęłńóśźż]"


def _name(more: str) -> str:
    """A capitalised word and ``more`` (a quantifier) capitalised words after it."""
    return rf"[{_UPPER}][\w'’.-]+(?:\s+[{_UPPER}][\w'’.-]+){more}"


_NAME = _name("{0,3}")
# A name of at least two capitalised words, where a single one would as likely be a noun.
_NAME_2 = _name("{1,3}")
#: The speaker's groups in the order they are read: a subject before the verb of saying, one
#: after it, or the verb alone where the language leaves the subject out.
_SPEAKER_GROUPS = ("name", "pronoun", "after", "late", "later", "perfect", "implicit")
# Capitalised words that open a sentence without naming anybody ("Le ministère a déclaré").
_NOT_NAMES = frozenset({
    "the", "this", "that", "these", "le", "la", "les", "l", "il", "lo", "gli", "el", "los", "las",
    "der", "die", "das", "dem", "den", "o", "a", "os", "as", "ce", "cette", "questo", "questa",
    "este", "esta", "dieser", "diese", "como", "jak", "как", "як",
})
# Where a subject before its verb of saying may start (anywhere unless listed). German
# capitalises every noun, so there a subject is only taken where a clause starts, not after a
# preposition ("Zum Thema bestätigte ..."), and after an article and adjectives ("der polnische
# Präsident Duda") only as a name of two words or more.
_SUBJECT_START = {
    "de": rf"(?:^|(?<=[,;:]\s))(?:(?i:der|die|das|ein|eine)\s+(?:{_LOWER}[\w-]+e[mnrs]?\s+){{0,2}}"
          rf"(?=[{_UPPER}][\w'’.-]+\s+[{_UPPER}]))?"
          r"(?!(?:Zum|Zur|Im|Am|Beim|Vom|Auf|Bei|Nach|Mit|Von|Für|Über|Unter|In|An|Aus|Seit|Vor|"
          r"Trotz|Wegen)\b)",
}


def _pro_drop(saying: str) -> tuple[str, ...]:
    """The verb alone, where the language leaves out a subject the verb implies."""
    return (rf"\b(?P<implicit>{saying})(?={_REPORTED})",)


# Further ways some languages name a speaker, given their verbs of saying: German puts the
# subject after the verb behind an article ("bestätigte der polnische Präsident Duda") or
# around a perfect ("hatte der Präsident Emmanuel Macron erklärt").
_MORE_SPEAKERS = {
    "de": lambda saying: (
        rf"(?:{saying})\s+(?:{_LOWER}[\w-]*\s+){{1,3}}?(?P<later>{_NAME_2})",
        rf"(?:hat|hatte|haben|hatten)\s+(?:{_LOWER}[\w-]*\s+){{0,3}}?(?P<perfect>{_NAME_2})\s+"
        r"(?:[\w-]+\s+){0,6}?(?:gesagt|erklärt|betont|bestätigt|versichert|gewarnt|bekräftigt|"
        r"mitgeteilt|angekündigt|unterstrichen)\b",
    ),
    **dict.fromkeys(("es", "pt", "it", "pl"), _pro_drop),
}


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


def _known(language: str | None) -> str:
    """The language whose patterns read ``language``: itself if known, else English."""
    return language if language in _ORIGIN_WORDS else "en"


@lru_cache(maxsize=64)
def _compiled(lang: str, names: tuple[str, ...]):
    name_pattern = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    origin = re.compile(
        (rf"(?:{name_pattern})(?:['’]s)?\b|" if names else "") + _ORIGIN_WORDS[lang],
        re.IGNORECASE if not names else 0,
    )
    generic = re.compile(_ORIGIN_WORDS[lang], re.IGNORECASE)
    sources = re.compile(_SOURCES[lang], re.IGNORECASE)
    media = re.compile(_MEDIA[lang])
    saying, pronouns = _SAYING[lang], _PRONOUNS[lang]
    speaker = re.compile("|".join((
        rf"(?:{_SUBJECT_START.get(lang, '')}(?<!the )(?<!The )(?P<name>{_NAME})"
        rf"|\b(?P<pronoun>{pronouns}))"
        rf"\s*,?\s+(?:(?!(?:{pronouns})\b){_LOWER}[\w-]*\s+){{0,2}}?(?:{saying})\b",
        rf"(?:{saying})\s+(?:(?P<after>{_NAME})|(?P<late>{pronouns})\b)",
        *(_MORE_SPEAKERS[lang](saying) if lang in _MORE_SPEAKERS else ()),
    )))
    return origin, generic, sources, media, speaker, frozenset(pronouns.split("|"))


@lru_cache(maxsize=16384)
def attribution(text: str, language: str | None, origin: tuple[str, ...] = ()) -> Attribution:
    """The sources ``text`` names. ``origin`` lists the origin outlet's names."""
    names = tuple(n for n in origin if n)
    origin_re, generic, sources, media, speaker, pronouns = _compiled(_known(language), names)
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
        found = m.groupdict()
        who = next(found[g] for g in _SPEAKER_GROUPS if found.get(g))
        first = who.split()[0].lower()
        if _overlaps(m.span(), taken) or (first in _NOT_NAMES and first not in pronouns):
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
