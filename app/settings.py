"""Settings read from the environment (or a `.env` file); every field says what it is for."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{ROOT / 'data' / 'provenance.db'}",
        description="SQLAlchemy URL of the database; a SQLite file by default.",
    )
    seeds_dir: Path = Field(
        default=ROOT / "seeds",
        description="Folder holding the seed story: articles, manifest.json and claims.json.",
    )
    load_seeds: bool = Field(
        default=True, description="Load the seed story on start when it is not loaded yet."
    )
    seed_dossier: bool = Field(
        default=True,
        description="Load the seed story's origin dossier (claims.json) as its claims; when false "
        "the story's claims are induced from the coverage itself.",
    )
    max_upload_bytes: int = Field(
        default=2 * 1024 * 1024, description="Largest accepted upload, in bytes (413 above it)."
    )
    extract_timeout: float = Field(
        default=10.0, description="Seconds that text extraction and segmentation may take."
    )
    link_threshold: float | None = Field(
        default=None,
        description="Lowest score (0-1) at which a sentence is linked to a claim; empty for the "
        "cross-validated default of the linking model.",
    )
    close_calls: int = Field(
        default=2, ge=0,
        description="Close calls kept per sentence: claims the linker found near it but left "
        "unlinked, shown to editors to confirm or dismiss (0: none).",
    )
    close_call_floor: float = Field(
        default=0.1, ge=0.0, le=1.0,
        description="Least score (0-1, where 0.5 links) at which an unlinked claim is a close "
        "call.",
    )
    encoder_threads: int = Field(
        default=2, description="CPU threads the sentence encoder may use."
    )
    request_threads: int = Field(
        default=4, ge=1,
        description="Requests each server process works on at once; more wait their turn.",
    )
    page_cache_mb: int = Field(
        default=64, ge=0,
        description="Memory each server process may keep rendered claim and article pages in, "
        "for readers not signed in (0: render every time).",
    )
    warm_start: bool = Field(
        default=True,
        description="Load the sentence encoder and start the helper process that segments "
        "uploads as the server starts, in the background, so the first upload does not wait "
        "two seconds or more for them.",
    )
    page_size: int = Field(default=50, description="Rows per page in lists and search results.")
    secure_cookies: bool = Field(
        default=True,
        description="Mark the session and CSRF cookies Secure (sent over HTTPS and to "
        "localhost only); turn off only to serve plain HTTP to other machines.",
    )


def link_params(settings: Settings):
    """The linking model's parameters, with the threshold and close calls the settings set."""
    from dataclasses import replace

    from app.linking import LinkParams

    params = replace(
        LinkParams(), close_calls=settings.close_calls, close_call_floor=settings.close_call_floor
    )
    if settings.link_threshold is not None:
        params = replace(params, threshold=settings.link_threshold)
    return params


@lru_cache
def get_settings() -> Settings:
    return Settings()


def documented_fields() -> dict[str, str]:
    """Field name -> help text, for `provenance settings` and the documentation test."""
    return {name: field.description or "" for name, field in Settings.model_fields.items()}
