"""Bulk import of works from CSV for holders with many works.

Columns (header row required, any order): title, kind, policy, aliases, description.
`aliases` separates names with `|` and may give a language after `@`: `Topolino@it|Mickey@en`.

Every row is checked and stored on its own (a savepoint each): good rows are kept, every bad row is
reported with its line number and reason, and a row is never half-stored. The whole file is one
transaction: a failure that is not a bad row (the worker dies, the database goes away) keeps nothing.

The upload is checked at once (`check_file`: UTF-8, the header) and imported by an `import_rights` job
(`import_job`), whose rows commit together with the job's result, so a retried job never imports twice.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.embeddings import Embedder
from figment.errors import DomainError, ValidationFailed
from figment.rights.models import RightsHolder, Work
from figment.rights.service import check_work, create_work

REQUIRED = ("title", "kind", "policy")
OPTIONAL = ("aliases", "description")
MAX_ROWS = 10_000


@dataclass
class ImportResult:
    created: list[Work] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


def parse_aliases(cell: str) -> list[dict[str, Any]]:
    out = []
    for part in cell.split("|"):
        part = part.strip()
        if not part:
            continue
        text, _, lang = part.rpartition("@") if "@" in part else (part, "", "")
        out.append({"text": text.strip(), "lang": lang.strip() or None})
    return out


def check_file(data: bytes) -> str:
    """The file's text, if it is UTF-8 with a usable header; else why not (nothing is imported)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"The CSV file is not UTF-8 text (byte {exc.start}).", field="file") from exc
    _reader(text)
    return text


def _reader(text: str) -> csv.DictReader[str]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unknown:
        problems = ([f"missing column(s) {', '.join(missing)}"] if missing else []) + (
            [f"unknown column(s) {', '.join(unknown)}"] if unknown else []
        )
        raise ValidationFailed(
            f"The CSV header must name {', '.join(REQUIRED)} (and may name {', '.join(OPTIONAL)}): "
            f"{'; '.join(problems)}. Nothing was imported.",
            field="file",
        )
    reader.fieldnames = header
    return reader


def import_csv(*, session: Session, holder: RightsHolder, actor: User, data: bytes, embedder: Embedder) -> ImportResult:
    return import_text(session=session, holder=holder, actor=actor, text=check_file(data), embedder=embedder)


def import_text(*, session: Session, holder: RightsHolder, actor: User, text: str, embedder: Embedder) -> ImportResult:
    reader = _reader(text)
    result = ImportResult()
    for row in reader:
        line = reader.line_num
        if len(result.created) + len(result.errors) >= MAX_ROWS:
            result.errors.append({"line": line, "title": None, "message": f"Only {MAX_ROWS} rows per file."})
            break
        if None in row:
            result.errors.append({"line": line, "title": row.get("title"), "message": "The row has extra cells."})
            continue
        if not any((v or "").strip() for v in row.values()):
            continue  # blank line
        try:
            data_in = check_work(
                title=row.get("title") or "",
                aliases=parse_aliases(row.get("aliases") or ""),
                kind=(row.get("kind") or "").strip().lower(),
                policy=(row.get("policy") or "").strip().lower(),
                description=row.get("description") or "",
            )
            with session.begin_nested():
                result.created.append(
                    create_work(session=session, holder=holder, actor=actor, data=data_in, embedder=embedder)
                )
        except DomainError as exc:
            result.errors.append({"line": line, "title": (row.get("title") or "")[:200], "message": exc.message})
    return result
