"""Refuse request bodies over the upload limit before reading them to the end.

Starlette's own body limit answers a bare "Content Too Large"; this one tells the journalist
what the limit is, in HTML for the form and JSON for the API, with or without Content-Length.
"""

from __future__ import annotations

import json

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Room for the form's other fields and multipart framing around a file of the largest size.
FORM_OVERHEAD = 64 * 1024


class BodyTooLarge(HTTPException):
    """Raised while the body streams in; an HTTPException so that body parsers pass it on."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=413, detail=message)


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limit = max_bytes + FORM_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            await self._refuse(headers, send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.message)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await self._refuse(headers, send)

    @property
    def message(self) -> str:
        return (
            f"The upload is larger than the {self.max_bytes / (1024 * 1024):g} MiB an article "
            "may have. Save only the article itself and try again."
        )

    async def _refuse(self, headers: Headers, send: Send) -> None:
        message = self.message
        if "text/html" in headers.get("accept", ""):
            body = (
                "<!doctype html><html lang=en><meta charset=utf-8><title>Upload too large"
                "</title><link rel=stylesheet href=/static/app.css><main id=main>"
                f"<h1>Upload too large</h1><p role=alert>{message}</p>"
                "<p><a href=/upload>Back to the upload form</a></p></main></html>"
            ).encode()
            content_type = b"text/html; charset=utf-8"
        else:
            body = json.dumps({"detail": message}).encode()
            content_type = b"application/json"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
