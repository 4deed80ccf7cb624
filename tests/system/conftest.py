"""Fixtures of the fault tests: services of their own to stop, the real database to cut."""

from __future__ import annotations

import shutil

import pytest
from django.db import connection

from tests.processes import RedisServer


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


def database_url() -> str:
    """Return the URL of the database the tests use (pytest-django's test database)."""
    settings = connection.settings_dict
    user, host, port = settings["USER"], settings["HOST"] or "127.0.0.1", settings["PORT"]
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port or 5432}/{settings['NAME']}"
