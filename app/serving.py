"""Serving the app: worker processes sharing one listening socket, and a garbage collector set
for a server that keeps large caches."""

from __future__ import annotations

import gc
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

#: Collections of the young generation every 50,000 net allocations (not 700), the oldest
#: almost never: see ``steady_collector``.
GC_THRESHOLDS = (50_000, 20, 100)


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


def run_workers(workers: int, app: str = "app.serving:worker_app", **options) -> None:
    """``app``: the import path of the app factory, which each worker calls."""
    config = _TcpConfig(app, factory=True, workers=workers, **options)
    Multiprocess(config, sockets=[config.bind_socket()]).run()


def steady_collector() -> None:
    """Keep the cyclic garbage collector from pausing page requests.

    A server process holds hundreds of thousands of long-lived objects (the modules, the
    encoder, the per-text analysis and page caches). With Python's default thresholds a full
    collection walked all of them every few hundred requests, 100-200 ms each, which was most
    of the slowest pages' time. The objects alive after start-up are frozen out of collection
    and collections run less often; reference counting still frees everything that is not in a
    cycle at once, and cycles among new objects are still collected.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def worker_app():
    """The app of one worker process, built from the settings, with the collector set."""
    from app.main import create_app

    app = create_app()
    steady_collector()
    return app
