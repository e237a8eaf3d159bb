"""Well-known living public figures: a prompt naming one is refused unless the author *is* that
person's verified, consenting account.

The list ships as data (data/public_figures.json) and operators extend it with their own file
(FIGMENT_PUBLIC_FIGURES_FILE, same format). Names match on word boundaries after NFKC case-folding
and accent stripping, so "Beyonce", "BEYONCÉ" and "beyoncé" are one name. Estates of the deceased
are the rights registry's business (another feature), not this list's.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.errors import PublicFigureBlocked


@dataclass(frozen=True)
class Figure:
    name: str
    aliases: tuple[str, ...]
    # Handles of verified accounts that are this person and consented to their likeness.
    consenting_handles: frozenset[str]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _parse(data: dict[str, Any], *, source: str) -> list[Figure]:
    figures = data.get("figures")
    if not isinstance(figures, list):
        raise ValueError(f"{source}: 'figures' must be a list")
    out = []
    for index, entry in enumerate(figures):
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{source}: figures[{index}] needs a non-empty 'name'")
        out.append(
            Figure(
                name=name,
                aliases=tuple(str(a) for a in entry.get("aliases", []) if str(a).strip()),
                consenting_handles=frozenset(str(h).lower() for h in entry.get("consenting_handles", [])),
            )
        )
    return out


def load_figures(extra: Path | None = None) -> list[Figure]:
    shipped = resources.files("figment.safety").joinpath("data/public_figures.json").read_text("utf-8")
    figures = _parse(json.loads(shipped), source="public_figures.json")
    if extra is not None:
        figures += _parse(json.loads(extra.read_text("utf-8")), source=str(extra))
    return figures


class PublicFigures:
    def __init__(self, figures: list[Figure]) -> None:
        self.figures = figures
        self._patterns = [
            (
                figure,
                re.compile(
                    r"(?<!\w)(?:" + "|".join(re.escape(fold(n)) for n in (figure.name, *figure.aliases)) + r")(?!\w)"
                ),
            )
            for figure in figures
        ]

    def named_in(self, prompt: str) -> Figure | None:
        text = fold(prompt)
        for figure, pattern in self._patterns:
            if pattern.search(text):
                return figure
        return None

    def check(self, _session: Session, author: User, prompt: str) -> None:
        figure = self.named_in(prompt)
        if figure is None or author.handle.lower() in figure.consenting_handles:
            return
        raise PublicFigureBlocked(
            f"This prompt names {figure.name}, a public figure who has not consented to appear in Figment clips.",
            details={"figure": figure.name},
        )
