"""Well-known living public figures: a prompt naming one is refused unless the person consented.

Consent is a verified likeness: an operator lists the accounts that are the person (`handles`), and
the prompt passes when one of them has a verified likeness and either is the author or is tagged
with `@handle` in the prompt. A tag then goes through the likeness rules (permission level,
restrictions, approval), which run before this check, so the person's own choices decide.

The list ships as data (data/public_figures.json) and operators extend it with their own file
(FIGMENT_PUBLIC_FIGURES_FILE, same format). Names match on word boundaries after NFKC case-folding
and accent stripping, so "Beyonce", "BEYONCÉ" and "beyoncé" are one name. Estates of the deceased
are the rights registry's business (another feature), not this list's.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.errors import DomainError, PublicFigureBlocked
from figment.likeness.consent import mentioned_handles
from figment.likeness.models import Likeness, LikenessKind


@dataclass(frozen=True)
class Figure:
    name: str
    aliases: tuple[str, ...]
    # Accounts that are this person (confirmed by an operator); their verified likeness is the consent.
    handles: frozenset[str]


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
                # "consenting_handles" is the name this field had before likeness verification existed.
                handles=frozenset(str(h).lower() for h in entry.get("handles", entry.get("consenting_handles", []))),
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

    def check(self, session: Session, author: User, prompt: str) -> None:
        figure = self.named_in(prompt)
        if figure is None or self._consented(session, figure, author, prompt):
            return
        raise PublicFigureBlocked(
            f"This prompt names {figure.name}, a public figure who has not consented to appear in Figment clips.",
            details={"figure": figure.name},
        )

    @staticmethod
    def _consented(session: Session, figure: Figure, author: User, prompt: str) -> bool:
        present = ({author.handle.lower()} | set(_safe_mentions(prompt, mentioned_handles))) & figure.handles
        if not present:
            return False
        verified = session.scalars(
            select(Likeness.handle).where(
                Likeness.handle.in_(present),
                Likeness.kind == LikenessKind.person,
                Likeness.verified_at.is_not(None),
            )
        ).first()
        return verified is not None


def _safe_mentions(prompt: str, parse: Callable[[str], list[str]]) -> list[str]:
    try:
        return parse(prompt)
    except DomainError:
        return []
