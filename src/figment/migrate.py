"""Schema migrations through Alembic, driven from Python so `figment migrate` needs no alembic.ini."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from figment.settings import Settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # '%' would be read as interpolation by ConfigParser.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


_MIGRATION_LOCK = 7_202_612_06  # pg_advisory_lock key


@contextmanager
def _one_at_a_time(database_url: str) -> Iterator[None]:
    """Hosts that start together (web processes, workers) migrate one after the other on PostgreSQL:
    the first applies what is missing, the others find the schema at head. SQLite is one machine's."""
    if make_url(database_url).get_backend_name() != "postgresql":
        yield
        return
    engine = create_engine(database_url, poolclass=None)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK})
                connection.commit()
    finally:
        engine.dispose()


def upgrade(database_url: str) -> None:
    with _one_at_a_time(database_url):
        command.upgrade(alembic_config(database_url), "head")


def upgrade_for(settings: Settings) -> None:
    """Figment's schema, and the job engine's own when jobs go through Procrastinate."""
    upgrade(settings.resolved_database_url)
    if settings.jobs == "procrastinate":
        from figment.jobs.procrastinate_engine import ensure_schema

        ensure_schema(settings.resolved_database_url)


def make_revision(database_url: str, message: str) -> None:
    """Developer helper: autogenerate a migration from the models."""
    command.revision(alembic_config(database_url), message=message, autogenerate=True)
