"""Editor corrections: article metadata, and confirming or removing a sentence's link to a claim.

Decisions are stored by claim key next to the links they change, so every later re-link (which
rebuilds the model's links from scratch) applies them again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
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
    if not drop_if_abandoned(session, previous.id):
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


def delete_article(session: Session, linker, article_id: int) -> tuple[Article, bool]:
    """Remove the article with its sentences, their links and decisions, in the caller's
    transaction; True beside it when its story went too (see ``drop_if_abandoned``). Claims
    made from its sentences stay (they are the story's), unanchored; a story whose claims were
    induced from its coverage has them induced again without it."""
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
    story_gone = drop_if_abandoned(session, story.id)
    if not story_gone and linker.reinduces(session, story.id):
        linker.relink_story(session, story)
    return article, story_gone


def abandoned(session: Session, story_id: int, leaving: int | None = None) -> bool:
    """Whether the story has no article (besides ``leaving``, about to go) and no claim of an
    origin report or a dossier: its claims, if any, were induced from the articles now gone,
    and its editor decisions went with their sentences, so nothing of it is worth keeping."""
    others = select(func.count()).select_from(Article).where(Article.story_id == story_id)
    if leaving is not None:
        others = others.where(Article.id != leaving)
    kept = select(func.count()).select_from(Claim).where(
        Claim.story_id == story_id, col(Claim.source).in_(("origin", "dossier"))
    )
    return session.exec(others).one() == 0 and session.exec(kept).one() == 0


def drop_if_abandoned(session: Session, story_id: int) -> bool:
    """Delete the story, in the caller's transaction, when its last article has just gone and
    nothing else of it is worth keeping (see `abandoned`); True when it was deleted. A story
    with a dossier or an origin report's claims stays, waiting for coverage."""
    if not abandoned(session, story_id):
        return False
    session.exec(delete(Claim).where(Claim.story_id == story_id))
    session.exec(delete(Story).where(Story.id == story_id))
    session.flush()
    return True


@dataclass(frozen=True)
class Deletion:
    """What deleting an article takes with it: what the editor reads before confirming."""

    article: Article
    story: Story
    sentences: int
    links: int
    decisions: int
    story_goes: bool


def deletion_of(session: Session, article_id: int) -> Deletion:
    article = session.get(Article, article_id)
    if article is None:
        raise IngestError(f"There is no article with id {article_id}.", 404)
    def count(model) -> int:
        query = select(func.count()).select_from(model)
        if model is not Sentence:
            query = query.join(Sentence, Sentence.id == model.sentence_id)
        return session.exec(query.where(Sentence.article_id == article_id)).one()

    return Deletion(
        article=article, story=session.get(Story, article.story_id),
        sentences=count(Sentence), links=count(Link), decisions=count(Decision),
        story_goes=abandoned(session, article.story_id, leaving=article_id),
    )
