"""`figment run` on several processes: the shared listener, the configuration rule, and a real start."""

from __future__ import annotations

import asyncio
import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from figment.settings import Settings
from figment.web_server import listening_socket
from support import REDIS_URL


def test_connections_on_the_shared_listener_get_tcp_nodelay() -> None:
    """Without TCP_NODELAY every keep-alive response waits ~40 ms for a delayed ACK (uvicorn #3149)."""
    listener = listening_socket("127.0.0.1", 0)
    port = listener.getsockname()[1]
    seen: list[int] = []

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            sock = transport.get_extra_info("socket")
            seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()

    # In a thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    runner = threading.Thread(target=asyncio.run, args=(main(),))
    runner.start()
    runner.join(timeout=10)
    assert seen and seen[0] != 0


def test_several_processes_need_the_redis_feed_cache() -> None:
    with pytest.raises(ValidationError, match="FIGMENT_FEED_CACHE=redis"):
        Settings(web_processes=2, feed_cache="memory")
    assert Settings(web_processes=2, feed_cache="redis").web_processes == 2


def test_figment_run_serves_from_two_processes(tmp_path: Path, redis_prefix: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(
        os.environ,
        FIGMENT_ENV="test",
        FIGMENT_DATA_DIR=str(tmp_path / "data"),
        FIGMENT_DEMO="false",
        FIGMENT_WORKERS="0",
        FIGMENT_EMBEDDER="hash",
        FIGMENT_PORT=str(port),
        FIGMENT_WEB_PROCESSES="2",
        FIGMENT_FEED_CACHE="redis",
        FIGMENT_REDIS_URL=REDIS_URL,
        FIGMENT_FEED_CACHE_PREFIX=redis_prefix,
    )
    log = tmp_path / "server.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from figment.cli import main; main()", "run"], env=env, stdout=err, stderr=err
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/api/feed?limit=5")
                response = conn.getresponse()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.3)
        assert response.status == 200, response.read()[:300]
        response.read()
        # Keep-alive: the same connection answers again.
        conn.request("GET", "/api/feed?limit=5")
        assert conn.getresponse().status == 200
        assert "2 processes" in log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
