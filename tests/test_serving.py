"""Several worker processes: their shared socket must not delay small answers (Nagle)."""

from __future__ import annotations

import asyncio
import socket

from app.serving import _TcpConfig


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
