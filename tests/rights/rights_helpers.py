"""Helpers for rights tests: an operator, approved holders and their works, through the public API."""

from __future__ import annotations

from typing import Any

from figment.accounts.service import make_admin
from figment.db import session_scope
from figment.services import Services
from support import Api


class Rights:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.client = api.client

    @property
    def services(self) -> Services:
        services: Services = self.client.app.state.services  # type: ignore[attr-defined]
        return services

    def operator(self, handle: str = "operator") -> dict[str, str]:
        headers = self.api.signup(handle)
        with session_scope(self.services.session_factory) as session:
            make_admin(session=session, handle=handle)
        return headers

    def holder(self, handle: str, organisation: str, *, approve: bool = True) -> dict[str, str]:
        headers = self.api.signup(handle)
        response = self.client.post(
            "/api/rights/holders",
            json={"organisation": organisation, "contact": f"legal@{handle}.example", "statement": "We own it."},
            headers=headers,
        )
        assert response.status_code == 201, response.text
        if approve:
            admin = self.api.auth("operator") if "operator" in self.api.tokens else self.operator()
            approved = self.client.post(f"/api/admin/rights/holders/{response.json()['id']}/approve", headers=admin)
            assert approved.status_code == 200, approved.text
        return headers

    def work(self, headers: dict[str, str], title: str, **fields: Any) -> dict[str, Any]:
        body = {"title": title, "kind": "character", "policy": "opt_out", "aliases": [], "description": "", **fields}
        response = self.client.post("/api/rights/works", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return dict(response.json())
