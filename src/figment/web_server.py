"""Serve the app on one port from one or more processes (`figment run`, FIGMENT_WEB_PROCESSES).

Several processes use several cores (each Python process runs on one at a time). They share one
listening socket that we create ourselves: uvicorn's own multi-process listener is made without
IPPROTO_TCP, so asyncio never sets TCP_NODELAY on its connections and every keep-alive response
waits ~40 ms for the client's delayed ACK (uvicorn issue #3149, open at 0.54). Created with the
protocol named, accepted sockets get TCP_NODELAY as in the single-process server.
"""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

from figment.settings import Settings

APP_FACTORY = "figment.app:create_app"


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(settings: Settings) -> None:
    if settings.web_processes == 1:
        # Here, not at the top: figment.app imports every feature (~150 MB, ~2 s), and the supervisor of
        # several processes below never builds an app; each of its processes imports APP_FACTORY itself.
        from figment.app import create_app

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
        return
    # Each process builds its app from the same FIGMENT_* environment (Settings reads it again).
    config = uvicorn.Config(
        APP_FACTORY, factory=True, host=settings.host, port=settings.port, workers=settings.web_processes
    )
    Multiprocess(config, sockets=[listening_socket(settings.host, settings.port)]).run()
