"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from figment.models import Base


def ours(name: str | None, type_: str, parent_names: object) -> bool:
    # The same rule as migrations/env.py (which cannot be imported outside Alembic's run).
    return not (type_ in ("table", "index") and name is not None and name.startswith("procrastinate"))


def test_the_migrated_schema_matches_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": ours})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []
