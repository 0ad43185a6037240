"""Engine and sessions. SQLite runs in WAL mode so readers never wait for the writer, and every
write transaction starts with BEGIN IMMEDIATE, so two writers queue on the busy timeout instead
of failing with "database is locked" when a read transaction tries to upgrade. PostgreSQL
(``postgresql://...``, driven by psycopg 3) needs none of that: its row locks and MVCC do it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session

from app.text.search import fold_text

BUSY_TIMEOUT_MS = 30_000


class DatabaseError(RuntimeError):
    """The database cannot be opened or used; the message is one line for the operator."""


def database_url(url: str) -> URL:
    """``url`` parsed, with PostgreSQL given the psycopg (v3) driver unless it names another."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str) -> Engine:
    """An engine for ``url``; any problem with the URL becomes one DatabaseError line."""
    try:
        parsed = database_url(url)
        if parsed.get_backend_name() != "sqlite":
            return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=10)
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
        )
    except Exception as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DatabaseError(f"DATABASE_URL {url!r} cannot be used: {reason}") from exc
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()
        # lower() of SQLite knows only ASCII; title searches compare folded text
        dbapi_connection.create_function("fold", 1, fold_text, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions take the write lock at BEGIN."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(sqlite_immediate=True)


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One write transaction: committed when the block ends, rolled back whole on any error."""
    with Session(writer(engine), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def check_connection(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise DatabaseError(f"cannot open the database {engine.url!r}: {reason}") from exc
