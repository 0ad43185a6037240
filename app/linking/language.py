"""Language of each text, identified per article: single sentences are too short to trust."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from app.text.language import likeliest_language


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` according to py3langid (the model the upload reads an
    article's language with, loaded once)."""
    return likeliest_language(text)


def detect_languages(
    texts: Sequence[str], groups: Sequence[Hashable], given: Sequence[str | None]
) -> list[str]:
    """The given language of each text, else the language detected on its whole group; as
    the primary subtag in lower case ("en-GB" reads as "en"), since texts are compared by
    language, and an English article tagged en-GB is read against English claims as English."""
    pooled: dict[Hashable, list[str]] = {}
    for text, group, lang in zip(texts, groups, given, strict=True):
        if not lang:
            pooled.setdefault(group, []).append(text)
    detected = {g: detect_language(" ".join(parts)) for g, parts in pooled.items()}
    return [
        (lang or detected[g]).split("-")[0].lower() for g, lang in zip(groups, given, strict=True)
    ]
