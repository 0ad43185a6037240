"""Flags, attributions and quote families on real seed sentences and their renderings."""

from __future__ import annotations

import json

import pytest

from app.evaluate import GOLD
from app.evaluate_flags import (
    evaluate_attribution_transfer,
    evaluate_attributions,
    evaluate_flags,
)
from app.settings import ROOT
from app.text.attribution import attribution, origin_names
from app.text.dates import dates, describe
from app.text.discrepancies import Context, discrepancies
from app.text.entities import entities
from app.text.numbers import figures
from app.text.quotes import QuoteItem, families, reference, statements

CLAIMS = {
    c["id"]: c["text"]
    for c in json.loads((ROOT / "seeds" / "claims.json").read_text(encoding="utf-8"))["claims"]
}
LE_MONDE = origin_names("Le Monde")


def kinds(origin: str, outlet: str, lang: str = "en", olang: str = "en", **context) -> list:
    return sorted({f.kind for f in discrepancies(origin, outlet, olang, lang, Context(**context))})


def test_dates_read_in_four_languages_with_their_precision():
    assert [describe(d) for d in dates("takes office on January 20, 2025.")] == [
        "20 January 2025"
    ]
    assert [describe(d) for d in dates("le 20 janvier 2025 et en février", ("fr",))] == [
        "20 January 2025", "February",
    ]
    assert [describe(d) for d in dates("am 23. November", ("de",))] == ["23 November"]
    assert dates("the US may withdraw its support") == ()
    assert dates("2000 soldiers") == ()


def test_figures_read_separators_the_way_each_language_writes_them():
    assert [f.describe() for f in figures("holds a 55% stake")] == ["55%"]
    assert [f.describe() for f in figures("55 pour cent et 1,5 million", "fr")] == [
        "55%", "1,500,000",
    ]
    assert figures("Ukraine’s Su-24 bombers at 16:12 on Nov 26, 2024") == ()


def test_names_match_across_spellings_initials_and_countries():
    found = entities(
        "One such proposal involves Défense Conseil International (DCI), a company close to "
        "the Élysée, which trains soldiers in Kyiv."
    )
    assert [(e.text, e.place) for e in found] == [
        ("Défense Conseil International", None), ("DCI", None), ("Élysée", "FR"), ("Kyiv", "UA"),
    ]
    assert found[0].matches(found[1])
    ukraine = entities("support for Ukraine")[0]
    assert ukraine.matches(found[3])


@pytest.mark.parametrize(("language", "text"), [
    ("en", "Per Le Monde, talks on sending troops to the front have quietly resumed this week."),
    ("fr", "Selon Le Monde, les discussions sur l'envoi de troupes ont repris cette semaine."),
    ("fr", "Pour Le Monde, les discussions sur l'envoi de troupes ont repris cette semaine."),
    ("de", "Laut Le Monde wurden die geheimen Gespräche über eine mögliche Entsendung wieder "
           "aufgenommen."),
    ("es", "Según Le Monde, las conversaciones sobre el envío de tropas se han reanudado."),
    ("it", "Secondo Le Monde, le discussioni sull'invio di truppe sono riprese questa settimana."),
    ("pt", "Segundo Le Monde, as discussões sobre o envio de tropas foram retomadas."),
    ("nl", "Volgens Le Monde zijn de gesprekken over het sturen van troepen hervat."),
    ("pl", "Według Le Monde rozmowy o wysłaniu wojsk zostały w tym tygodniu wznowione."),
    ("ru", "Согласно Le Monde, переговоры об отправке войск возобновились на этой неделе."),
    ("uk", "Згідно з Le Monde, переговори про відправку військ відновилися цього тижня."),
])
def test_a_sentence_opening_credit_word_does_not_start_a_name(language, text):
    names = [e.text for e in entities(text, language)]
    assert "Le Monde" in names and not any(n.endswith(" Le Monde") for n in names)


@pytest.mark.parametrize(("text", "name"), [
    ("New York Times reporters saw the talks in London.", "New York Times"),
    ("New Delhi stayed silent on the talks.", "New Delhi"),
    ("United Nations officials declined to comment.", "United Nations"),
])
def test_a_common_word_that_begins_a_name_stays_part_of_it(text, name):
    assert name in [e.text for e in entities(text, "en")]


def test_a_french_credit_to_the_origin_is_not_a_new_name():
    upload = ("Selon Le Monde, la France et le Royaume-Uni discutent de l'envoi de troupes en "
              "Ukraine.")
    assert "entity" not in kinds(CLAIMS["LM01"], upload, "fr", also_origin=(CLAIMS["LM08"],),
                                 ignore_names=LE_MONDE)


