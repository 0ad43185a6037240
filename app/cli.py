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


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
) -> None:
    """Migrate the database, load the seed story on first start, and serve the app."""
    import uvicorn

    from app.bootstrap import prepare_database
    from app.linker import Linker
    from app.main import create_app
    from app.settings import link_params

    settings = get_settings()
    linker = Linker(params=link_params(settings))
    try:
        prepare_database(settings, linker)
        app = create_app(settings, linker)
    except DatabaseError as exc:
        _fail(str(exc))
    typer.echo(f"provenance: serving on http://{host}:{port}")
    uvicorn.run(app, host=host, port=port, log_level="info")


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
            typer.echo(
                f"story {item.id}: {report.links} links over {report.sentences} sentences "
                f"in {time.perf_counter() - started:.2f} s"
            )


@cli.command()
def load(
    paths: list[str] = typer.Argument(..., help="Files or folders of .txt, .md or .html files."),
    outlet: str | None = typer.Option(None, help="Outlet of every file loaded."),
    story: int | None = typer.Option(None, help="Story id; the best match per file if omitted."),
) -> None:
    """Import articles from files or folders, each linked at once."""
    from app.loading import load_paths

    try:
        load_paths(get_settings(), paths, outlet=outlet, story_id=story)
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
def evaluate() -> None:
    """Score the linking of the seed story, the discrepancy flags and the attributions."""
    from app.evaluate import GOLD, evaluate_languages, evaluate_seed_story

    if not GOLD.exists():
        _fail(f"the labelled seed sentences are not at {GOLD}")
    for with_dossier in (True, False):
        result = evaluate_seed_story(with_dossier)
        typer.echo(f"{result.name}: {result.scores.summary()}")
    typer.echo("renderings of seed sentences linked to the English dossier, per language:")
    for scores in evaluate_languages():
        typer.echo(f"  {scores.summary()}")
    _evaluate_flags()


def _evaluate_flags() -> None:
    from app.evaluate_flags import evaluate_attributions, evaluate_flags

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


@cli.command()
def bench() -> None:
    """Time encoding, linking one new article, re-linking the seed story, and the pages."""
    from app.bench import run

    run()


@cli.command("settings")
def show_settings() -> None:
    """List every setting with its current value and what it is for."""
    settings = get_settings()
    for name, help_text in documented_fields().items():
        typer.echo(f"{name.upper()}={getattr(settings, name)}\n    {help_text}")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        cli()
    except DatabaseError as exc:  # raised outside a command's own handling
        typer.echo(f"provenance: {exc}", err=True)
        sys.exit(2)
