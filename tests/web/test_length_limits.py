"""The web client's length counters (web/static/counter.js) use the API's own limits: the maxLength
its OpenAPI document gives the prompt, the comment and the steering text."""

from __future__ import annotations

import re
from pathlib import Path

from figment.app import create_app
from figment.web.routes import STATIC_DIR
from support import make_settings


def _client_limits() -> dict[str, int]:
    source = (STATIC_DIR / "counter.js").read_text(encoding="utf-8")
    block = re.search(r"export const LIMITS = \{(.*?)\};", source, re.S)
    assert block, "LIMITS not found in counter.js"
    return {name: int(value) for name, value in re.findall(r"(\w+): (\d+)", block.group(1))}


def test_counters_use_the_limits_of_the_api_schema(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path / "data", f"sqlite:///{tmp_path / 'figment.db'}"))
    schemas = app.openapi()["components"]["schemas"]
    api = {
        "prompt": schemas["SubmitIn"]["properties"]["prompt"]["maxLength"],
        "comment": schemas["CommentIn"]["properties"]["body"]["maxLength"],
        "steer": schemas["PreferencesIn"]["properties"]["text"]["maxLength"],
    }
    assert _client_limits() == api


def test_bounded_fields_do_not_cut_text_silently() -> None:
    """No maxlength attribute on the prompt, comment or steering fields: a paste is never cut short."""
    for module in ("create.js", "comments.js", "steer.js"):
        source = (STATIC_DIR / module).read_text(encoding="utf-8")
        assert "maxlength" not in source.lower(), module
        assert "lengthCounter(" in source, module
