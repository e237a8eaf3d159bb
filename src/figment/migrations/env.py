"""Alembic environment. The URL comes from the caller (figment.migrate), never from a config file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from figment.models import Base

config = context.config
target_metadata = Base.metadata


def ours(name: str | None, type_: str, _parent_names: object) -> bool:
    """Autogenerate compares Figment's own tables only: Procrastinate's schema is its own (applied by
    `figment migrate` with FIGMENT_JOBS=procrastinate)."""
    if type_ in ("table", "index") and name is not None and name.startswith("procrastinate"):
        return False
    return True


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "figment.migrate sets sqlalchemy.url"
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection, url)
        return
    engine = create_engine(url)
    with engine.connect() as conn:
        _run(conn, url)
    engine.dispose()


def _run(connection: object, url: str) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds tables instead.
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
        include_name=ours,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
