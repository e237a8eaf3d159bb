"""CSV import: each bad row reported with its line, good rows kept, nothing half-imported."""

from __future__ import annotations

import time
from typing import Any

from rights_helpers import Rights

from support import Api, assert_error

CSV = """title,kind,policy,aliases,description
Corto Maltese,character,opt_out,Corto@it,A laconic sailor adventurer with a gold earring
,character,opt_out,,missing title
Volare,song,sometimes,,bad policy
Lupo Alberto,character,licensed,Alberto the Wolf@en|Lupo@it,A blue wolf in love with a hen
Pimpa,dog,opt_out,,bad kind
corto maltese,character,allowed,,duplicate of line 2
Diabolik,character,opt_out,Diabolik@x1,bad alias language
Tex Willer,character,opt_out,,,extra cell

Dylan Dog,character,catalogue,,A nightmare investigator
"""


def imported(api: Api, headers: dict[str, str], csv: bytes) -> dict[str, Any]:
    """Upload `csv` (202: queued as a job), then poll the import until a worker has done it."""
    response = api.client.post(
        "/api/rights/works/import", files={"file": ("works.csv", csv, "text/csv")}, headers=headers
    )
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["state"] == "queued" and job["result"] is None and job["error"] is None, job
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job = api.client.get(f"/api/rights/imports/{job['id']}", headers=headers).json()
        if job["state"] in ("done", "failed"):
            assert job["state"] == "done", job
            return dict(job["result"])
        time.sleep(0.05)
    raise AssertionError(f"the import did not finish within 30 s: {job}")


def test_bad_rows_are_reported_and_good_rows_kept(api: Api, rights: Rights) -> None:
    studio = rights.holder("studio", "Fumetti Srl")
    body = imported(api, studio, CSV.encode())
    assert body["created"] == 3
    assert [w["title"] for w in body["works"]] == ["Corto Maltese", "Lupo Alberto", "Dylan Dog"]
    lupo = body["works"][1]
    assert lupo["aliases"] == [{"text": "Alberto the Wolf", "lang": "en"}, {"text": "Lupo", "lang": "it"}]
    assert lupo["policy"] == "licensed" and lupo["screening"] == "licensed"
    assert body["works"][2]["screening"] == "none"  # a catalogue entry only counts under opt_in
    errors = {e["line"]: e["message"] for e in body["errors"]}
    assert sorted(errors) == [3, 4, 6, 7, 8, 9]
    assert "title" in errors[3] and "policy" in errors[4] and "kind" in errors[6]
    assert "already registered" in errors[7] and "lang" in errors[8] and "extra" in errors[9]
    # Exactly the good rows are stored, and they screen at once.
    titles = sorted(w["title"] for w in api.client.get("/api/rights/works", headers=studio).json()["items"])
    assert titles == ["Corto Maltese", "Dylan Dog", "Lupo Alberto"]
    api.signup("alice")
    assert_error(
        api.client.post("/api/videos", json={"prompt": "Corto Maltse in Venice"}, headers=api.auth("alice")),
        422,
        "rights_blocked",
    )


def test_a_bad_file_imports_nothing(api: Api, rights: Rights) -> None:
    studio = rights.holder("studio", "Fumetti Srl")
    for data, needle in (
        (b"name,kind\nX,brand\n", "missing column(s) title, policy"),
        (b"title,kind,policy,colour\nX,brand,opt_out,red\n", "unknown column(s) colour"),
        (b"title,kind,policy\n\xff\xfe,brand,opt_out\n", "not UTF-8"),
    ):
        error = assert_error(
            api.client.post("/api/rights/works/import", files={"file": ("w.csv", data, "text/csv")}, headers=studio),
            422,
            "validation_error",
        )
        assert needle in error["message"] and error["details"]["field"] == "file"
    assert api.client.get("/api/rights/works", headers=studio).json()["items"] == []
    api.signup("alice")
    assert_error(
        api.client.post(
            "/api/rights/works/import", files={"file": ("w.csv", CSV.encode(), "text/csv")}, headers=api.auth("alice")
        ),
        403,
        "forbidden",
    )


def test_bad_work_fields_name_the_field(api: Api, rights: Rights) -> None:
    studio = rights.holder("studio", "Fumetti Srl")
    for body, field in (
        ({"title": "", "kind": "character", "policy": "opt_out"}, "title"),
        ({"title": "X", "kind": "planet", "policy": "opt_out"}, "kind"),
        ({"title": "X", "kind": "character", "policy": "maybe"}, "policy"),
        ({"title": "X", "kind": "character", "policy": "opt_out", "aliases": [{"text": " "}]}, "aliases.0"),
        ({"title": "X", "kind": "character", "policy": "opt_out", "colour": "red"}, "colour"),
    ):
        error = assert_error(api.client.post("/api/rights/works", json=body, headers=studio), 422, "validation_error")
        assert error["details"]["field"] == field, error
    rights.work(studio, "Pimpa")
    assert_error(
        api.client.post("/api/rights/works", json={"title": "PIMPA", "kind": "character", "policy": "allowed"},
                        headers=studio),
        409,
        "conflict",
    )  # fmt: skip
    assert_error(api.client.patch("/api/rights/works/nope", json={"policy": "allowed"}, headers=studio), 404,
                 "not_found")  # fmt: skip
