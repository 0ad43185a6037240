"""Language of each text, identified per article: single sentences are too short to trust."""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from app.text.language import likeliest_language


def detect_languages(
    texts: Sequence[str], groups: Sequence[Hashable], given: Sequence[str | None]
) -> list[str]:
    """The given language of each text, else the likeliest one of its whole group (by the
    model uploads read an article's language with); as the primary subtag in lower case
    ("en-GB" reads as "en"), since texts are compared by language, and an English article
    tagged en-GB is read against English claims as English."""
    pooled: dict[Hashable, list[str]] = {}
    for text, group, lang in zip(texts, groups, given, strict=True):
        if not lang:
            pooled.setdefault(group, []).append(text)
    detected = {g: likeliest_language(" ".join(parts)) for g, parts in pooled.items()}
    return [
        (lang or detected[g]).split("-")[0].lower() for g, lang in zip(groups, given, strict=True)
    ]
