"""The record of every write: who, when, what. Entries are written in the transaction of the
write they describe, so a write that is rolled back leaves no entry, and none goes unrecorded."""

from __future__ import annotations

from sqlmodel import Session, select

from app.models import AuditEntry

#: Who writes when no editor is signed in: the command line, and the start that loads the seeds.
COMMAND_LINE = "command line"
FIRST_START = "first start"


def record(
    session: Session, editor: str, action: str, summary: str, article_id: int | None = None
) -> AuditEntry:
    entry = AuditEntry(editor=editor, action=action, summary=summary, article_id=article_id)
    session.add(entry)
    session.flush()
    return entry


def history(session: Session, article_id: int) -> list[AuditEntry]:
    """The article's writes, newest first."""
    return list(
        session.exec(
            select(AuditEntry)
            .where(AuditEntry.article_id == article_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        ).all()
    )