def test_a_dropped_day_is_flagged_and_the_same_day_in_another_order_is_not():
    seed_004 = (
        "These delicate debates are essentially classified, yet have truly resumed in light of "
        "the potential withdrawal of U.S. support for Kyiv after Donald Trump takes office on "
        "January 20, 2025."
    )
    assert kinds(CLAIMS["LM03"], seed_004) == []
    flags = discrepancies(CLAIMS["LM03"], seed_004.replace("January 20, 2025", "January 2025"),
                          "en", "en")
    assert [(f.kind, f.origin, f.outlet) for f in flags] == [
        ("date", "20 January 2025", "January 2025")
    ]
    assert "less precise" in flags[0].reason


def test_a_changed_figure_and_a_swapped_country_are_flagged():
    flags = discrepancies(CLAIMS["LM15"], "The French state holds a 34% stake in DCI.", "en", "en")
    assert [(f.kind, f.origin, f.outlet) for f in flags] == [("number", "55%", "34%")]
    assert kinds(CLAIMS["LM15"], "L'État français détient 55 % du capital de DCI.", "fr") == []
    assert kinds(CLAIMS["LM15"], "L'État britannique détient 55 % du capital de DCI.", "fr") == [
        "entity"
    ]


def test_a_changed_figure_is_compared_with_the_claim_it_belongs_to_only():
    upload = ("The French state owns 60% of Défense Conseil International, whose staff are "
              "mostly former soldiers.")

    def number_flags(claim, other, text=upload, lang="en"):
        flags = discrepancies(CLAIMS[claim], text, "en", lang,
                              Context(also_origin=(CLAIMS[other],)))
        return [(f.origin, f.outlet) for f in flags if f.kind == "number"]

    assert number_flags("LM15", "LM16") == [("55%", "60%")]
    assert number_flags("LM16", "LM15") == [("80%", "")]  # dropped, not turned into 60%
    french = ("L'État français détient 60 % de DCI, dont le personnel est surtout composé "
              "d'anciens militaires.")
    assert number_flags("LM15", "LM16", french, "fr") == [("55%", "60 %")]
    assert number_flags("LM16", "LM15", french, "fr") == [("80%", "")]
    both = "The French state owns 55% of DCI, and 70% of its staff are former soldiers."
    assert number_flags("LM15", "LM16", both) == []  # 70% is the other claim's change
    assert number_flags("LM16", "LM15", both) == [("80%", "70%")]


OFFICE = "Donald Trump takes office on 20 January 2025."
TALKS = "The talks resumed on 11 November."


def date_flags(claim: str, text: str, *others: str) -> list[tuple[str, str]]:
    flags = discrepancies(claim, text, "en", "en", Context(also_origin=others))
    return [(f.origin, f.outlet) for f in flags if f.kind == "date"]


def test_a_date_of_another_claim_of_the_sentence_is_not_a_changed_date():
    both = "The talks resumed on 11 November, before Donald Trump takes office on 20 January."
    assert date_flags(OFFICE, both, TALKS) == []
    assert date_flags(TALKS, both, OFFICE) == []
    later = "The talks resumed on 12 November, before Donald Trump takes office on 20 January."
    assert date_flags(TALKS, later, OFFICE) == [("11 November", "12 November")]
    assert date_flags(OFFICE, later, TALKS) == []  # 12 November is the other claim's change
    # a date's own day given with another claim's date adds nothing to it
    held = "The talks have been held since November 2024."
    told = "Barrot spoke to the BBC on 23 November 2024 about talks held since then."
    assert date_flags(held, told, "Barrot spoke to the BBC on 23 November 2024.") == []


def test_a_changed_date_is_compared_with_the_closest_origin_date_of_the_sentence():
    alone = "The talks resumed on 12 November."
    assert date_flags(TALKS, alone, OFFICE) == [("11 November", "12 November")]
    assert date_flags(OFFICE, alone, TALKS) == [("20 January 2025", "")]  # dropped, not changed
    both = "Donald Trump takes office on 21 January, after the talks resumed on 12 November."
    assert date_flags(OFFICE, both, TALKS) == [("20 January 2025", "21 January")]
    assert date_flags(TALKS, both, OFFICE) == [("11 November", "12 November")]
    span = "The talks ran from 20 January 2025 to 11 November."
    assert date_flags(span, "The talks ran to 12 November from 21 January.") == [
        ("20 January 2025", "21 January"), ("11 November", "12 November"),
    ]


