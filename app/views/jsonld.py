"""schema.org markup for a claim page: the claim, where it first appeared, and every outlet
article it appears in, for the search engines and archiving tools that read JSON-LD.

The context is given inline, so any JSON-LD processor reads it without fetching anything.
"""

from __future__ import annotations

from app.models import Article, Claim
from app.views.cite import Origin

CONTEXT = {"@vocab": "https://schema.org/"}


def _organization(name: str) -> dict:
    return {"@type": "Organization", "name": name}


def _news_article(article: Article, base: str) -> dict:
    """The outlet's article: at its original address when known, otherwise at its page here."""
    item = {
        "@type": "NewsArticle",
        "url": article.url or f"{base}/articles/{article.id}",
        "publisher": _organization(article.label),
    }
    if article.title:
        item["headline"] = article.title
    if article.published:
        item["datePublished"] = article.published.isoformat()
    if article.language:
        item["inLanguage"] = article.language
    return item


def _first_appearance(origin: Origin, base: str) -> dict | None:
    if origin.article is not None:
        return _news_article(origin.article, base)
    if origin.outlet is None:
        return None
    item = {"@type": "NewsArticle", "publisher": _organization(origin.outlet)}
    if origin.published:
        item["datePublished"] = origin.published.isoformat()
    return item


def claim_jsonld(
    claim: Claim, appearances: list[Article], origin: Origin, permalink: str, base: str
) -> dict:
    """``appearances``: the articles that carry the claim; ``base``: the site's address."""
    data = {
        "@context": CONTEXT,
        "@type": "Claim",
        "@id": permalink,
        "url": permalink,
        "identifier": claim.key,
        "text": claim.text,
        "appearance": [_news_article(a, base) for a in appearances],
    }
    if claim.language:
        data["inLanguage"] = claim.language
    first = _first_appearance(origin, base)
    if first is not None:
        data["firstAppearance"] = first
    return data
