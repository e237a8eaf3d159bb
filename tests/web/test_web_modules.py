"""The web client's ES modules (no build step): every import names a module that exists, and the shell's
import map gives every module its versioned URL, so a split into new files cannot miss either."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from figment.app import create_app
from figment.web.routes import STATIC_DIR
from support import make_settings

IMPORT = re.compile(r"^import\s+[^;]*?\sfrom\s+'\./([\w-]+\.js)';", re.M)


def test_every_relative_import_names_a_module_in_the_folder() -> None:
    modules = {path.name for path in STATIC_DIR.glob("*.js")}
    missing = {
        (path.name, target)
        for path in STATIC_DIR.glob("*.js")
        for target in IMPORT.findall(path.read_text(encoding="utf-8"))
        if target not in modules
    }
    assert not missing


def test_the_shell_maps_every_module_to_its_versioned_url(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path / "data", f"sqlite:///{tmp_path / 'figment.db'}"))
    with TestClient(app) as client:
        page = client.get("/likeness").text
    imports = json.loads(re.search(r'<script type="importmap">(.*?)</script>', page, re.S).group(1))["imports"]
    version = re.search(r'/static/app\.js\?v=(\w+)"', page).group(1)
    expected = {f"/static/{path.name}": f"/static/{path.name}?v={version}" for path in STATIC_DIR.glob("*.js")}
    assert imports == expected
    assert {"/static/player.js", "/static/likeness-camera.js"} <= set(imports)
