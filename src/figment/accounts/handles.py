"""Handles: what a valid handle is, and when two handles look too much alike.

A handle is 3-30 characters of [a-z0-9_] after NFKC normalisation and case folding. Look-alikes are
refused by comparing *skeletons* (in the spirit of Unicode UTS #39): every character is mapped to a
representative of its confusable class, so 'paypa1', 'paypal' and 'рaypal' (Cyrillic 'р') collapse
to the same skeleton and only the first one registered gets it.
"""

from __future__ import annotations

import re
import unicodedata

from confusable_homoglyphs import confusables

from figment.errors import ValidationFailed

HANDLE_RE = re.compile(r"^[a-z0-9_]{3,30}$")
# Mentions in prompts use the same alphabet.
MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{3,30})\b")

# ASCII characters that read as one another in most fonts. Multi-letter sequences first.
_ASCII_SEQUENCES = (("rn", "m"), ("vv", "w"), ("cl", "d"))
_ASCII_SINGLE = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "8": "b", "_": ""})


def normalize_handle(raw: str) -> str:
    """Return the canonical handle or raise ValidationFailed naming what is wrong."""
    if not isinstance(raw, str):
        raise ValidationFailed("Handle must be text.", field="handle")
    handle = unicodedata.normalize("NFKC", raw).strip().lstrip("@").casefold()
    if not handle:
        raise ValidationFailed("Handle must not be empty.", field="handle")
    foreign = [ch for ch in handle if not (ch.isascii() and (ch.isalnum() or ch == "_"))]
    if foreign:
        lookalike = _latin_lookalike(handle)
        if lookalike is not None and HANDLE_RE.match(lookalike):
            raise ValidationFailed(
                f"Handle '{raw}' uses characters that imitate Latin letters; did you mean '{lookalike}'?",
                field="handle",
            )
        shown = ", ".join(repr(ch) for ch in dict.fromkeys(foreign))
        raise ValidationFailed(f"Handle may only contain letters a-z, digits and '_' (found {shown}).", field="handle")
    if not HANDLE_RE.match(handle):
        raise ValidationFailed(f"Handle must be 3 to 30 characters long but has {len(handle)}.", field="handle")
    return handle


def _latin_lookalike(text: str) -> str | None:
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        found = confusables.is_confusable(ch, preferred_aliases=["latin"], greedy=True) or []
        latin = [h["c"] for item in found for h in item["homoglyphs"] if h["c"].isascii() and h["c"].isalnum()]
        if not latin:
            return None
        out.append(latin[0].lower())
    return "".join(out)


def handle_skeleton(handle: str) -> str:
    """Collapse look-alike characters so confusable handles compare equal."""
    skeleton = handle.casefold()
    for seq, rep in _ASCII_SEQUENCES:
        skeleton = skeleton.replace(seq, rep)
    return skeleton.translate(_ASCII_SINGLE)
