"""The export as files: the JSON document, or a ZIP holding it and one CSV per table.

The CSVs are for reading the story in a spreadsheet; `story.json` in the ZIP is what an
import reads, so both files import the same way.
"""

from __future__ import annotations

import io
import json
import zipfile

from app.exchange.document import StoryDocument
from app.tabular import csv_text

DOCUMENT_NAME = "story.json"
#: Largest document an import reads; a story of a few hundred articles is far below it.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024


def to_json(document: StoryDocument) -> str:
    return json.dumps(document.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n"


def to_zip(document: StoryDocument) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DOCUMENT_NAME, to_json(document))
        for name, (header, rows) in tables(document).items():
            archive.writestr(f"{name}.csv", csv_text(header, rows))
    return buffer.getvalue()


def tables(document: StoryDocument) -> dict[str, tuple[list[str], list[list]]]:
    label = {a.content_hash: a.outlet or a.source for a in document.articles}
    text = {
        (a.content_hash, s.index): s.text for a in document.articles for s in a.sentences
    }
    return {
        "articles": (
            ["content_hash", "outlet", "source", "title", "byline", "url", "published",
             "language", "role", "sentences"],
            [[a.content_hash, a.outlet, a.source, a.title, a.byline, a.url, a.published,
              a.language, a.role, len(a.sentences)] for a in document.articles],
        ),
        "sentences": (
            ["article", "outlet", "index", "start", "end", "kind", "text"],
            [[a.content_hash, label[a.content_hash], s.index, s.start, s.end, s.kind, s.text]
             for a in document.articles for s in a.sentences],
        ),
        "claims": (
            ["key", "position", "text", "language", "source", "origin_article",
             "origin_sentence"],
            [[c.key, c.position, c.text, c.language, c.source,
              c.origin.article if c.origin else None, c.origin.sentence if c.origin else None]
             for c in document.claims],
        ),
        "links": (
            ["article", "outlet", "sentence", "sentence_text", "claim", "score", "decided_by",
             "discrepancies"],
            [[x.article, label.get(x.article), x.sentence, text.get((x.article, x.sentence)),
              x.claim, x.score, x.decided_by, "; ".join(d.reason for d in x.discrepancies)]
             for x in document.links],
        ),
        "decisions": (
            ["article", "outlet", "sentence", "claim", "verdict", "editor", "created_at"],
            [[d.article, label.get(d.article), d.sentence, d.claim, d.verdict, d.editor,
              d.created_at.isoformat()] for d in document.decisions],
        ),
    }


class ArchiveError(ValueError):
    """The file is not an export this instance can read; the message says why."""


def read_document(data: bytes) -> dict:
    """The document inside ``data``: a JSON export, or a ZIP export holding one."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                info = archive.getinfo(DOCUMENT_NAME)
                if info.file_size > MAX_DOCUMENT_BYTES:
                    raise ArchiveError(f"{DOCUMENT_NAME} in the ZIP is too large to import.")
                data = archive.read(info)
        except KeyError:
            message = f"The ZIP holds no {DOCUMENT_NAME}: it is not a story export."
            raise ArchiveError(message) from None
        except zipfile.BadZipFile as exc:
            raise ArchiveError(f"The ZIP file is damaged: {exc}.") from exc
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ArchiveError("The file is neither a JSON story export nor a ZIP of one.") from None
    except json.JSONDecodeError as exc:
        raise ArchiveError(f"The file is not valid JSON: {exc}.") from exc
    if not isinstance(document, dict):
        raise ArchiveError("The file is JSON but not a story export (no object at its top).")
    return document
