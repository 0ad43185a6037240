"""Editor corrections: article metadata, and confirming or removing a sentence's link to a claim.

Decisions are stored by claim key next to the links they change, so every later re-link (which
rebuilds the model's links from scratch) applies them again.
"""

from __future__ import annotations

from sqlmodel import Session, col, delete, select, update

from app.ingest import IngestError
from app.kept import link_kept, refresh_kept
from app.models import Article, Claim, Decision, Link, Sentence, Story, utcnow
from app.story_index import story_changed
from app.text.extract import parse_date, parse_language

VERDICTS = ("confirm", "reject")
EDITABLE = ("outlet", "title", "byline", "published", "language")
#: Fields read as an upload reads them, so a correction cannot store what an upload refuses.
_PARSERS = {"published": parse_date, "language": parse_language}


def update_metadata(session: Session, article_id: int, changes: dict[str, str | None]) -> Article:
    """Apply the given fields; an empty value clears the field. Unknown fields are refused."""
    article = session.get(Article, article_id)
    if article is None:
        raise IngestError(f"There is no article with id {article_id}.", 404)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise IngestError(f"These fields cannot be edited: {', '.join(sorted(unknown))}.", 400)
    for name, value in changes.items():
        value = (value or "").strip() or None
        if value is not None and name in _PARSERS:
            value = _PARSERS[name](value)
        setattr(article, name, value)
    session.add(article)
    if "language" in changes:
        refresh_kept(session, article)
    session.flush()
    story_changed(session, article.story_id)
    return article


def move_article(session: Session, linker, article_id: int, story_id: int) -> Article:
    """Attach the article to another story and link it to that story's claims instead."""
    article = session.get(Article, article_id)
    if article is None:
        raise IngestError(f"There is no article with id {article_id}.", 404)
    target = session.get(Story, story_id)
    if target is None:
        raise IngestError(f"There is no story with id {story_id}.", 404)
    if article.story_id == story_id:
        return article
    previous = session.get(Story, article.story_id)
    article.story_id = story_id
    session.add(article)
    session.flush()
    story_changed(session, previous.id, story_id)
    linker.relink_story(session, previous)
    linker.relink_story(session, target)
    return article


def decide(
    session: Session, sentence_id: int, claim_key: str, verdict: str, editor: str = "editor"
) -> Decision:
    """Record the editor's verdict and apply it to the sentence's links right away."""
    if verdict not in VERDICTS:
        raise IngestError(f"The decision must be one of: {', '.join(VERDICTS)}.", 400)
    sentence = session.get(Sentence, sentence_id)
    if sentence is None:
        raise IngestError(f"There is no sentence with id {sentence_id}.", 404)
    article = session.get(Article, sentence.article_id)
    claim = session.exec(
        select(Claim).where(Claim.story_id == article.story_id, Claim.key == claim_key)
    ).first()
    if claim is None:
        raise IngestError(f"The story has no claim {claim_key!r}.", 404)
    decision = session.exec(
        select(Decision).where(Decision.sentence_id == sentence_id, Decision.claim_key == claim_key)
    ).first() or Decision(sentence_id=sentence_id, claim_key=claim_key, verdict=verdict)
    decision.verdict, decision.editor, decision.created_at = verdict, editor, utcnow()
    session.add(decision)
    link = session.exec(
        select(Link).where(Link.sentence_id == sentence_id, Link.claim_id == claim.id)
    ).first()
    if verdict == "reject" and link is not None:
        session.delete(link)
    elif verdict == "confirm":
        link = link or Link(sentence_id=sentence_id, claim_id=claim.id, score=1.0)
        link.score, link.decided_by = 1.0, "editor"
        link.kept = link_kept(claim, sentence, article)
        session.add(link)
    session.flush()
    story_changed(session, article.story_id)
    return decision


def delete_article(session: Session, linker, article_id: int) -> Article:
    """Remove the article with its sentences, their links and decisions, in the caller's
    transaction. Claims made from its sentences stay (they are the story's), unanchored; a story
    whose claims were induced from its coverage has them induced again without it."""
    article = session.get(Article, article_id)
    if article is None:
        raise IngestError(f"There is no article with id {article_id}.", 404)
    sentence_ids = select(Sentence.id).where(Sentence.article_id == article_id)
    session.exec(delete(Link).where(col(Link.sentence_id).in_(sentence_ids)))
    session.exec(delete(Decision).where(col(Decision.sentence_id).in_(sentence_ids)))
    session.exec(
        update(Claim).where(col(Claim.sentence_id).in_(sentence_ids)).values(sentence_id=None)
    )
    session.exec(delete(Sentence).where(col(Sentence.article_id) == article_id))
    session.delete(article)
    session.flush()
    story = session.get(Story, article.story_id)
    story_changed(session, story.id)
    if linker.reinduces(session, story.id):
        linker.relink_story(session, story)
    return article
