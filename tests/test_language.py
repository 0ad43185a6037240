"""Language identification on news paragraphs and on text too thin to judge."""

from __future__ import annotations

import pytest

from app.text.language import detect_language

PARAGRAPHS = {
    "en": (
        "France and Britain are discussing whether to send troops or private military "
        "contractors to Ukraine, the newspaper Le Monde reported on Monday. The talks were "
        "revived after the British prime minister visited Paris earlier this month."
    ),
    "fr": (
        "La France et le Royaume-Uni discutent de l'envoi éventuel de troupes ou de sociétés "
        "militaires privées en Ukraine, a rapporté lundi le journal Le Monde. Les discussions "
        "ont repris après la visite du Premier ministre britannique à Paris ce mois-ci."
    ),
    "it": (
        "Francia e Regno Unito stanno discutendo l'eventuale invio di truppe o di compagnie "
        "militari private in Ucraina, ha riferito lunedì il quotidiano Le Monde. I colloqui "
        "sono ripresi dopo la visita del primo ministro britannico a Parigi all'inizio del mese."
    ),
    "de": (
        "Frankreich und Großbritannien beraten darüber, ob sie Truppen oder private "
        "Militärfirmen in die Ukraine schicken, berichtete die Zeitung Le Monde am Montag. Die "
        "Gespräche wurden nach dem Besuch des britischen Premierministers in Paris wieder "
        "aufgenommen."
    ),
    "el": (
        "Η Γαλλία και η Βρετανία συζητούν το ενδεχόμενο αποστολής στρατευμάτων ή ιδιωτικών "
        "στρατιωτικών εταιρειών στην Ουκρανία, μετέδωσε τη Δευτέρα η εφημερίδα Le Monde. Οι "
        "συνομιλίες ξεκίνησαν ξανά μετά την επίσκεψη του Βρετανού πρωθυπουργού στο Παρίσι."
    ),
    "uk": (
        "Франція та Велика Британія обговорюють можливе відправлення військових або "
        "приватних військових компаній в Україну, повідомила в понеділок газета Le Monde. "
        "Переговори відновилися після візиту британського прем'єр-міністра до Парижа."
    ),
    "sr": (
        "Француска и Велика Британија поново разговарају о могућем слању војника у Украјину, "
        "објавио је у понедељак париски дневни лист Ле Монд. Према писању листа, разговори су "
        "обновљени после посете британског премијера Паризу."
    ),
}

SERBIAN_LATIN = (
    "Francuska i Velika Britanija ponovo razgovaraju o mogućem slanju vojnika u Ukrajinu, "
    "objavio je u ponedeljak pariski dnevni list Le Monde. Prema pisanju lista, razgovori su "
    "obnovljeni posle posete britanskog premijera Parizu."
)


@pytest.mark.parametrize("code", sorted(PARAGRAPHS))
def test_news_paragraph_is_identified(code: str) -> None:
    assert detect_language(PARAGRAPHS[code]) == code


def test_latin_script_serbian_is_placed_among_the_languages_written_alike() -> None:
    assert detect_language(SERBIAN_LATIN) in {"sr", "hr", "bs"}


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Hello", "Le Monde", "Emmanuel Macron", "12 345 678 !!", "https://x.io/a?b=1"],
)
def test_too_short_or_wordless_text_gives_none(text: str) -> None:
    assert detect_language(text) is None


def test_name_list_without_a_language_gives_none() -> None:
    assert detect_language("Emmanuel Macron, Keir Starmer, Jean-Noël Barrot") is None


def test_result_is_always_a_two_letter_code() -> None:
    for text in PARAGRAPHS.values():
        code = detect_language(text)
        assert code is not None and len(code) == 2 and code.islower()
