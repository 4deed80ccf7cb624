"""Fixtures of the fault tests: services of their own to stop, the real database to cut."""

from __future__ import annotations

import contextlib
import shutil
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

try:
    import psycopg
    from psycopg import sql
except ImportError:  # SQLite only: the PostgreSQL tests are skipped
    psycopg = sql = None

from tests.processes import RedisServer, gunicorn


@pytest.fixture
def own_redis(tmp_path):
    """A Redis server of this test's own, started; killed at the end whatever happens."""
    if shutil.which("redis-server") is None:
        pytest.skip("needs the redis-server binary (Debian's redis-server package)")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def app_environment(collected_static) -> dict[str, str]:
    """The environment of app processes (tests.processes.gunicorn) on the test database,
    with a cache prefix of their own (Redis if REDIS_URL is set, else their own memory)."""
    return {"DATABASE_URL": database_url(), "SECRET_KEY": "fault-test-secret-key",
            "CACHE_KEY_PREFIX": f"fault-test-{uuid.uuid4().hex}",
            "FAULT_TEST_STATIC_ROOT": str(collected_static),
            # A load of answers, not a test of the throttle: no 429 may hide the fault.
            "API_ATTEMPTS_THROTTLE_RATE": "100000/minute"}


def fault_app(environment: dict[str, str], **options):
    """Run the project under gunicorn as tests/system/fault_app.py sets it up."""
    return gunicorn(environment, app="fault_app:application",
                    pythonpath=str(Path(__file__).parent), **options)


def database_url() -> str:
    """Return the URL of the database the tests use (pytest-django's test database)."""
    settings = connection.settings_dict
    user, host, port = settings["USER"], settings["HOST"] or "127.0.0.1", settings["PORT"]
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port or 5432}/{settings['NAME']}"


def on_postgresql():
    """Skip unless the tests run on PostgreSQL (the faults are the real database's)."""
    return pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a fault of the real database: set DATABASE_URL=postgres://... (SQLite has "
               "no server to restart and no concurrent writers)")


@contextlib.contextmanager
def database_admin():
    """A connection to the cluster's maintenance database, beside the test database, to
    cut the test database off and let it back (autocommit)."""
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                         user=settings["USER"], password=settings["PASSWORD"] or None,
                         dbname="postgres", autocommit=True) as admin:
        yield admin


def cut_off_database(admin, seconds: float, *, spare_pids: tuple[int, ...] = ()) -> None:
    """Do to the test database what a restart does to the app: end every session of it
    (but ``spare_pids``) and refuse new ones for ``seconds``, leaving the cluster alone."""
    name = connection.settings_dict["NAME"]
    admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(
        sql.Identifier(name)))
    try:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s AND NOT pid = ANY(%s)", (name, list(spare_pids)))
        time.sleep(seconds)
    finally:
        admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(
            sql.Identifier(name)))


def own_backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]
