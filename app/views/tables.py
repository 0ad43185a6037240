"""The lists the pages show, as tables (a header and rows) for their CSV downloads.

Each table is read from the same view object as the page and its `.json` twin, so the three
always agree; addresses are absolute, since a spreadsheet has no site to resolve them against.
"""

from __future__ import annotations

from collections.abc import Iterator

from app.tabular import joined
from app.views.articles import ArticlePage
from app.views.claims import ClaimPage
from app.views.outlets import OutletsPage
from app.views.story import StoryPage

Table = tuple[list[str], Iterator[list]]


def story_claims(view: StoryPage, base: str) -> Table:
    labels = {a.id: a.label for a in view.articles}
    header = [
        "key", "text", "source", "outlets", "of_outlets", "sentences", "match_percent",
        "kept_percent", "carried_by", "url",
    ]
    rows = (
        [
            c.key, c.text, c.source, c.outlet_count, view.outlet_total, c.sentence_count,
            c.match.percent if c.match else None, c.kept_percent,
            joined(labels[i] for i in c.carried_by), base + c.url,
        ]
        for c in view.claims
    )
    return header, rows


def story_sentences(view: StoryPage, base: str) -> Table:
    header = ["sentence_id", "article_id", "outlet", "kind", "text", "claims", "url"]
    rows = (
        [h.sentence_id, h.article_id, h.article_label, h.kind, h.text, joined(h.claim_keys),
         base + h.url]
        for h in view.hits
    )
    return header, rows


def claim_wordings(view: ClaimPage, base: str) -> Table:
    key = view.comparison.claim.key
    header = [
        "claim", "article_id", "outlet", "title", "published", "sentence_id", "index", "text",
        "match_percent", "match", "decided_by", "kept_percent", "language", "url",
    ]
    rows = (
        [
            key, o.article.id, o.article.label, o.article.title, o.published, w.sentence_id,
            w.index, w.text, w.score.percent, w.score.level, w.decided_by, w.kept_percent,
            w.language, base + w.url,
        ]
        for o in view.comparison.outlets
        for w in o.wordings
    )
    return header, rows


def article_sentences(view: ArticlePage, base: str) -> Table:
    header = [
        "index", "sentence_id", "kind", "state", "start", "end", "text", "claims",
        "match_percent", "decided_by", "url",
    ]
    rows = (
        [
            s.index, s.id, s.kind, s.state, s.start, s.end, s.text,
            joined(t.key for t in s.claims), joined(t.score.percent for t in s.claims),
            joined(t.decided_by for t in s.claims), f"{base}{s.url}#s-{s.id}",
        ]
        for s in view.sentences
    )
    return header, rows


def outlets(view: OutletsPage, base: str) -> Table:
    header = [
        "article_id", "outlet", "title", "role", "published", "content_sentences",
        "linked_sentences", "linked_percent", "own_percent", "carries", "leaves_out", "url",
    ]
    rows = (
        [
            r.article.id, r.article.label, r.article.title, r.article.role, r.published,
            r.content_sentences, r.linked_sentences, r.linked_percent, r.own_percent,
            joined(c.key for c in r.carried), joined(c.key for c in r.left_out),
            base + r.article.url,
        ]
        for r in view.rows
    )
    return header, rows
