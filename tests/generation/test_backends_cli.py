"""`figment backends`: every backend named, whether this install can run it, and why not."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from figment.cli import main
from figment.generation.registry import KNOWN_BACKENDS, BackendAvailability, backend_availability
from figment.settings import Settings


def rows(output: str) -> dict[str, list[str]]:
    table = {}
    for line in output.splitlines()[1:]:
        name, enabled, can_run, *why = line.split(maxsplit=3)
        table[name] = [enabled, can_run, " ".join(why)]
    return table


def test_every_backend_is_listed_with_its_state(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FIGMENT_BACKENDS", "procedural,veo")
    monkeypatch.setenv("FIGMENT_VEO_API_KEY", "a-key")
    monkeypatch.setenv("FIGMENT_MODELS_DIR", str(tmp_path))  # empty: no weights
    result = CliRunner().invoke(main, ["backends"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split() == ["backend", "enabled", "can", "run", "why", "not"]
    table = rows(result.output)
    assert list(table) == ["procedural", "ltx2", "wan", "openai-videos", "veo"] == list(KNOWN_BACKENDS)
    assert table["procedural"] == ["default", "yes", ""]
    # Without weights (or without the `models` extra) a model backend names what to run.
    for name in ("ltx2", "wan"):
        enabled, can_run, why = table[name]
        assert (enabled, can_run) == ("no", "no") and ("models pull" in why or "models" in why), why
    assert table["veo"] == ["yes", "yes", ""]
    assert table["openai-videos"] == [
        "no",
        "no",
        "missing FIGMENT_OPENAI_VIDEOS_API_KEY, FIGMENT_OPENAI_VIDEOS_BASE_URL, FIGMENT_OPENAI_VIDEOS_MODEL",
    ]


def test_an_enabled_backend_that_cannot_run_fails_the_command_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FIGMENT_BACKEND", "openai-videos")
    monkeypatch.setenv("FIGMENT_OPENAI_VIDEOS_BASE_URL", "https://gateway.example/v1")
    monkeypatch.setenv("FIGMENT_OPENAI_VIDEOS_MODEL", "wan-2.6-t2v")
    result = CliRunner().invoke(main, ["backends"])
    assert result.exit_code == 1
    assert rows(result.output)["openai-videos"] == ["default", "no", "missing FIGMENT_OPENAI_VIDEOS_API_KEY"]
    assert "Error: enabled but cannot run: openai-videos" in result.output


def test_a_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def without_genai(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("google") or name == "httpx2":
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", without_genai)
    settings = Settings(veo_api_key="k", openai_videos_api_key="k")
    assert backend_availability("veo", settings) == BackendAvailability(
        name="veo", can_run=False, reason="missing extra: pip install 'figment[hosted]' (google-genai)"
    )
    assert backend_availability("openai-videos", settings).reason == (
        "missing extra: pip install 'figment[hosted]' (httpx2)"
    )


def test_settings_refuse_an_unknown_backend_and_a_hosted_timeout_past_the_watchdog() -> None:
    with pytest.raises(ValueError, match="FIGMENT_BACKENDS names unknown backends \\['sora'\\]"):
        Settings(backends="procedural,sora")
    with pytest.raises(ValueError, match="FIGMENT_OPENAI_VIDEOS_TIMEOUT_S \\(700\\) must be below"):
        Settings(backends="openai-videos", openai_videos_timeout_s=700)
    with pytest.raises(ValueError, match="needs a portrait size"):
        Settings(openai_videos_sizes="1280x720")
    assert Settings(backend="veo", backends="procedural, veo ,procedural").enabled_backends == ("veo", "procedural")
