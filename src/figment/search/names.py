"""An in-memory directory of names (people's handles and display names, tag names) for what the
database cannot answer with an index: typo-tolerant matches ("lunna" finds @luna_rossi) and word
prefixes of display names.

Loaded from the table on first use, then reloaded in a background thread when older than `max_age_s`
while the old copy keeps answering, so no request waits for a reload. Prefix matches of handles and tags
come from the database itself (always fresh); this directory only adds what they miss, so a name made
in the last minute is found by its prefix at once and by a typo at the next reload.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

# partial_ratio aligns the query with the best-matching part of each name: one typo in a 5-letter
# query scores 80; unrelated names stay under 60.
TYPO_SCORE = 75.0
MIN_TYPO_QUERY = 3


@dataclass(frozen=True)
class Entry:
    key: str  # the folded text matched against the folded query
    value: str  # what a hit names: a handle, a tag


Loader = Callable[[Session], Iterable[tuple[str, str]]]


class NameDirectory:
    def __init__(self, load: Loader, *, session_factory: sessionmaker[Session], max_age_s: float = 60.0) -> None:
        self._load = load
        self._factory = session_factory
        self.max_age_s = max_age_s
        self._keys: list[str] = []  # sorted, for prefixes
        self._values: list[str] = []  # by position in _keys
        self._loaded_at = -1e18
        self._reloading = False
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._keys)

    def _read(self, session: Session) -> None:
        pairs = sorted({(key, value) for key, value in self._load(session) if key})
        keys, values = [k for k, _ in pairs], [v for _, v in pairs]
        with self._lock:
            self._keys, self._values, self._loaded_at = keys, values, time.monotonic()

    def _reload_in_background(self) -> None:
        try:
            with self._factory() as session:
                self._read(session)
        except Exception:  # a failed reload keeps the old names; the next request tries again
            log.exception("reloading the %s directory failed", self._load.__name__)
        finally:
            self._reloading = False

    def ensure_loaded(self, session: Session) -> None:
        if not self._keys and self._loaded_at < 0:
            self._read(session)  # the first use waits: there is nothing to answer with yet
            return
        if time.monotonic() - self._loaded_at >= self.max_age_s and not self._reloading:
            self._reloading = True
            threading.Thread(target=self._reload_in_background, name="name-directory", daemon=True).start()

    def refresh_soon(self) -> None:
        self._loaded_at = -1e17 if self._keys else -1e18

    def starting_with(self, prefix: str, *, limit: int) -> list[str]:
        """Values whose key starts with `prefix`, in key order."""
        with self._lock:
            keys, values = self._keys, self._values
        out: list[str] = []
        position = bisect.bisect_left(keys, prefix)
        while position < len(keys) and keys[position].startswith(prefix) and len(out) < limit:
            if values[position] not in out:
                out.append(values[position])
            position += 1
        return out

    def similar(self, query: str, *, limit: int) -> list[tuple[str, float]]:
        """(value, score) of names within a typo or two of `query` (or containing it), best first."""
        if len(query) < MIN_TYPO_QUERY:
            return []
        with self._lock:
            keys, values = self._keys, self._values
        found = process.extract(query, keys, scorer=fuzz.partial_ratio, limit=limit * 2, score_cutoff=TYPO_SCORE)
        # Ties (a substring scores 100 in many names): the shorter name is the closer one.
        found.sort(key=lambda hit: (-hit[1], len(hit[0]), hit[0]))
        out: dict[str, float] = {}
        for _key, score, position in found:
            out.setdefault(values[position], float(score))
        return list(out.items())[:limit]
