"""Settings come from the environment, with safe defaults; production passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def test_booleans_accept_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("TRUE", True), ("0", False), ("off", False)]:
        monkeypatch.setenv("FLAG", raw)
        assert env_bool("FLAG") is expected


def test_a_misspelt_boolean_is_an_error_not_a_silent_false(monkeypatch):
    monkeypatch.setenv("FLAG", "ture")
    with pytest.raises(ValueError, match="FLAG"):
        env_bool("FLAG")


def test_lists_and_integers(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , b.example,,")
    monkeypatch.setenv("N", "12")
    assert env_list("HOSTS") == ["a.example", "b.example"]
    assert env_int("N", 3) == 12
    assert env_list("UNSET_LIST", ["x"]) == ["x"]


def _run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS",
                          "SECURE_SSL_REDIRECT"}}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env}, timeout=120,
    )


READ = "import django; django.setup(); from django.conf import settings as s; "


def test_defaults_are_sqlite_and_local_memory_cache():
    result = _run_settings(
        {"DEBUG": "1"},
        READ + "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'])",
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3", "django.core.cache.backends.locmem.LocMemCache"
    ]


def test_database_and_redis_urls_are_read():
    result = _run_settings(
        {"SECRET_KEY": "k" * 60, "DATABASE_URL": "postgres://u@db.example:5433/gradiente",
         "REDIS_URL": "redis://cache.example:6379/2", "ALLOWED_HOSTS": "gradiente.example"},
        READ + "d=s.DATABASES['default']; print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'], "
               "s.CACHES['default']['LOCATION'], s.ALLOWED_HOSTS, s.DEBUG)",
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql", "db.example", "5433", "gradiente",
        "redis://cache.example:6379/2", "['gradiente.example']", "False",
    ]


def test_production_refuses_to_start_without_a_secret_key():
    result = _run_settings({}, READ)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    secret = "x9!" + "q7Vz" * 15
    environment = {key: value for key, value in os.environ.items()
                   if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**environment, "SECRET_KEY": secret, "DEBUG": "0", "SECURE_SSL_REDIRECT": "1",
             "ALLOWED_HOSTS": "gradiente.example"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
