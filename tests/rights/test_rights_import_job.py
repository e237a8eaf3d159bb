"""CSV imports as `import_rights` jobs (issue 14): queued at once, imported by a worker in one
transaction with the job's result, readable only by whoever started it (or an operator). Workers are
off here: each test runs the job itself and sees the states in between."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rights_helpers import Rights
from sqlalchemy import select
from test_rights_import import CSV

from figment.db import session_scope
from figment.jobs.models import PRIORITY_IMPORT, Job, JobState
from figment.rights import csv_import
from figment.rights.models import Work
from figment.settings import Settings
from support import Api, assert_error, make_settings


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path / "data", database_url, workers=0)


def _submit(api: Api, headers: dict[str, str], csv: str = CSV) -> str:
    response = api.client.post(
        "/api/rights/works/import", files={"file": ("works.csv", csv.encode(), "text/csv")}, headers=headers
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def _get(api: Api, headers: dict[str, str], job_id: str) -> dict[str, Any]:
    response = api.client.get(f"/api/rights/imports/{job_id}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def _titles(rights: Rights) -> list[str]:
    with session_scope(rights.services.session_factory) as session:
        return sorted(session.scalars(select(Work.title)))


def test_an_import_is_queued_then_done_and_only_its_holder_or_an_operator_reads_it(api: Api, rights: Rights) -> None:
    studio = rights.holder("studio", "Fumetti Srl")
    other = rights.holder("other", "Altri Srl")
    job_id = _submit(api, studio)
    assert _get(api, studio, job_id) == {"id": job_id, "state": "queued", "result": None, "error": None}
    with session_scope(rights.services.session_factory) as session:
        job = session.get(Job, job_id)
        assert job is not None and (job.kind, job.queue, job.priority) == ("import_rights", "cpu", PRIORITY_IMPORT)
    assert _titles(rights) == []

    assert rights.services.workers.run_once("w1")
    done = _get(api, studio, job_id)
    assert done["state"] == "done" and done["error"] is None
    assert done["result"]["created"] == 3 and sorted(e["line"] for e in done["result"]["errors"]) == [3, 4, 6, 7, 8, 9]
    assert _titles(rights) == ["Corto Maltese", "Dylan Dog", "Lupo Alberto"]
    with session_scope(rights.services.session_factory) as session:
        job = session.get(Job, job_id)
        assert job is not None and "csv" not in (job.payload or {})  # the file is not kept once imported

    # Another holder, or anyone, learns nothing; an operator may look.
    assert_error(api.client.get(f"/api/rights/imports/{job_id}", headers=other), 404, "not_found")
    assert_error(api.client.get(f"/api/rights/imports/{job_id}", headers=api.signup("alice")), 404, "not_found")
    assert _get(api, api.auth("operator"), job_id)["result"] == done["result"]
    assert_error(api.client.get("/api/rights/imports/nope", headers=studio), 404, "not_found")


def test_a_transient_failure_imports_nothing_and_the_retry_imports_once(
    api: Api, rights: Rights, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database goes away after two good rows: those two are rolled back with everything else, and
    the retry imports the file once, whole."""
    studio = rights.holder("studio", "Fumetti Srl")
    job_id = _submit(api, studio)
    real = csv_import.create_work
    made: list[str] = []

    def flaky(**kwargs: Any) -> Work:
        made.append(kwargs["data"].title)
        if len(made) == 3:
            raise ConnectionError("server closed the connection unexpectedly")
        return real(**kwargs)

    monkeypatch.setattr(csv_import, "create_work", flaky)
    assert rights.services.workers.run_once("w1")
    state = _get(api, studio, job_id)
    assert state["state"] == "queued" and state["result"] is None
    assert _titles(rights) == []  # not two of three: nothing
    assert rights.services.workers.run_once("w1")
    assert _get(api, studio, job_id)["result"]["created"] == 3
    assert _titles(rights) == ["Corto Maltese", "Dylan Dog", "Lupo Alberto"]


def test_a_refusal_is_final(api: Api, rights: Rights) -> None:
    """The holder lost approval while the import waited: refused at once, with the reason, nothing kept."""
    studio = rights.holder("studio", "Fumetti Srl")
    job_id = _submit(api, studio)
    from figment.rights.models import HolderStatus, RightsHolder

    with session_scope(rights.services.session_factory) as session:
        for holder in session.scalars(select(RightsHolder)):
            holder.status = HolderStatus.rejected
    assert rights.services.workers.run_once("w1")
    assert not rights.services.workers.run_once("w1")
    failed = _get(api, studio, job_id)
    assert failed["state"] == "failed" and failed["result"] is None
    assert failed["error"] == "The rights holder is no longer approved; nothing was imported."
    assert _titles(rights) == []
    with session_scope(rights.services.session_factory) as session:
        job = session.scalars(select(Job)).one()
        assert (job.attempts, job.state) == (1, JobState.failed) and "csv" not in (job.payload or {})
