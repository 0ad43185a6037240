"""`provenance` command line: serve, migrate, settings (and `python -m app`)."""

from __future__ import annotations

import logging
import sys

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
    from app.settings import link_params

    settings = get_settings()
    linker = Linker(params=link_params(settings))
    try:
        prepare_database(settings, linker)
        app = create_app(settings, linker)
    except DatabaseError as exc:
        _fail(str(exc))
    typer.echo(f"provenance: serving on http://{host}:{port}")
    options = {
        "host": host, "port": port, "log_level": "warning" if quiet else "info",
        "access_log": not quiet,
    }
    if workers > 1:  # each worker builds its own app from the same settings
        uvicorn.run("app.main:create_app", factory=True, workers=workers, **options)
    else:
        uvicorn.run(app, **options)


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
    batch: int = typer.Option(200, min=1, help="Articles per transaction."),
) -> None:
    """Import articles from files or folders in batches: encoded and linked together."""
    from app.loading import load_paths

    try:
        load_paths(get_settings(), paths, outlet=outlet, story_id=story, batch=batch)
    except DatabaseError as exc:
        _fail(str(exc))


@cli.command()
def evaluate() -> None:
    """Score the linking of the seed story against its labelled sentences."""
    from app.evaluate import GOLD, evaluate_languages, evaluate_seed_story

    if not GOLD.exists():
        _fail(f"the labelled seed sentences are not at {GOLD}")
    for with_dossier in (True, False):
        result = evaluate_seed_story(with_dossier)
        typer.echo(f"{result.name}: {result.scores.summary()}")
    typer.echo("renderings of seed sentences linked to the English dossier, per language:")
    for scores in evaluate_languages():
        typer.echo(f"  {scores.summary()}")


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
