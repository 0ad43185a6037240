"""Serving: the workers' shared socket must not delay small answers (Nagle), and the garbage
collector must not pause pages."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys

from app.serving import GC_THRESHOLDS, _TcpConfig
from app.settings import ROOT


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
