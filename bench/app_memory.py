"""Memory of a running app after one submission that reaches every user of sentence embeddings.

    PYTHONPATH=src python bench/app_memory.py        (PYTHONPATH=<other tree>/src measures that tree)

Starts `figment run` (one process, FIGMENT_DEMO=false, FIGMENT_WORKERS=0 so no clip is rendered and
the figures are the app's own), then over HTTP: a holder registers a work with a description (its
vector), olga has a verified likeness restricted from "political content", sam submits a prompt that
tags her and passes every word list, so moderation, rights screening (description match), the
restriction matcher and the prompt's feed embedding all embed it; then sam reads the feed. VmRSS and
VmHWM come from /proc/PID/status of the server process (docs/BENCHMARKS.md, "One embedder").
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from figment.accounts.models import User
from figment.accounts.service import make_admin
from figment.db import make_engine, make_session_factory, session_scope, utcnow
from figment.likeness.models import Permission
from figment.likeness.service import ensure_own_likeness
from figment.migrate import upgrade

PROMPT = "@olga cooking pasta in a sunny kitchen"


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) in kB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            out[name] = int(value.split()[0])
    return out


class Client:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.tokens: dict[str, str] = {}

    def call(self, method: str, path: str, body: Any = None, *, who: str | None = None) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if who is not None:
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = self.conn.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw else None

    def signup(self, handle: str) -> None:
        body = {
            "handle": handle,
            "email": f"{handle}@example.com",
            "password": "correct horse battery",
            "birthdate": "1990-01-01",
        }
        status, answer = self.call("POST", "/api/auth/signup", body)
        assert status == 201, answer
        self.tokens[handle] = answer["token"]


def wait_for(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text()[-3000:]) from None
            time.sleep(0.2)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()
        url = f"sqlite:///{data / 'figment.db'}"
        upgrade(url)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        env = dict(
            os.environ,
            FIGMENT_ENV="test",
            FIGMENT_DATA_DIR=str(data),
            FIGMENT_DEMO="false",
            FIGMENT_WORKERS="0",
            FIGMENT_PORT=str(port),
            FIGMENT_DAILY_QUOTA="0",
        )
        log = Path(tmp) / "server.log"
        with log.open("wb") as err:
            proc = subprocess.Popen(
                [sys.executable, "-c", "from figment.cli import main; main()", "run"], env=env, stdout=err, stderr=err
            )
        try:
            wait_for(port, proc, log)
            started = memory(proc.pid)
            client = Client(port)
            for handle in ("operator", "studio", "olga", "sam"):
                client.signup(handle)
            engine = make_engine(url)
            with session_scope(make_session_factory(engine)) as session:
                make_admin(session=session, handle="operator")
                olga = session.scalars(select(User).where(User.handle == "olga")).one()
                likeness = ensure_own_likeness(session=session, owner=olga)
                likeness.verified_at = utcnow()
                likeness.permission = Permission.everyone
                likeness.restrictions = ["no political content"]
            engine.dispose()
            holder = {"organisation": "Comet Studio", "contact": "legal@comet.example", "statement": "Ours."}
            status, answer = client.call("POST", "/api/rights/holders", holder, who="studio")
            assert status == 201, answer
            status, answer = client.call(
                "POST", f"/api/admin/rights/holders/{answer['id']}/approve", {}, who="operator"
            )
            assert status == 200, answer
            work = {
                "title": "Captain Comet",
                "kind": "character",
                "policy": "opt_out",
                "aliases": [],
                "description": "a caped space hero who flies between planets rescuing stranded astronauts",
            }
            status, answer = client.call("POST", "/api/rights/works", work, who="studio")
            assert status == 201, answer
            status, answer = client.call("POST", "/api/videos", {"prompt": PROMPT, "duration_s": 1}, who="sam")
            assert status == 202, answer
            status, answer = client.call("GET", "/api/feed?limit=10", who="sam")
            assert status == 200, answer
            after = memory(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(f"figment from {sys.modules['figment'].__file__}")
    print(f"after start:   VmRSS {started['VmRSS'] / 1024:.0f} MB, VmHWM {started['VmHWM'] / 1024:.0f} MB")
    print(f"after request: VmRSS {after['VmRSS'] / 1024:.0f} MB, VmHWM {after['VmHWM'] / 1024:.0f} MB")


if __name__ == "__main__":
    main()
