"""Steering in words: "more cooking and animals, less horror" / "più cucina e animali, meno horror".

A small parser, not a language model: words such as more/less/più/meno switch the direction, and
commas or and/e split topics. Topics are then embedded, so "cucina" also matches English prompts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TEXT = 500
_MORE = {"more", "plus", "lots", "extra", "più", "piu", "tanto", "tanti", "tante", "molto", "molti", "molte"}
_LESS = {"less", "fewer", "no", "not", "without", "stop", "meno", "niente", "senza", "basta", "non"}
_FILLER = {"of", "di", "del", "della", "dei", "degli", "delle", "the", "il", "la", "i", "gli", "le", "some", "please"}
_SPLIT = re.compile(r"\s*(?:,|;|\.|\band\b|\be\b|&|\+|\bor\b|\bo\b)\s*")
_WORD = re.compile(r"[\w'-]+", re.UNICODE)


@dataclass(frozen=True)
class Steering:
    more: tuple[str, ...] = ()
    less: tuple[str, ...] = ()


def parse(text: str) -> Steering:
    more: list[str] = []
    less: list[str] = []
    direction = more
    for chunk in _SPLIT.split(text.lower()):
        words: list[str] = []
        for word in _WORD.findall(chunk):
            if word in _MORE or word in _LESS:
                if words:
                    direction.append(" ".join(words))
                    words = []
                direction = more if word in _MORE else less
            elif word not in _FILLER:
                words.append(word)
        if words:
            direction.append(" ".join(words))
    return Steering(more=tuple(dict.fromkeys(more)), less=tuple(dict.fromkeys(less)))
