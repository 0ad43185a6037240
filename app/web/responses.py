"""The error answers of the API, documented so clients (and the schema tests) know them all."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Problem(BaseModel):
    """What went wrong, for the person who sent the request."""

    detail: str | list[dict[str, Any]] = Field(
        description="A message; for a request that does not fit the schema, a list of problems."
    )


_MEANINGS = {
    400: "The request was understood but refused; nothing was written.",
    401: "No valid editor token was sent; nothing was written.",
    403: "A browser request with cookies but without its CSRF token; nothing was written.",
    404: "There is no such item.",
    409: "The change conflicts with what is stored.",
    413: "The body is larger than the upload limit.",
    415: "The upload is not text, Markdown or HTML.",
    422: "The body does not fit the schema, or the article could not be read; nothing was "
    "written.",
}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Problem, "description": _MEANINGS[code]} for code in codes}


#: Every write may meet these, besides its own: no token, a browser without its CSRF token, a
#: body over the limit, a body that does not fit the schema.
WRITE = problems(401, 403, 413, 422)
