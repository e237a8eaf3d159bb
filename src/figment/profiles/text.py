"""What a display name and a bio may be: checked at the edge, the bad value named in the message.

Both are NFC-normalised and trimmed; an empty value clears the field. Control characters (a bio keeps
its line breaks) and invisible format characters (right-to-left overrides, zero-width spaces) are
refused: they only hide or reorder text for readers and filters. The zero-width joiner stays, because
emoji such as a family or a profession are written with it.

A display name is who someone says they are, so it must not imitate a name: one word mixing letters of
the alphabets that read as one another (Latin, Greek, Cyrillic, ...: "Lunа" with a Cyrillic "а") is
refused, and it may not start with "@", where it would read as someone else's handle. Names in one
script or in several separate words ("東京 Tokyo", "Giulia 🌸") are fine.
"""

from __future__ import annotations

import re
import unicodedata

from confusable_homoglyphs import categories

from figment.errors import ValidationFailed

MAX_DISPLAY_NAME = 50
MAX_BIO = 300
MAX_BIO_LINES = 6
ZERO_WIDTH_JOINER = "\u200d"
# Alphabets whose letters are confused with one another; mixing two in one word is how names imitate.
_LOOKALIKE_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC", "ARMENIAN", "CHEROKEE", "COPTIC"})


def _describe(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"


def _refuse_hidden(text: str, *, field: str, allow_newlines: bool) -> None:
    for ch in text:
        if allow_newlines and ch == "\n":
            continue
        category = unicodedata.category(ch)
        if category == "Cc" or (category == "Cf" and ch != ZERO_WIDTH_JOINER):
            raise ValidationFailed(
                f"The {field.replace('_', ' ')} contains an invisible or control character ({_describe(ch)}); "
                "remove it.",
                field=field,
                character=f"U+{ord(ch):04X}",
            )


def _normalise(raw: object, *, field: str) -> str:
    if not isinstance(raw, str):
        raise ValidationFailed(f"The {field.replace('_', ' ')} must be text.", field=field)
    return unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n").strip()


def clean_display_name(raw: object) -> str | None:
    name = _normalise(raw, field="display_name")
    _refuse_hidden(name, field="display_name", allow_newlines=False)
    name = re.sub(r"\s+", " ", name)
    if not name:
        return None
    if len(name) > MAX_DISPLAY_NAME:
        raise ValidationFailed(
            f"The display name must be at most {MAX_DISPLAY_NAME} characters but has {len(name)}.",
            field="display_name",
        )
    if name.startswith("@"):
        raise ValidationFailed(
            "A display name cannot start with '@': it would read as someone's handle.", field="display_name"
        )
    for word in name.split(" "):
        scripts = {categories.alias(ch) for ch in word if ch.isalpha()}
        mixed = sorted(scripts & _LOOKALIKE_SCRIPTS)
        if len(mixed) > 1:
            raise ValidationFailed(
                f"'{word}' mixes {' and '.join(s.title() for s in mixed)} letters in one word, which is how names "
                "imitate other names; write it in one alphabet.",
                field="display_name",
                reason="mixed_scripts",
            )
    return name


def clean_bio(raw: object) -> str | None:
    bio = _normalise(raw, field="bio")
    _refuse_hidden(bio, field="bio", allow_newlines=True)
    # Trailing spaces and runs of blank lines only make the profile longer.
    bio = re.sub(r"[ \t]+\n", "\n", bio)
    bio = re.sub(r"\n{3,}", "\n\n", bio)
    if not bio:
        return None
    if len(bio) > MAX_BIO:
        raise ValidationFailed(f"The bio must be at most {MAX_BIO} characters but has {len(bio)}.", field="bio")
    if bio.count("\n") >= MAX_BIO_LINES:
        raise ValidationFailed(
            f"The bio must have at most {MAX_BIO_LINES} lines but has {bio.count(chr(10)) + 1}.", field="bio"
        )
    return bio
