"""`provenance load`: import files and folders with a progress bar, many articles per
transaction (see app.bulk)."""

from __future__ import annotations

from pathlib import Path

import typer

from app.bootstrap import prepare_database
from app.bulk import BATCH, BulkItem, import_items
from app.linker import Linker
from app.settings import Settings, link_params
from app.text.extract import ExtractError
from app.uploads import UploadRequest, read_request

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}


def expand(paths: list[str]) -> list[Path]:
    """The article files named, and those inside the folders named, in a stable order."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            raise typer.BadParameter(f"{name} is neither a file nor a folder")
    return files


def load_paths(
    settings: Settings,
    paths: list[str],
    outlet: str | None = None,
    story_id: int | None = None,
    batch: int = BATCH,
) -> tuple[int, int, int]:
    """Load every file, ``batch`` per transaction; report each refusal and go on.
    Returns (added, duplicates, refused)."""
    files = expand(paths)
    linker = Linker(params=link_params(settings))
    engine, _ = prepare_database(settings, linker)
    with typer.progressbar(length=len(files), label="Loading", show_pos=True) as bar:
        report = import_items(
            engine,
            linker,
            (_read(path, settings, outlet, story_id) for path in files),
            batch=batch,
            progress=lambda _entry: bar.update(1),
        )
    for name, message in report.refused:
        typer.echo(f"{name}: refused: {message}", err=True)
    typer.echo(
        f"{report.added} added, {report.duplicates} already present, {len(report.refused)} refused"
    )
    return report.added, report.duplicates, len(report.refused)


def _read(path: Path, settings: Settings, outlet: str | None, story_id: int | None) -> BulkItem:
    request = UploadRequest(
        data=path.read_bytes(), filename=path.name, outlet=outlet, story_id=story_id
    )
    try:
        item = read_request(request, settings.max_upload_bytes, settings.extract_timeout)
    except ExtractError as exc:
        return BulkItem(str(path), refusal=exc.message)
    return BulkItem(str(path), item=item, story_id=story_id)
