"""Serving: the workers' shared socket must not delay small answers (Nagle), the garbage
collector must not pause pages, and the first upload must not wait for models to load."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys

import numpy as np
from fastapi.testclient import TestClient

from app.linker import Linker
from app.main import create_app
from app.serving import GC_THRESHOLDS, _TcpConfig
from app.settings import ROOT
from app.text import language


def _nodelay_of_accepted_connection(listener: socket.socket) -> int:
    async def accept_one() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport):
                sock = transport.get_extra_info("socket")
                seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        _reader, writer = await asyncio.open_connection(*listener.getsockname()[:2])
        try:
            return await asyncio.wait_for(seen, 5)
        finally:
            writer.close()
            server.close()

    return asyncio.run(accept_one())


def test_worker_connections_answer_without_waiting_for_acknowledgements():
    config = _TcpConfig("app.main:create_app", factory=True, host="127.0.0.1", port=0)
    listener = config.bind_socket()
    assert listener.proto == socket.IPPROTO_TCP
    assert _nodelay_of_accepted_connection(listener) != 0


def test_a_worker_freezes_its_start_up_objects_and_collects_rarely(tmp_path):
    """In a child process: the test process's own collector is left alone."""
    script = (
        "import gc, json\n"
        "from app.serving import worker_app\n"
        "worker_app()\n"
        "print(json.dumps([gc.get_freeze_count(), list(gc.get_threshold())]))\n"
    )
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}", "LOAD_SEEDS": "false"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT,
        timeout=120, check=True,
    )
    frozen, thresholds = json.loads(done.stdout.strip().splitlines()[-1])
    assert frozen > 10_000
    assert tuple(thresholds) == GC_THRESHOLDS



class _CountingEncoder:
    """Vectors of nothing in particular, counting the calls: was the model asked to load?"""

    name = "counting"

    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        return np.full((len(texts), 4), 0.5, np.float32)


def test_the_server_loads_the_encoder_and_the_language_model_as_it_starts(
    settings, engine, monkeypatch
):
    monkeypatch.setattr(language, "_identifier", None)  # as in a process just started
    encoder = _CountingEncoder()
    app = create_app(settings, Linker(encoder))
    with TestClient(app):
        app.state.warm_up.join(60)
        assert not app.state.warm_up.is_alive()
    assert encoder.calls == 1
    assert language._identifier is not None
    app.state.engine.dispose()


def test_a_server_told_not_to_warm_up_loads_nothing_before_the_first_upload(settings, engine):
    encoder = _CountingEncoder()
    app = create_app(settings.model_copy(update={"warm_start": False}), Linker(encoder))
    with TestClient(app):
        assert app.state.warm_up is None
    assert encoder.calls == 0
    app.state.engine.dispose()
