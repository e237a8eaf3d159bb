"""The web client's strings (web/static/i18n.js): English and Italian have exactly the same keys, and each
string fills the same {placeholders}, so no screen falls back to English or shows a raw "{handle}"."""

from __future__ import annotations

import re
from functools import cache

import pytest

from figment.web.routes import STATIC_DIR

Value = str | dict[str, str]
# A JS object literal of strings: quoted strings, bare words, punctuation; comments skipped.
TOKEN = re.compile(
    r"""\s+|//[^\n]*|/\*.*?\*/|(?P<str>'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*")|(?P<word>\w+)|(?P<punct>[{}:,])""",
    re.S,
)
PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLURAL_FORMS = {"zero", "one", "two", "few", "many", "other"}


def _unquote(literal: str) -> str:
    return re.sub(r"\\(.)", r"\1", literal[1:-1])


def _tokens(source: str) -> list[tuple[str, str]]:
    """The tokens of the object literal `source` starts with, up to its closing brace."""
    out: list[tuple[str, str]] = []
    pos, depth = 0, 0
    while pos < len(source):
        match = TOKEN.match(source, pos)
        assert match, f"i18n.js: cannot read {source[pos : pos + 60]!r}"
        pos = match.end()
        for kind in ("str", "word", "punct"):
            if match.group(kind) is not None:
                out.append((kind, match.group(kind)))
        depth += {"{": 1, "}": -1}.get(match.group("punct") or "", 0)
        if depth == 0 and out:
            break
    return out


def _parse_object(tokens: list[tuple[str, str]], at: int) -> tuple[dict[str, Value], int]:
    assert tokens[at] == ("punct", "{"), tokens[at]
    at += 1
    out: dict[str, Value] = {}
    while tokens[at] != ("punct", "}"):
        kind, raw = tokens[at]
        key = _unquote(raw) if kind == "str" else raw
        assert key not in out, f"key {key!r} is written twice"
        assert tokens[at + 1] == ("punct", ":"), (key, tokens[at + 1])
        if tokens[at + 2] == ("punct", "{"):
            forms, at = _parse_object(tokens, at + 2)
            out[key] = {k: v for k, v in forms.items() if isinstance(v, str)}
        else:
            assert tokens[at + 2][0] == "str", f"{key!r} must be a string or {{one, other}}"
            out[key] = _unquote(tokens[at + 2][1])
            at += 3
        if tokens[at] == ("punct", ","):
            at += 1
    return out, at + 1


@cache
def dictionaries() -> dict[str, dict[str, Value]]:
    source = (STATIC_DIR / "i18n.js").read_text(encoding="utf-8")
    found = {}
    for name in ("en", "it"):
        start = re.search(rf"^const {name} = (?=\{{)", source, re.M)
        assert start, f"const {name} not found in i18n.js"
        found[name], _ = _parse_object(_tokens(source[start.end() :]), 0)
    return found


def _placeholders(value: Value) -> set[str]:
    texts = value.values() if isinstance(value, dict) else [value]
    return {name for text in texts for name in PLACEHOLDER.findall(text)}


def test_the_strings_are_read_whole() -> None:
    en = dictionaries()["en"]
    assert len(en) > 300
    assert en["nav.unreadCount"] == {"one": "{count} unread", "other": "{count} unread"}


@pytest.mark.parametrize("other", ["it"])
def test_both_languages_have_the_same_keys(other: str) -> None:
    en, translated = dictionaries()["en"], dictionaries()[other]
    assert sorted(set(en) - set(translated)) == [], f"missing in {other}"
    assert sorted(set(translated) - set(en)) == [], f"only in {other}"


@pytest.mark.parametrize("other", ["it"])
def test_each_string_fills_the_same_placeholders(other: str) -> None:
    en, translated = dictionaries()["en"], dictionaries()[other]
    differ = {
        key: (sorted(_placeholders(en[key])), sorted(_placeholders(translated[key])))
        for key in set(en) & set(translated)
        if _placeholders(en[key]) != _placeholders(translated[key])
    }
    assert differ == {}


def test_plural_strings_name_plural_forms_and_have_other() -> None:
    for lang, strings in dictionaries().items():
        for key, value in strings.items():
            if isinstance(value, dict):
                assert "other" in value and set(value) <= PLURAL_FORMS, (lang, key, sorted(value))
