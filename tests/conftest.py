"""Shared fixtures: an app per test on SQLite, or on the local PostgreSQL service.

PostgreSQL tests are skipped when the service is unreachable, except when FIGMENT_REQUIRE_SERVICES=1
(set by .ci/run), where an unreachable service fails the run instead of silently skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import figment.services
from figment.app import create_app
from figment.jobs.procrastinate_engine import ensure_schema
from figment.migrate import upgrade
from figment.models import Base
from figment.settings import Settings
from support import REDIS_URL, Api, LiveServer, free_port, make_settings, run_live_server, shared_embedder

POSTGRES_ADMIN_URL = os.environ.get(
    "FIGMENT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_SERVICES = os.environ.get("FIGMENT_REQUIRE_SERVICES") == "1"


def _unavailable(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (FIGMENT_REQUIRE_SERVICES=1 makes this mandatory)")
    pytest.skip(reason)


@pytest.fixture(scope="session", autouse=True)
def one_embedder_per_run() -> Iterator[None]:
    """Every app a test builds gets the run's embedder for its setting instead of loading its own."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(figment.services, "make_embedder", shared_embedder)
        yield


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of its own on the local Redis service; its keys are deleted after the test."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        _unavailable(f"Redis is not reachable at {REDIS_URL}: {exc.__class__.__name__}")
    prefix = f"figment-test-{uuid.uuid4().hex[:8]}:"
    try:
        yield prefix
    finally:
        for key in client.scan_iter(prefix + "*"):
            client.delete(key)
        client.close()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """The S3 test server (moto, from the dev extra) in this process on a free port, for the whole run.
    Like every S3 mock here it does not check signatures: tests/storage checks presigned URLs itself."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint: str) -> str:
    """A new, empty bucket on the test server."""
    from figment.storage.s3 import make_client

    name = f"figment-test-{uuid.uuid4().hex[:12]}"
    make_client(endpoint=s3_endpoint, region="us-east-1", access_key="test", secret_key="test").create_bucket(
        Bucket=name
    )
    return name


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """One throwaway database for the whole run, migrated once; tables are emptied after each test."""
    name = f"figment_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        _unavailable(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {exc.__class__.__name__}")
    url = make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    ensure_schema(url)  # Procrastinate's, for the tests that run jobs through it
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


PROCRASTINATE_TABLES = ("procrastinate_jobs", "procrastinate_periodic_defers", "procrastinate_workers")


def _truncate(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join([*(f'"{t.name}"' for t in Base.metadata.sorted_tables), *PROCRASTINATE_TABLES])
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Runs the test on both databases."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'figment.db'}"
        upgrade(url)
        yield url
        return
    yield request.getfixturevalue("postgres_url")


@pytest.fixture
def postgres_url(postgres_database: str) -> Iterator[str]:
    """The run's PostgreSQL database for one test; its tables are emptied after it."""
    try:
        yield postgres_database
    finally:
        _truncate(postgres_database)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'figment.db'}"
    upgrade(url)
    return url


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path / "data", database_url)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


@pytest.fixture
def live_server(tmp_path: Path, sqlite_url: str) -> Iterator[LiveServer]:
    yield from run_live_server(make_settings(tmp_path / "data", sqlite_url))
