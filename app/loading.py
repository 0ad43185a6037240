"""`provenance load`: import files and folders with a progress bar, one transaction per file."""

from __future__ import annotations

from pathlib import Path

import typer

from app.bootstrap import prepare_database
from app.ingest import IngestError
from app.linker import Linker
from app.settings import Settings, link_params
from app.text.extract import ExtractError
from app.uploads import UploadRequest, upload

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
    settings: Settings, paths: list[str], outlet: str | None = None, story_id: int | None = None
) -> tuple[int, int, int]:
    """Load every file; report each refusal and go on. Returns (added, duplicates, refused)."""
    files = expand(paths)
    linker = Linker(params=link_params(settings))
    engine, _ = prepare_database(settings, linker)
    added = duplicates = refused = 0
    with typer.progressbar(files, label="Loading", show_pos=True) as bar:
        for path in bar:
            request = UploadRequest(
                data=path.read_bytes(), filename=path.name, outlet=outlet, story_id=story_id
            )
            try:
                result = upload(
                    engine, linker, request, settings.max_upload_bytes, settings.extract_timeout
                )
            except (ExtractError, IngestError) as exc:
                refused += 1
                typer.echo(f"\n{path}: refused: {exc.message}", err=True)
                continue
            added += result.created
            duplicates += not result.created
    typer.echo(f"{added} added, {duplicates} already present, {refused} refused")
    return added, duplicates, refused
