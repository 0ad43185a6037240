"""`provenance` command line: serve, migrate, settings (and `python -m app`)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import typer

from app.db import DatabaseError
from app.settings import documented_fields, get_settings

cli = typer.Typer(
    help="Fact-provenance browser for journalists.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def _fail(message: str) -> None:
    typer.echo(f"provenance: {message}", err=True)
    raise typer.Exit(code=2)


editor_cli = typer.Typer(help="Editors: the accounts that may upload, correct and delete.")
cli.add_typer(editor_cli, name="editor")


def _database():
    from app.bootstrap import prepare_database

    settings = get_settings()
    try:
        engine, _ = prepare_database(settings.model_copy(update={"load_seeds": False}))
    except DatabaseError as exc:
        _fail(str(exc))
    return engine


def _account(action):
    """Run ``action(session)`` in one write transaction; a refusal is one line and exit 2."""
    from app.db import write_session
    from app.editors import EditorError

    try:
        with write_session(_database()) as session:
            return action(session)
    except EditorError as exc:
        _fail(exc.message)


def _named(session, name: str):
    from app.editors import EditorError, find_editor

    editor = find_editor(session, name)
    if editor is None:
        raise EditorError(f"There is no editor called {name!r}.", 404)
    return editor


#: Typed twice at a prompt, or read from PROVENANCE_PASSWORD by scripts.
PASSWORD = typer.Option(
    ..., prompt=True, hide_input=True, confirmation_prompt=True,
    envvar="PROVENANCE_PASSWORD", help="At least 8 characters; asked for when not given.",
)


@editor_cli.command("add")
def editor_add(
    name: str = typer.Argument(..., help="The editor's name, shown on every write they make."),
    password: str = PASSWORD,
) -> None:
    """Add an editor who signs in at /signin with a name and password."""
    from app.editors import add_editor

    _account(lambda session: add_editor(session, name, password))
    typer.echo(f"editor {name!r} added")


@editor_cli.command("password")
def editor_password(
    name: str,
    password: str = PASSWORD,
) -> None:
    """Set a new password for an editor."""
    from app.editors import set_password

    _account(lambda session: set_password(session, name, password))
    typer.echo(f"password of {name!r} changed")


@editor_cli.command("remove")
def editor_remove(name: str) -> None:
    """Remove an editor and end their sessions, tokens and links; their writes stay recorded."""
    from app.editors import remove_editor

    _account(lambda session: remove_editor(session, name))
    typer.echo(f"editor {name!r} removed")


@editor_cli.command("list")
def editor_list() -> None:
    """List the editors."""
    from app.editors import list_editors

    for editor in _account(list_editors):
        how = "password" if editor.password_hash else "sign-in links only"
        typer.echo(f"{editor.name}\t{how}\tsince {editor.created_at:%Y-%m-%d}")


@editor_cli.command("token")
def editor_token(name: str) -> None:
    """Print a new API token for the editor (send it as `Authorization: Bearer TOKEN`).
    It is shown only now; the database keeps only its hash."""
    from app.editors import issue

    typer.echo(_account(lambda session: issue(session, _named(session, name), "token")))


@editor_cli.command("link")
def editor_link(
    name: str,
    base: str = typer.Option("http://127.0.0.1:8000", help="Address the server is reached at."),
) -> None:
    """Print a one-time sign-in link for the editor, valid for an hour."""
    from app.editors import issue

    secret = _account(lambda session: issue(session, _named(session, name), "link"))
    typer.echo(f"{base.rstrip('/')}/signin/{secret}")


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(
        1, min=1, help="Worker processes; more than one suits PostgreSQL, or SQLite for reading."
    ),
    quiet: bool = typer.Option(False, help="Log warnings only, without the access log."),
) -> None:
    """Migrate the database, load the seed story on first start, and serve the app."""
    import uvicorn

    from app.bootstrap import prepare_database
    from app.linker import Linker
    from app.main import create_app
    from app.serving import run_workers, steady_collector
    from app.settings import link_params

    settings = get_settings()
    linker = Linker(params=link_params(settings))
    try:
        engine, _ = prepare_database(settings, linker)
        app = create_app(settings, linker)
    except DatabaseError as exc:
        _fail(str(exc))
    link = _local_signin_link(engine)
    typer.echo(f"provenance: serving on http://{host}:{port}")
    if link:
        typer.echo(
            f"provenance: sign in as the local editor (once, within an hour): "
            f"http://{host}:{port}/signin/{link}"
        )
    options = {
        "host": host, "port": port, "log_level": "warning" if quiet else "info",
        "access_log": not quiet,
    }
    if workers > 1:  # each worker builds its own app from the same settings
        run_workers(workers, **options)
    else:
        steady_collector()
        uvicorn.run(app, **options)


def _local_signin_link(engine) -> str | None:
    """A one-time link for the local editor, created on a first start; none once removed."""
    from app.db import write_session
    from app.editors import issue, local_editor

    with write_session(engine) as session:
        editor = local_editor(session)
        return issue(session, editor, "link") if editor is not None else None


@cli.command()
def migrate() -> None:
    """Bring the database to the newest schema and load the seed story if missing."""
    from app.bootstrap import prepare_database

    try:
        _engine, report = prepare_database(get_settings())
    except DatabaseError as exc:
        _fail(str(exc))
    if report is not None:
        typer.echo(
            f"seed story: {report.articles_added} articles, {report.claims_added} claims added"
        )


@cli.command()
def relink(story: int | None = typer.Option(None, help="Only this story id.")) -> None:
    """Rebuild every link from the original texts, claims and editor decisions."""
    import time

    from sqlmodel import select

    from app.audit import COMMAND_LINE, record
    from app.bootstrap import prepare_database
    from app.db import write_session
    from app.linker import Linker
    from app.models import Story
    from app.settings import link_params

    settings = get_settings()
    linker = Linker(params=link_params(settings))
    try:
        engine, _ = prepare_database(settings, linker)
    except DatabaseError as exc:
        _fail(str(exc))
    with write_session(engine) as session:
        query = select(Story).order_by(Story.id)
        if story is not None:
            query = query.where(Story.id == story)
        for item in session.exec(query).all():
            started = time.perf_counter()
            report = linker.relink_story(session, item)
            record(
                session, COMMAND_LINE, "relink",
                f"Re-linked the story “{item.title}”: {report.links} links",
            )
            typer.echo(
                f"story {item.id}: {report.links} links over {report.sentences} sentences "
                f"in {time.perf_counter() - started:.2f} s"
            )


@cli.command()
def load(
    paths: list[str] = typer.Argument(..., help="Files or folders of .txt, .md or .html files."),
    outlet: str | None = typer.Option(None, help="Outlet of every file loaded."),
    story: int | None = typer.Option(None, help="Story id; the best match per file if omitted."),
    batch: int = typer.Option(200, min=1, help="Articles per transaction."),
) -> None:
    """Import articles from files or folders in batches: encoded and linked together."""
    from app.loading import load_paths

    try:
        load_paths(get_settings(), paths, outlet=outlet, story_id=story, batch=batch)
    except DatabaseError as exc:
        _fail(str(exc))


@cli.command("export")
def export_command(
    story: int = typer.Argument(..., help="Id of the story to export."),
    path: Path = typer.Argument(..., help="File to write: .json, or .zip for JSON plus CSVs."),
) -> None:
    """Write a story (texts, sentences, claims, links, decisions) to a file another instance
    can import."""
    from sqlmodel import Session

    from app.bootstrap import prepare_database
    from app.exchange.archive import to_json, to_zip
    from app.exchange.export import export_story

    try:
        engine, _ = prepare_database(get_settings())
    except DatabaseError as exc:
        _fail(str(exc))
    with Session(engine) as session:
        document = export_story(session, story)
    if document is None:
        _fail(f"there is no story with id {story}")
    data = to_zip(document) if path.suffix.lower() == ".zip" else to_json(document).encode()
    try:
        path.write_bytes(data)
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")
    typer.echo(
        f"story {story}: {len(document.articles)} articles, {len(document.claims)} claims, "
        f"{len(document.links)} links, {len(document.decisions)} editor decisions "
        f"written to {path}"
    )


@cli.command("import")
def import_command(
    path: Path = typer.Argument(..., help="A story export: .json, or the .zip of one."),
) -> None:
    """Add a story exported by `provenance export`, with its links exactly as exported."""
    from app.bootstrap import prepare_database
    from app.db import write_session
    from app.exchange.archive import ArchiveError, read_document
    from app.exchange.importing import ImportRefused, import_story, parse

    try:
        data = path.read_bytes()
    except OSError as exc:
        _fail(f"cannot read {path}: {exc.strerror or exc}")
    try:
        document = parse(read_document(data))
    except (ArchiveError, ImportRefused) as exc:
        _fail(f"{path}: {exc}")
    try:
        engine, _ = prepare_database(get_settings())
        with write_session(engine) as session:
            report = import_story(session, document)
    except ImportRefused as exc:
        _fail(f"{path}: {exc}")
    except DatabaseError as exc:
        _fail(str(exc))
    for line in report.lines():
        typer.echo(line)


@cli.command()
def evaluate(
    gold: Path = typer.Option(
        None, help="Labelled sentences of a story (default: ../shared/eval/seed_gold.json); its "
        "articles are the repository's seeds, or ../seeds and a claims.json beside it."
    ),
) -> None:
    """Score the linking of the seed story, the discrepancy flags and the attributions."""
    import tempfile

    from app.evaluate import GOLD, evaluate_seed_story, labelled_story
    from app.settings import ROOT

    gold = gold or GOLD
    if not gold.exists():
        _fail(f"the labelled seed sentences are not at {gold}")
    with tempfile.TemporaryDirectory() as tmp:
        try:
            seeds = labelled_story(Path(tmp) / "seeds", gold)
        except (FileNotFoundError, KeyError, ValueError) as exc:
            _fail(f"{gold}: {exc}")
        for with_dossier in (True, False):
            result = evaluate_seed_story(with_dossier, gold_path=gold, seeds_dir=seeds)
            typer.echo(f"{result.name}: {result.scores.summary()}")
            if result.close_calls is not None:
                typer.echo(f"  close calls for editors: {result.close_calls.summary()}")
    if seeds != ROOT / "seeds":
        typer.echo(
            "the translations, uploads and renderings are of the repository's seed story, "
            "not of this one: their figures are left out"
        )
    else:
        _evaluate_languages()
    _evaluate_flags()


def _evaluate_languages() -> None:
    from app.evaluate import (
        evaluate_alone,
        evaluate_joining,
        evaluate_languages,
        evaluate_translated,
        translated_languages,
    )
    from app.evaluation import BLIND_COVERAGE, COVERAGE

    typer.echo("the seed story translated, with the English dossier and with induced claims:")
    for language in translated_languages():
        for with_dossier in (True, False):
            result = evaluate_translated(language, with_dossier)
            typer.echo(f"  {result.name}: {result.scores.summary()}")
    typer.echo(
        "each seed article uploaded alone into the seed story's dossier, no other article "
        f"beside it, pairs across them: {evaluate_alone().summary()}"
    )
    typer.echo(
        "each seed article uploaded, as published (en) or translated, into the seed story "
        "without it:"
    )
    for language, scores in evaluate_joining(["en", *translated_languages()]).items():
        typer.echo(f"  {language}: {scores.summary()}")
    typer.echo("renderings of seed sentences linked to the English dossier, per language:")
    for scores in evaluate_languages():
        typer.echo(f"  {scores.summary()}")
    for path, name in ((COVERAGE, "held-out coverage"), (BLIND_COVERAGE, "second held-out set")):
        _evaluate_coverage(path, name)


def _evaluate_coverage(path: Path, name: str) -> None:
    from app.evaluate import evaluate_coverage

    coverage = evaluate_coverage(path)
    typer.echo(f"{name} (eval/{path.name}), each article uploaded alone into the seed story:")
    for language, scores in coverage.alone.items():
        count = coverage.articles[language]
        typer.echo(
            f"  {language} ({count} article{'s' if count > 1 else ''}): {scores.summary()}"
        )
    typer.echo(f"  all uploaded into one story: {coverage.together.summary()}")
    typer.echo(f"    close calls for editors: {coverage.close_calls.summary()}")
    linked, total = coverage.off_story
    typer.echo(
        f"  articles that do not draw on the origin: {linked} of {total} sentences linked"
    )


def _evaluate_flags() -> None:
    from app.evaluate import GOLD
    from app.evaluate_flags import (
        evaluate_attribution_transfer,
        evaluate_attributions,
        evaluate_flags,
    )

    everything = evaluate_flags()
    typer.echo(f"discrepancy flags, {everything.pairs} labelled pairs: "
               f"{everything.overall.summary()}")
    for kind, scores in everything.by_kind.items():
        typer.echo(f"  {kind}: {scores.summary()}")
    for split in ("dev", "test"):
        part = evaluate_flags(split=split)
        typer.echo(f"  {split} pairs ({part.pairs}): {part.overall.summary()}")
    for miss in everything.misses:
        typer.echo(f"  differs: {miss}")
    found = evaluate_attributions()
    typer.echo(f"attribution, {found.sentences} labelled sentences: accuracy {found.accuracy:.3f}")
    for kind, scores in found.by_kind.items():
        typer.echo(f"  {kind}: {scores.summary()}")
    typer.echo("attribution of translated seed sentences and renderings, share read as in the "
               "English original:")
    for agreement in evaluate_attribution_transfer(GOLD):
        typer.echo(f"  {agreement.summary()}")


@cli.command()
def bench(
    quick: bool = typer.Option(False, help="A corpus of 200 then 1,000 articles (minutes)."),
    sizes: str | None = typer.Option(
        None, help="Corpus sizes to measure, e.g. 1000,5000,20000 (the default)."
    ),
    database_url: str | None = typer.Option(
        None, help="Grow the corpus in this (empty) database instead of a temporary SQLite file."
    ),
) -> None:
    """Time the seed story's linking and pages, then a synthetic corpus grown step by step:
    bulk import, upload to linked article, pages under load, database size, server memory."""
    from app.bench import run

    steps = None
    if sizes:
        try:
            steps = [int(s) for s in sizes.split(",") if s.strip()]
        except ValueError:
            _fail(f"--sizes takes whole numbers separated by commas, not {sizes!r}")
    run(quick=quick, database_url=database_url, sizes=steps)


@cli.command("backup")
def backup_command(
    path: str = typer.Argument(..., help="File to write the copy to (replaced if it exists)."),
) -> None:
    """Write a consistent copy of the database, safe while the server runs."""
    from pathlib import Path

    from app.backup import backup

    try:
        size = backup(get_settings().database_url, Path(path))
    except DatabaseError as exc:
        _fail(str(exc))
    typer.echo(f"backup written to {path} ({size / 1024 / 1024:.1f} MiB)")


@cli.command("restore")
def restore_command(
    path: str = typer.Argument(..., help="A file written by `provenance backup`."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation."),
) -> None:
    """Replace the database's content with a backup's (stop the server first)."""
    from pathlib import Path

    from app.backup import restore
    from app.db import make_engine
    from app.migrate import upgrade

    settings = get_settings()
    if not yes:
        typer.confirm(
            f"Replace everything in {settings.database_url} with {path}?", abort=True
        )
    try:
        restore(settings.database_url, Path(path))
        engine = make_engine(settings.database_url)
        upgrade(engine)
        engine.dispose()
    except DatabaseError as exc:
        _fail(str(exc))
    typer.echo(f"database restored from {path}")


@cli.command("settings")
def show_settings() -> None:
    """List every setting with its current value and what it is for."""
    settings = get_settings()
    for name, help_text in documented_fields().items():
        typer.echo(f"{name.upper()}={getattr(settings, name)}\n    {help_text}")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    for name in ("alembic", "httpx", "httpx2"):  # the bench's in-process requests are no news
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        cli()
    except DatabaseError as exc:  # raised outside a command's own handling
        typer.echo(f"provenance: {exc}", err=True)
        sys.exit(2)
