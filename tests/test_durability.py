"""Load, failure and recovery against real processes: `provenance serve` on a loopback port
with concurrent writers and readers, `provenance load` killed with SIGKILL mid-ingest, and
`provenance backup` / `restore` while the server writes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlmodel import Session, select

from app.db import make_engine, write_session
from app.editors import find_editor, issue
from app.models import Article
from tests.test_browser import _free_port
from tests.test_upload import COVERAGE

pytestmark = pytest.mark.slow

PROVENANCE = [sys.executable, "-m", "app"]
TOPICS = ["Kyiv", "Odesa", "Lviv", "Kharkiv", "Dnipro", "Poltava", "Sumy", "Chernihiv", "Rivne",
          "Lutsk", "Uzhhorod", "Ternopil"]


def article(i: int) -> str:
    """A distinct rewrite of the coverage, so no two are duplicates."""
    topic = TOPICS[i % len(TOPICS)]
    return (
        f"Report {i} from {topic}: the regional council met on day {i} of the month.\n\n"
        f"{COVERAGE}\n\nIn {topic}, residents followed the talks closely (note {i})."
    )


def env_for(db: Path) -> dict[str, str]:
    return {
        **os.environ, "DATABASE_URL": f"sqlite:///{db}", "ENCODER_THREADS": "1",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """`provenance serve` as `make run` starts it, on a free port, with its printed link."""
    db = tmp_path_factory.mktemp("live") / "live.db"
    port = _free_port()
    process = subprocess.Popen(
        [*PROVENANCE, "serve", "--port", str(port)],
        env=env_for(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines: list[str] = []
    errors: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    threading.Thread(target=lambda: errors.extend(process.stderr), daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240
    while True:
        assert process.poll() is None, "".join(errors)
        assert time.monotonic() < deadline, "the server did not start"
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    engine = make_engine(f"sqlite:///{db}")
    with write_session(engine) as session:
        token = issue(session, find_editor(session, "local"), "token")
    yield {"base": base, "db": db, "engine": engine, "token": token, "stdout": lines,
           "stderr": errors}
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    engine.dispose()


def test_serve_prints_a_one_time_sign_in_link_for_the_local_editor(live):
    link = next(line for line in live["stdout"] if "/signin/" in line).split()[-1]
    assert link.startswith(f"{live['base']}/signin/")
    first = httpx.get(link, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"] == "/upload"
    assert "provenance_session=" in first.headers["set-cookie"]
    assert httpx.get(link, follow_redirects=False).status_code == 403


def test_8_uploads_and_32_readers_at_once_lose_nothing_and_never_lock(live):
    base, headers = live["base"], {"Authorization": f"Bearer {live['token']}"}
    failures: list[str] = []
    created: list[int] = []
    done = threading.Event()

    def upload(i: int) -> None:
        try:
            response = httpx.post(
                f"{base}/api/articles", json={"text": article(i), "outlet": f"Outlet {i}"},
                headers=headers, timeout=300,
            )
            if response.status_code != 201:
                failures.append(f"upload {i}: {response.status_code} {response.text[:200]}")
            else:
                created.append(response.json()["article_id"])
        except httpx.HTTPError as exc:
            failures.append(f"upload {i}: {exc!r}")

    def read(i: int) -> None:
        paths = ["/", "/api/articles", "/articles/1", "/outlets", "/claims/1", "/api/claims"]
        with httpx.Client(base_url=base, timeout=120) as client:
            n = 0
            while not done.is_set() or n < 2:
                response = client.get(paths[(i + n) % len(paths)])
                n += 1
                if response.status_code >= 500 or "locked" in response.text:
                    failures.append(f"reader {i}: {response.status_code} {response.text[:200]}")

    writers = [threading.Thread(target=upload, args=(i,)) for i in range(8)]
    readers = [threading.Thread(target=read, args=(i,)) for i in range(32)]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    for thread in readers:
        thread.join()
    assert failures == [], "".join(live["stderr"])[-4000:]
    assert len(set(created)) == 8
    listed = {a["id"] for a in httpx.get(f"{base}/api/articles").json()}
    assert set(created) <= listed
    assert not any("locked" in line for line in live["stderr"])


def test_backup_while_the_server_writes_then_restore_brings_it_back(live, tmp_path):
    base, headers = live["base"], {"Authorization": f"Bearer {live['token']}"}
    stop = threading.Event()
    edits: list[int] = []

    def keep_writing() -> None:
        n = 0
        while not stop.is_set():
            response = httpx.patch(
                f"{base}/api/articles/1", json={"byline": f"Writer {n}"}, headers=headers,
                timeout=60,
            )
            edits.append(response.status_code)
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    copy = tmp_path / "backups" / "copy.db"
    try:
        time.sleep(0.5)
        result = subprocess.run(
            [*PROVENANCE, "backup", str(copy)], env=env_for(live["db"]),
            capture_output=True, text=True, timeout=120,
        )
    finally:
        stop.set()
        writer.join()
    assert result.returncode == 0, result.stderr
    assert edits and set(edits) == {200}
    with closing(sqlite3.connect(copy)) as backup:
        assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = backup.execute("SELECT count(*) FROM article").fetchone()[0]
        byline = backup.execute("SELECT byline FROM article WHERE id = 1").fetchone()[0]
    assert byline.startswith("Writer ")

    # Restore into another database that has lost an article since.
    other = tmp_path / "other.db"
    restored = subprocess.run(
        [*PROVENANCE, "restore", str(copy), "--yes"], env=env_for(other),
        capture_output=True, text=True, timeout=120,
    )
    assert restored.returncode == 0, restored.stderr
    engine = make_engine(f"sqlite:///{other}")
    with write_session(engine) as session:
        session.delete(session.exec(select(Article).order_by(Article.id.desc())).first())
    with Session(engine) as session:
        assert len(session.exec(select(Article)).all()) == saved - 1
    again = subprocess.run(
        [*PROVENANCE, "restore", str(copy), "--yes"], env=env_for(other),
        capture_output=True, text=True, timeout=120,
    )
    assert again.returncode == 0, again.stderr
    with Session(engine) as session:
        assert len(session.exec(select(Article)).all()) == saved
        assert session.get(Article, 1).byline == byline
    engine.dispose()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    result = subprocess.run(
        [*PROVENANCE, "restore", str(junk), "--yes"], env=env_for(tmp_path / "db.db"),
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "not a readable SQLite database" in result.stderr


def test_a_load_killed_mid_ingest_leaves_only_whole_articles(tmp_path):
    db = tmp_path / "killed.db"
    prepared = subprocess.run(
        [*PROVENANCE, "migrate"], env=env_for(db), capture_output=True, text=True, timeout=300
    )
    assert prepared.returncode == 0, prepared.stderr
    folder = tmp_path / "batch"
    folder.mkdir()
    total = 30
    for i in range(total):
        (folder / f"{i:03d}.txt").write_text(article(100 + i), encoding="utf-8")

    def articles() -> int:
        with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)) as conn:
            return conn.execute("SELECT count(*) FROM article").fetchone()[0]

    seeded = articles()
    with closing(sqlite3.connect(db)) as conn:
        last_seed = conn.execute("SELECT max(id) FROM article").fetchone()[0]
    process = subprocess.Popen(
        [*PROVENANCE, "load", str(folder), "--batch", "3"], env=env_for(db),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 300
    while articles() == seeded:
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "no article was committed in time"
        time.sleep(0.05)
    time.sleep(0.3)  # into the next batch's transaction
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stderr.close()

    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        added = conn.execute("SELECT count(*) FROM article").fetchone()[0] - seeded
        assert 1 <= added < total, "the load was not killed in the middle"
        assert added % 3 == 0, "a batch is committed whole or not at all"
        new = conn.execute(
            "SELECT a.id, a.text, count(s.id), "
            " (SELECT count(*) FROM audit_entry e WHERE e.article_id = a.id) "
            "FROM article a LEFT JOIN sentence s ON s.article_id = a.id "
            "WHERE a.id > ? GROUP BY a.id ORDER BY a.id", (last_seed,),
        ).fetchall()
        assert len(new) == added
        for article_id, text, sentences, recorded in new:
            assert sentences > 5 and recorded == 1, article_id
            spans = conn.execute(
                "SELECT start, \"end\", text FROM sentence WHERE article_id = ?", (article_id,)
            ).fetchall()
            assert all(text[start:end] == body for start, end, body in spans)
            links = conn.execute(
                "SELECT count(*) FROM link JOIN sentence s ON s.id = link.sentence_id "
                "WHERE s.article_id = ?", (article_id,),
            ).fetchone()[0]
            assert links > 0, f"article {article_id} was stored without its links"
