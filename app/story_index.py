"""Candidate stories for a new article, found without linking it against every story.

Each story is represented by the vectors of its wordings: its claims, or, for a story that has
none, its content sentences (the first ``MAX_SENTENCES``). All of them sit in one in-memory
matrix; a new article's sentences are compared with every row in one product, and only the few
stories they come closest to are then linked for real. Every story carries a revision that
changes whenever its claims or articles change, so each process (each uvicorn worker) reloads
just the stories that changed since it last looked, and works the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
from sqlalchemy import update
from sqlmodel import Session, select

from app.linking import ClaimText, Encoder
from app.models import Article, Claim, Sentence, Story, new_revision, utcnow

#: Sentences that stand for a story without claims.
MAX_SENTENCES = 200
#: Least encoder cosine for a sentence to count as close to a story's wording.
NEAR = 0.45
_CHUNK = 500


def story_changed(session: Session, *story_ids: int) -> None:
    """Give the stories a new revision and update time, in the caller's transaction."""
    ids = [i for i in story_ids if i is not None]
    if ids:
        session.exec(
            update(Story)
            .where(Story.id.in_(ids))
            .values(revision=new_revision(), updated_at=utcnow())
        )


def story_wordings(session: Session, story_ids: Iterable[int]) -> dict[int, list[ClaimText]]:
    """The wordings that stand for each story: its claims, or lacking claims, its content
    sentences (keyed ``s<id>``)."""
    ids = list(story_ids)
    out: dict[int, list[ClaimText]] = defaultdict(list)
    for i in range(0, len(ids), _CHUNK):
        rows = session.exec(
            select(Claim.story_id, Claim.key, Claim.text, Claim.language)
            .where(Claim.story_id.in_(ids[i : i + _CHUNK]))
            .order_by(Claim.story_id, Claim.position, Claim.id)
        ).all()
        for story_id, key, text, language in rows:
            out[story_id].append(ClaimText(key, text, language))
    for story_id in (i for i in ids if i not in out):
        rows = session.exec(
            select(Sentence.id, Sentence.text, Article.language)
            .join(Article, Article.id == Sentence.article_id)
            .where(Article.story_id == story_id, Sentence.kind == "content")
            .order_by(Sentence.id)
            .limit(MAX_SENTENCES)
        ).all()
        if rows:
            out[story_id] = [ClaimText(f"s{sid}", text, lang) for sid, text, lang in rows]
    return dict(out)


class StoryIndex:
    """Wording vectors of every story, refreshed story by story from their revisions."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revision: dict[int, int] = {}
        self._vectors: dict[int, np.ndarray] = {}
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._owner = np.zeros(0, dtype=np.int64)
        self._starts = np.zeros(0, dtype=np.int64)
        self._stories = np.zeros(0, dtype=np.int64)

    def __len__(self) -> int:
        return len(self._owner)

    def refresh(self, session: Session, encoder: Encoder) -> int:
        """Reload the stories whose revision changed; returns how many were reloaded."""
        with self._lock:
            current = dict(session.exec(select(Story.id, Story.revision)).all())
            changed = [s for s, rev in current.items() if self._revision.get(s) != rev]
            gone = [s for s in self._revision if s not in current]
            if not changed and not gone:
                return 0
            for story_id in gone:
                self._revision.pop(story_id, None)
                self._vectors.pop(story_id, None)
            wordings = story_wordings(session, changed)
            texts = [w.text for story_id in changed for w in wordings.get(story_id, [])]
            vectors = encoder.encode(texts) if texts else np.zeros((0, 0), np.float32)
            at = 0
            for story_id in changed:
                n = len(wordings.get(story_id, []))
                if n:
                    self._vectors[story_id] = vectors[at : at + n]
                else:
                    self._vectors.pop(story_id, None)
                at += n
                self._revision[story_id] = current[story_id]
            self._rebuild()
            return len(changed)

    def _rebuild(self) -> None:
        stories = sorted(self._vectors)
        blocks = [self._vectors[s] for s in stories]
        self._stories = np.array(stories, dtype=np.int64)
        sizes = np.array([len(b) for b in blocks], dtype=np.int64)
        self._starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        self._owner = np.repeat(self._stories, sizes)
        self._matrix = np.vstack(blocks) if blocks else np.zeros((0, 0), np.float32)

    def candidates(self, vectors: np.ndarray, limit: int) -> list[int]:
        """Up to ``limit`` story ids whose wordings the sentences (``vectors``) come closest to:
        most sentences within ``NEAR`` of one of the story's wordings, then closest on average."""
        with self._lock:
            matrix, starts, stories = self._matrix, self._starts, self._stories
        if not len(vectors) or not len(stories):
            return []
        sims = vectors @ matrix.T
        best = np.maximum.reduceat(sims, starts, axis=1)  # sentence x story
        near = (best >= NEAR).sum(axis=0)
        mean = best.mean(axis=0)
        order = np.lexsort((stories, -mean, -near))
        return [int(stories[i]) for i in order[:limit] if near[i] > 0]
