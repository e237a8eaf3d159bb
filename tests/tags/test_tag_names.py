"""What a hashtag is: Unicode letters, digits and '_', lower-cased, look-alikes folded when mixed."""

from __future__ import annotations

import pytest

from figment.errors import ValidationFailed
from figment.tags.names import MAX_TAGS_PER_CLIP, extract_tags, fold_tag, parse_tag_name


def test_tags_are_found_lower_cased_once_each_in_order() -> None:
    assert extract_tags("a #Cat and a #DOG, then #cat again #gatto_nero!") == ["cat", "dog", "gatto_nero"]


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("C# and F# are languages", []),
        ("&#39;quoted&#39;", []),
        ("##double", []),
        ("#_", []),
        ("mail me#now", []),
        ("#Caffè #東京 #αθήνα", ["caffè", "東京", "αθήνα"]),
        ("#ｃａｔ", ["cat"]),  # full-width letters: NFKC
        ("#cаt #cat", ["cat"]),  # a Cyrillic 'а' among Latin letters reads as 'a'
    ],
)
def test_what_is_and_is_not_a_tag(text: str, tags: list[str]) -> None:
    assert extract_tags(text) == tags


def test_a_clip_carries_at_most_ten_tags_of_at_most_fifty_characters() -> None:
    assert len(extract_tags(" ".join(f"#t{i}" for i in range(20)))) == MAX_TAGS_PER_CLIP
    assert fold_tag("a" * 80) == "a" * 50


def test_a_tag_in_a_url_is_folded_or_refused_naming_it() -> None:
    assert parse_tag_name("#Snow") == "snow"
    with pytest.raises(ValidationFailed, match="'!!' is not one"):
        parse_tag_name("!!")