def test_germany_replaced_by_nato_and_the_us_is_a_name_swap():
    seed_001 = (
        "However, these remarks were met with denials from NATO, the US, and key European "
        "allies, who affirmed that no such plans were in place."
    )
    (flag,) = discrepancies(CLAIMS["LM05"], seed_001, "en", "en")
    assert flag.kind == "entity" and "Germany" in flag.origin and "NATO" in flag.outlet


def test_doubt_added_to_a_fact_and_a_hedge_turned_certain_are_flagged():
    seed_001 = (
        "The French newspaper Le Monde reports that these talks have been prompted by concerns "
        "over the possible election of Donald Trump as US President, which could lead to a "
        "cessation of American military aid to Kyiv."
    )
    flags = discrepancies(CLAIMS["LM03"], seed_001, "en", "en", Context(ignore_names=LE_MONDE))
    assert "modality" in {f.kind for f in flags}
    assert any("possible election" in f.outlet for f in flags if f.kind == "modality")
    certain = "DCI will also maintain French military equipment sent to Kyiv."
    assert kinds(CLAIMS["LM18"], certain) == ["modality"]
    assert kinds(CLAIMS["LM18"], "DCI could also service French military equipment.") == []
    assert kinds(CLAIMS["LM18"], "DCI va aussi assurer la maintenance du matériel.", "fr") == [
        "modality"
    ]


def test_a_quote_unlike_every_other_outlets_version_is_flagged():
    seed_003 = (
        "\"France does not rule out the possibility of sending Western troops to Ukraine. Allies "
        "should have no 'red lines' regarding assistance to Kyiv,\" stated Jean-Noël Barrot."
    )
    peers = (("We are not ruling out any options.", "en"), ("not to set red lines", "en"),
             ("We do not rule out any options.", "en"))
    flags = discrepancies(CLAIMS["LM11"], seed_003, "en", "en",
                          Context(also_origin=(CLAIMS["LM10"],), peer_quotes=peers))
    assert [f.outlet for f in flags if f.kind == "quote"] == [
        "France does not rule out the possibility of sending Western troops to Ukraine."
    ]
    faithful = 'When asked, he stated: "We do not rule out any options."'
    assert kinds(CLAIMS["LM11"], faithful, peer_quotes=peers[:1]) == []


def test_other_languages_without_lexicons_raise_no_name_or_certainty_flag():
    assert kinds(CLAIMS["LM18"], "DCI mogłoby też serwisować sprzęt wysłany do Kijowa.", "pl") == []
    assert kinds(CLAIMS["LM15"], "Der französische Staat hält 55 Prozent an DCI.", "de") == []


def test_attribution_tells_origin_secondary_and_none_apart():
    assert attribution("Nonetheless, as Le Monde writes, it is not buried.", "en",
                       LE_MONDE).kind == "origin"
    told = attribution("A British military source told The World that talks go on.", "en",
                       LE_MONDE)
    assert told.kind == "origin" and told.origin == "The World"
    assert told.secondary == ("A British military source",)
    bbc = attribution("In an interview with the BBC on November 23, he urged allies.", "en",
                      LE_MONDE)
    assert bbc.kind == "secondary" and bbc.secondary == ("In an interview with the BBC", "he")
    assert attribution("The French state holds a 55% stake in DCI.", "en", LE_MONDE).kind == "none"
    assert attribution("Selon le quotidien, DCI est prête.", "fr", LE_MONDE).kind == "origin"


