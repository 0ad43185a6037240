"""`provenance backup` and `provenance restore`, with SQLite's online backup API.

The backup reads the database page by page inside SQLite's own locking, so it is a consistent
snapshot even while the server writes; it is written to a temporary file, checked, and only then
renamed into place, so a failed backup never leaves a half file under the name asked for.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from app.db import BUSY_TIMEOUT_MS, DatabaseError


def database_file(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise DatabaseError(f"backups work on a SQLite file; DATABASE_URL is {database_url!r}")
    return Path(url.database)


def _check(connection: sqlite3.Connection, what: str) -> None:
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"{what} is not a readable SQLite database: {exc}") from exc
    if result != "ok":
        raise DatabaseError(f"{what} is damaged: {result}")
    if not {"alembic_version", "article"} <= tables:
        raise DatabaseError(f"{what} is not a provenance database")


def backup(database_url: str, target: Path) -> int:
    """Copy the live database to ``target``; returns its size in bytes."""
    source = database_file(database_url)
    if not source.exists():
        raise DatabaseError(f"there is no database at {source}")
    target = target.resolve()
    if target == source.resolve():
        raise DatabaseError("the backup cannot overwrite the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        with closing(sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)) as src, closing(
            sqlite3.connect(partial)
        ) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            _check(dst, "the backup")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def restore(database_url: str, source: Path) -> None:
    """Replace the database's content with the backup's, in one step under SQLite's lock:
    readers see the old content or the new, never a mixture."""
    if not source.is_file():
        raise DatabaseError(f"there is no backup at {source}")
    target = database_file(database_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src:
        _check(src, f"the backup {source}")
        with closing(sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)) as dst:
            src.backup(dst)
            _check(dst, "the restored database")
