"""What a hashtag is: `#` then Unicode letters, digits or `_`, lower-cased and confusable-folded.

Folding follows the handles' rule in spirit (accounts.handles): a tag that mixes Latin letters with
look-alikes from another script ('#cаt' with a Cyrillic 'а') is the Latin tag, so nobody can make a
second '#cat' that reads the same. A tag written wholly in one script ('#αθήνα', '#東京', '#caffè') is
kept as it is: folding real Greek words to Latin look-alikes would mangle them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables

from figment.errors import ValidationFailed
from figment.tags.models import MAX_TAG

# Not after a word character, '#' or '&' (so 'C#', '##x' and '&#39;' are not tags); \w is Unicode.
TAG_RE = re.compile(r"(?<![\w#&])#(\w+)")
MAX_TAGS_PER_CLIP = 10


def _script(ch: str) -> str:
    """The script a letter belongs to, from its Unicode name ('LATIN SMALL LETTER A' -> 'LATIN')."""
    if not ch.isalpha():
        return ""
    return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]


@lru_cache(maxsize=4096)
def _latin_lookalike(ch: str) -> str | None:
    found = confusables.is_confusable(ch, preferred_aliases=["latin"], greedy=True) or []
    for item in found:
        for homoglyph in item["homoglyphs"]:
            c = str(homoglyph["c"])
            if c.isascii() and c.isalnum():
                return c.lower()
    return None


def fold_confusables(text: str) -> str:
    """NFKC, case-folded, and where Latin letters mix with another script's, those read as Latin."""
    text = unicodedata.normalize("NFKC", text).casefold()
    scripts = {_script(ch) for ch in text} - {""}
    if "LATIN" in scripts and len(scripts) > 1:
        text = "".join(ch if _script(ch) in ("", "LATIN") else (_latin_lookalike(ch) or ch) for ch in text)
    return text


def fold_tag(raw: str) -> str:
    """The canonical form of a tag body (without '#'); '' when nothing of it is a tag."""
    text = fold_confusables("".join(ch for ch in unicodedata.normalize("NFKC", raw) if ch.isalnum() or ch == "_"))
    if not text.strip("_"):
        return ""
    return text[:MAX_TAG]


def extract_tags(text: str) -> list[str]:
    """The tags a prompt or caption carries, folded, each once, in order, at most MAX_TAGS_PER_CLIP."""
    out: list[str] = []
    for match in TAG_RE.finditer(unicodedata.normalize("NFKC", text or "")):
        tag = fold_tag(match.group(1))
        if tag and tag not in out:
            out.append(tag)
            if len(out) == MAX_TAGS_PER_CLIP:
                break
    return out


def parse_tag_name(raw: str) -> str:
    """A tag named in a URL or a query ('#Cat', 'cat'), folded; a clear error naming the value if it is none."""
    body = raw.strip().removeprefix("#") if isinstance(raw, str) else ""
    tag = fold_tag(body) if re.fullmatch(r"\w+", unicodedata.normalize("NFKC", body)) else ""
    if not tag or len(body) > MAX_TAG:
        raise ValidationFailed(
            f"A tag is 1 to {MAX_TAG} letters, digits or '_' but '{str(raw)[:60]}' is not one.", field="name"
        )
    return tag