@pytest.mark.parametrize("language, text, kind, credited", [
    ("es", "Según el diario francés, las conversaciones siguen en secreto.", "origin", ()),
    ("es", "El canciller, Pedro Gómez, aseguró que no habrá tropas.", "secondary",
     ("Pedro Gómez",)),
    ("es", "Preguntado por los periodistas, respondió: «No lo descartamos».", "secondary",
     ("respondió",)),
    ("es", "El Gobierno aprobó ayer un nuevo paquete de ayuda.", "none", ()),
    ("pt", "Segundo o jornal, as conversas continuam em segredo.", "origin", ()),
    ("pt", "Numa entrevista à RTP, o ministro afirmou que nada está decidido.", "secondary",
     ("Numa entrevista à RTP",)),
    ("pt", "O Governo aprovou ontem um novo pacote de ajuda.", "none", ()),
    ("pl", "Jak podaje francuski dziennik, rozmowy toczą się w tajemnicy.", "origin", ()),
    ("pl", "Minister Anna Nowak podkreśliła, że nic nie jest przesądzone.", "secondary",
     ("Minister Anna Nowak",)),
    ("pl", "Rząd przyjął wczoraj nowy pakiet pomocy.", "none", ()),
    ("ru", "Как пишет французская газета, переговоры ведутся в тайне.", "origin", ()),
    ("ru", "По данным источников, решение ещё не принято.", "secondary", ("источников",)),
    ("ru", "Министр Иван Петров заявил, что ничего не решено.", "secondary",
     ("Министр Иван Петров",)),
    ("ru", "Правительство вчера утвердило новый пакет помощи.", "none", ()),
    ("uk", "Як зазначає видання, переговори тривають таємно.", "origin", ()),
    ("uk", "За його словами, рішення ще не ухвалено.", "secondary", ("За його словами",)),
    ("uk", "Уряд учора затвердив новий пакет допомоги.", "none", ()),
    ("ru", "Об этом сообщает Ле Монд.", "origin", ()),
])
def test_attribution_is_read_in_more_languages(language, text, kind, credited):
    found = attribution(text, language, LE_MONDE)
    assert (found.kind, found.secondary) == (kind, credited)


def test_german_nouns_are_not_taken_for_speakers():
    def credited(text):
        return attribution(text, "de", LE_MONDE).secondary

    assert credited("Die Regierung betonte die Bedeutung der Gespräche.") == ()
    assert credited("Zum Thema bestätigte der polnische Präsident Andrzej Duda die Gespräche.") \
        == ("Präsident Andrzej Duda",)
    assert credited("Auf die Frage nach Bodentruppen antwortete er knapp.") == ("er",)
    assert credited("Im Mai hatte der Präsident Emmanuel Macron das erklärt.") == (
        "Präsident Emmanuel Macron",)


def test_french_pronoun_subjects_are_speakers_but_articles_are_not():
    assert attribution("Il a souligné que rien n’est décidé.", "fr", LE_MONDE).secondary == (
        "Il",)
    assert attribution("Le ministère a indiqué que rien n’est décidé.", "fr",
                       LE_MONDE).kind == "none"


def test_translations_are_credited_as_their_english_originals_are():
    """Who a sentence credits survives translation: the seed sentences, translated one by one,
    and the renderings are read as their English originals in at least 95% of cases."""
    found = {a.language: a for a in evaluate_attribution_transfer(GOLD)}
    assert set(found) >= {"de", "es", "fr", "it", "pl", "ru", "uk"}
    for agreement in found.values():
        assert agreement.rate >= 0.95, agreement.summary()


def test_quote_families_gather_every_outlets_version_of_barrots_answer():
    texts = [
        ("Speaking to the BBC, Barrot said, “We should not set or declare red lines on our "
         "support for Ukraine. All options remain on the table.”", 0, {"LM10"}),
        ("Barrot urged Western allies “not to set or declare red lines” in their support.", 2,
         {"LM10"}),
        ("He stated: “We are not ruling out any options.”", 2, {"LM11"}),
        ('He stated: "We do not rule out any options."', 4, {"LM11"}),
        ('He urged Western allies "not to set red lines" regarding support for Ukraine.', 4,
         {"LM10"}),
        ("“Composed of 80% former military personnel, DCI is prepared to train.”", 2, {"LM16"}),
    ]
    items = [
        QuoteItem(q, "en", (owner, n), owner, frozenset(keys))
        for n, (text, owner, keys) in enumerate(texts) for q in statements(text)
    ]
    grouped = [sorted(items[i].text for i in family) for family in families(items)]
    assert grouped[0][-2:] == ["not to set or declare red lines", "not to set red lines"]
    assert any("We do not rule out any options." in g and "We are not ruling out any options."
               in g for g in grouped)
    dci = next(g for g in grouped if any("DCI" in q for q in g))
    assert len(dci) == 1
    family = families(items)[0]
    assert items[reference(items, family)].text in {i.text for i in items}


def test_flags_reach_the_precision_and_recall_target_on_the_labelled_pairs():
    scores = evaluate_flags()
    assert scores.pairs >= 60
    assert scores.overall.precision >= 0.9 and scores.overall.recall >= 0.9, scores.misses
    held_out = evaluate_flags(split="test")
    assert held_out.overall.precision >= 0.9 and held_out.overall.recall >= 0.9


def test_attribution_labels_hold_on_the_labelled_sentences():
    scores = evaluate_attributions()
    assert scores.sentences >= 25 and scores.accuracy >= 0.9, scores.confusion
