from app.text.quotes import quoted


def test_quotes_in_every_style_are_found_without_their_marks():
    assert quoted('He said: "We do not rule out any options."') == [
        "We do not rule out any options."
    ]
    assert quoted("Il a déclaré : « Nous n'excluons aucune option. »") == [
        "Nous n'excluons aucune option."
    ]
    german = "Er sagte: „Wir schließen keine Option aus.“"
    assert quoted(german) == ["Wir schließen keine Option aus."]
    assert quoted("urged allies “not to set red lines” on aid") == ["not to set red lines"]


def test_apostrophes_are_not_quotes():
    assert quoted("Kyiv's allies and the UK's army") == []
