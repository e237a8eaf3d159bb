"""Every refusal and error the API can answer with has a sentence in the web client (web/static/errors.js
builds it from `error.code.*`, `error.rule.*`, `error.reason.*`, `error.verify.*` and the moderation
categories), so no reader sees a raw code such as `moderation_blocked` or "Rule: not_verified".

The codes are found where the server makes them, not in a list kept by hand: a new DomainError
subclass, a new consent rule or a new `details.reason` fails here until it is translated (English and
Italian: test_i18n_parity keeps the two dictionaries' keys equal)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from test_i18n_parity import dictionaries

import figment
from figment import app as app_module
from figment import errors
from figment.safety.moderation import LABELS

SRC = Path(figment.__file__).parent


def _source() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in SRC.rglob("*.py"))


def _domain_codes() -> set[str]:
    return {
        cls.code
        for _name, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.DomainError) and cls is not errors.DomainError
    }


def codes() -> set[str]:
    source = _source()
    found = _domain_codes() | set(app_module._HTTP_CODES.values()) | {"error", "network_error"}
    found |= set(re.findall(r'error_body\(\s*"(\w+)"', source))
    return found


def rules() -> set[str]:
    source = _source()
    # Consent refusals (likeness.consent.decide) and every "rule" a refusal's details name.
    return set(re.findall(r'Decision\(False, "(\w+)"', source)) | set(re.findall(r'"rule": "(\w+)"', source))


def reasons() -> set[str]:
    source = _source()
    # Machine reasons only (snake_case words); sentences kept for operators are not shown to people.
    found = set(re.findall(r'"reason": "([a-z_]+)"', source)) | set(re.findall(r'\breason="([a-z_]+)"', source))
    return found


def verification_reasons() -> set[str]:
    # Only the likeness package gives verification verdicts (other packages have their own `Reason`s and
    # `"code"` keys: Discover's row reasons, a provider's error JSON in the test stand-ins).
    source = "\n".join(path.read_text(encoding="utf-8") for path in (SRC / "likeness").rglob("*.py"))
    return set(re.findall(r'Reason\(\s*"(\w+)"', source)) | set(re.findall(r'"code": "(\w+)"', source))


def test_the_code_finders_see_the_known_ones() -> None:
    known = {"moderation_blocked", "cameo_permission_denied", "rights_blocked", "unavailable", "internal_error"}
    assert known <= codes()
    assert {"not_verified", "only_me", "not_mutuals", "approval_pending", "lookalike"} <= rules()
    assert {"under_min_age", "teen_daily_feed_limit", "challenge_expired"} <= reasons()
    assert {"no_face", "digits", "already_verified", "check_failed"} <= verification_reasons()


def test_every_error_code_has_a_sentence() -> None:
    en = dictionaries()["en"]
    missing = sorted(code for code in codes() if f"error.code.{code}" not in en)
    assert missing == [], f"add error.code.<code> to i18n.js (en and it) for {missing}"


def test_every_refusal_rule_and_reason_has_a_sentence() -> None:
    en = dictionaries()["en"]
    missing = sorted(f"error.rule.{r}" for r in rules() if f"error.rule.{r}" not in en)
    missing += sorted(f"error.reason.{r}" for r in reasons() if f"error.reason.{r}" not in en)
    missing += sorted(f"error.verify.{r}" for r in verification_reasons() if f"error.verify.{r}" not in en)
    missing += sorted(f"moderation.category.{c}" for c in LABELS if f"moderation.category.{c}" not in en)
    assert missing == []


def test_no_sentence_is_empty_or_shows_a_raw_code() -> None:
    for lang, strings in dictionaries().items():
        for key, value in strings.items():
            if not key.startswith("error."):
                continue
            assert isinstance(value, str) and value.strip(), (lang, key)
            assert not re.search(r"\b[a-z]+_[a-z_]+\b", value), (lang, key, value)
