"""Editor corrections: article metadata, confirming or removing a sentence's link to a claim,
and deleting an article or a whole story.

Decisions are stored by claim key next to the links they change, so every later re-link (which
rebuilds the model's links from scratch) applies them again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, col, delete, select, update

from app.ingest import IngestError
from app.kept import link_kept, refresh_kept
from app.models import Article, Claim, Decision, Link, Sentence, Story, Suggestion, utcnow
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
    # settled either way: no longer a close call
    session.exec(
        delete(Suggestion).where(
            col(Suggestion.sentence_id) == sentence_id, col(Suggestion.claim_id) == claim.id
        )
    )
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
    session.exec(delete(Suggestion).where(col(Suggestion.sentence_id).in_(sentence_ids)))
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
    _purge_story(session, story_id)
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


#: How the confirmation and the history name each kind of claim a story holds.
CLAIM_KINDS = {
    "dossier": "of its dossier",
    "origin": "of its origin report",
    "induced": "induced from its coverage",
}


@dataclass(frozen=True)
class StoryDeletion:
    """What deleting a story takes with it: everything of it, counted for the editor (before
    confirming) and for the history (after)."""

    story: Story
    articles: int
    sentences: int
    claims: dict[str, int]
    links: int
    decisions: int

    @property
    def claim_total(self) -> int:
        return sum(self.claims.values())

    def claim_kinds(self) -> list[tuple[int, str]]:
        """Each kind of claim the story holds with its count, dossier and origin first: those
        are the editorial work no article holds, which an editor must see going."""
        order = [*CLAIM_KINDS, *sorted(set(self.claims) - set(CLAIM_KINDS))]
        return [(self.claims[k], CLAIM_KINDS.get(k, k)) for k in order if self.claims.get(k)]


def _story_rows(story_id: int):
    """The ids of the story's articles, of their sentences and of its claims, as subqueries."""
    articles = select(Article.id).where(Article.story_id == story_id)
    sentences = select(Sentence.id).where(col(Sentence.article_id).in_(articles))
    claims = select(Claim.id).where(Claim.story_id == story_id)
    return articles, sentences, claims


def _story_links(sentences, claims):
    """Links from the story's sentences or to its claims: a link to another story's claim
    would point at a sentence about to go, so it goes too."""
    return or_(col(Link.sentence_id).in_(sentences), col(Link.claim_id).in_(claims))


def story_deletion_of(session: Session, story_id: int) -> StoryDeletion:
    story = session.get(Story, story_id)
    if story is None:
        raise IngestError(f"There is no story with id {story_id}.", 404)
    articles, sentences, _claims = _story_rows(story_id)

    def count(model, *where) -> int:
        return session.exec(select(func.count()).select_from(model).where(*where)).one()

    by_kind = session.exec(
        select(Claim.source, func.count()).where(Claim.story_id == story_id)
        .group_by(Claim.source)
    ).all()
    return StoryDeletion(
        story=story,
        articles=count(Article, Article.story_id == story_id),
        sentences=count(Sentence, col(Sentence.article_id).in_(articles)),
        claims=dict(by_kind),
        links=count(Link, _story_links(sentences, _claims)),
        decisions=count(Decision, col(Decision.sentence_id).in_(sentences)),
    )


def delete_story(session: Session, story_id: int) -> StoryDeletion:
    """Remove the story and every row of it, in the caller's transaction: what an editor does
    when a story should never have been (the wrong report, a test), dossier and all. Returns
    what went. Cached sentence vectors stay: they are keyed by text, shared by every story,
    and rebuilt on demand anyway. Each process's candidate index and page cache see the story
    gone at their next look (see ``StoryIndex.refresh`` and ``story_page_revision``)."""
    gone = story_deletion_of(session, story_id)
    _purge_story(session, story_id)
    return gone


def _purge_story(session: Session, story_id: int) -> None:
    """Delete the story's links, decisions, claims, sentences and articles, then the story,
    children first so that no foreign key is ever left dangling, whatever the database does
    on delete; the full-text index follows its sentences (triggers, or the expression index)."""
    articles, sentences, claims = _story_rows(story_id)
    session.exec(delete(Link).where(_story_links(sentences, claims)))
    session.exec(
        delete(Suggestion).where(
            or_(col(Suggestion.sentence_id).in_(sentences), col(Suggestion.claim_id).in_(claims))
        )
    )
    session.exec(delete(Decision).where(col(Decision.sentence_id).in_(sentences)))
    session.exec(delete(Claim).where(Claim.story_id == story_id))
    session.exec(
        update(Claim).where(col(Claim.sentence_id).in_(sentences)).values(sentence_id=None)
    )
    session.exec(delete(Sentence).where(col(Sentence.article_id).in_(articles)))
    session.exec(delete(Article).where(Article.story_id == story_id))
    session.exec(delete(Story).where(Story.id == story_id))
    session.flush()
