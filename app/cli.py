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
) -> None:
    """Migrate the database, load the seed story on first start, and serve the app."""
    import uvicorn

    from app.bootstrap import prepare_database
    from app.main import create_app

    settings = get_settings()
    try:
        prepare_database(settings)
        app = create_app(settings)
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
