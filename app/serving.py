"""Serving the app with several uvicorn worker processes sharing one listening socket."""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess


class _TcpConfig(uvicorn.Config):
    """uvicorn binds its workers' shared socket without naming the TCP protocol; asyncio then
    leaves Nagle's algorithm on for every connection, and each keep-alive request waits about
    40 ms for the client's delayed acknowledgement (uvicorn issue 3149). The socket is wrapped
    again with its protocol, which accepted connections inherit."""

    def bind_socket(self) -> socket.socket:
        sock = super().bind_socket()
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
            sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, sock.detach())
        return sock


def run_workers(app: str, workers: int, **options) -> None:
    """``app``: the import path of the app factory, which each worker calls."""
    config = _TcpConfig(app, factory=True, workers=workers, **options)
    Multiprocess(config, sockets=[config.bind_socket()]).run()
