"""Fuzz the whole API with schemathesis (issue 15): a live server on PostgreSQL, two users and an operator.

One test, one time budget (FUZZ_BUDGET_S): schemathesis' examples, coverage, fuzzing and stateful phases
against the app's own OpenAPI document. It fails on a server error, a response the document does not
describe (status, content type or body), and an operation that serves a request without the credentials
the document says it needs. Reproduce a failure from the report it writes (test-artifacts/fuzz/):

    PYTHONPATH=src .venv/bin/pytest tests/test_api_fuzz.py -p no:xdist -s
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import select

from figment.accounts.models import User
from figment.accounts.service import make_admin
from figment.db import make_engine, make_session_factory, session_scope, utcnow
from figment.videos.models import Video, VideoStatus, Visibility
from support import make_settings, run_live_server, signup_over_http

# The whole run's budget, seconds: schemathesis spreads it over its phases (fuzzing and stateful repeat
# until it is spent). The test's own timeout leaves room for startup, seeding and the report.
FUZZ_BUDGET_S = int(os.environ.get("FIGMENT_FUZZ_BUDGET_S", "210"))
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    # A declared-secure operation that serves a request with no credentials, or with broken ones.
    "ignored_auth",
    # A deleted clip, work or character that is still served.
    "use_after_free",
    # Alice's draft, cameo or rights data served to Bob (the WFC identities below are peers).
    "object_level_authorization",
)
# Operations that cannot be fuzzed, by operationId:
EXCLUDED = {
    # Logs the fuzzing identity out: every later request would be a 401.
    "logout_api_auth_logout_post": "ends the identity's session",
    # Deletes the fuzzing identity's account and everything it made.
    "delete_me_api_me_delete": "deletes the identity",
    # Server-sent events: the response never ends, so no check can read it.
    "stream_api_notifications_stream_get": "an endless SSE stream",
}
# Operations another user may read on purpose, left out of `object_level_authorization` only:
PUBLIC_TO_PEERS = {
    # A character is public to anyone its owner has not blocked (likeness.service.visible_character): authors
    # tag it in prompts. Only its owner sees its restrictions and approved people (likeness.routes).
    "get_character_api_characters__handle__get": "characters are public; the owner's settings are not shown",
    # Search, tag pages and Discover list published clips, people and tags: public by design (search.visibility).
    "search_api_search_get": "lists what anyone may find",
    "discover_api_discover_get": "lists what anyone may find",
    "tag_clips_api_tags__name__clips_get": "lists a tag's published clips",
}
REPORT_DIR = Path(__file__).resolve().parent.parent / "test-artifacts" / "fuzz"
pytestmark = [pytest.mark.postgres, pytest.mark.timeout(FUZZ_BUDGET_S + 240)]


def _seed(database_url: str) -> None:
    """What signup cannot give: an operator, and a published clip and a draft (jobs do not run: workers=0)."""
    engine = make_engine(database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            make_admin(session=session, handle="fuzz_operator")
            users = {u.handle: u for u in session.scalars(select(User))}
            for handle, visibility in (("fuzz_alice", Visibility.published), ("fuzz_bob", Visibility.draft)):
                session.add(
                    Video(
                        author_id=users[handle].id,
                        prompt="a red kite over a green hill",
                        duration_s=2.0,
                        seed=1,
                        width=144,
                        height=256,
                        status=VideoStatus.ready,
                        progress=100,
                        visibility=visibility,
                        published_at=utcnow() if visibility == Visibility.published else None,
                    )
                )
    finally:
        engine.dispose()


def _wfc(identities: dict[str, dict[str, str]]) -> dict[str, object]:
    """Web Fuzzing Commons auth: schemathesis tries them in order per operation, and compares the peers."""
    return {
        "auth": [
            {"name": name, "fixedHeaders": [{"name": k, "value": v} for k, v in headers.items()]}
            for name, headers in identities.items()
        ]
    }


def test_the_api_survives_fuzzing(tmp_path: Path, postgres_url: str) -> None:
    # workers=0: clips the fuzzer submits stay queued instead of rendering on the CI's two cores.
    settings = make_settings(tmp_path / "data", postgres_url, workers=0)
    with contextmanager(run_live_server)(settings) as server:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            identities = {handle: signup_over_http(http, handle) for handle in ("fuzz_alice", "fuzz_bob")}
            identities["fuzz_operator"] = signup_over_http(http, "fuzz_operator")
        _seed(postgres_url)
        REPORT_DIR.mkdir(parents=True, exist_ok=True)
        auth = tmp_path / "auth.json"
        auth.write_text(json.dumps(_wfc(identities)))
        config = tmp_path / "schemathesis.toml"
        config.write_text(
            f'[auth.wfc]\npath = "{auth}"\npeers = ["fuzz_alice", "fuzz_bob"]\n'
            # The checks are chosen here, not with --checks, which would override the per-operation choices below.
            + "\n[checks]\nenabled = false\n"
            + "".join(f"{check}.enabled = true\n" for check in CHECKS)
            + "".join(
                f'\n[[operations]]\ninclude-operation-id = "{op}"\nchecks.object_level_authorization.enabled = false\n'
                for op in PUBLIC_TO_PEERS
            )
        )
        command = [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(config),
            "--no-color",
            "run",
            f"{server.url}/openapi.json",
            "--phases",
            "examples,coverage,fuzzing,stateful",
            "--max-time",
            str(FUZZ_BUDGET_S),
            "--workers",
            "1",
            "--seed",
            "15",
            "--request-timeout",
            "20",
            "--suppress-health-check",
            "all",
            "--report",
            "junit,ndjson",
            "--report-dir",
            str(REPORT_DIR),
            *(arg for op in EXCLUDED for arg in ("--exclude-operation-id", op)),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=FUZZ_BUDGET_S + 180, check=False)
        (REPORT_DIR / "output.txt").write_text(result.stdout + result.stderr)
        assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]
