"""Each link's kept share (derived data stored with the link), from the rows it joins."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import Article, Claim, Link, Sentence
from app.text.diff import kept_share


def link_kept(claim: Claim, sentence: Sentence, article: Article) -> float | None:
    """The share of the claim's words the sentence keeps; None across languages."""
    return kept_share(claim.text, sentence.text, claim.language, article.language)


def refresh_kept(session: Session, article: Article) -> None:
    """Recompute the kept shares of the article's links, after its language changed."""
    rows = session.exec(
        select(Link, Claim, Sentence)
        .join(Claim, Claim.id == Link.claim_id)
        .join(Sentence, Sentence.id == Link.sentence_id)
        .where(Sentence.article_id == article.id)
    ).all()
    for link, claim, sentence in rows:
        link.kept = link_kept(claim, sentence, article)
        session.add(link)
