"""The few statements that every answer sends, without the ORM's query compiler.

Answering a question locks the learner, reads their tries and inserts two rows. Composing
such a statement with the ORM costs 0.25 to 0.5 ms of CPU here, three to six times what
sending it and reading the reply cost (docs/benchmarks.md, "API"), and an answer is the
request the mobile app sends most after reading. So these helpers write each statement's
SQL once per process, from the model's own table and column names, and convert values
with the model's own fields (JSON, dates, booleans), exactly as the ORM would: a renamed
column or a new field needs no edit here. Everything else goes through the ORM.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from django.db.models.signals import post_save, pre_save


def quoted(model: type[models.Model], *field_names: str) -> tuple[str, ...]:
    """Return the model's quoted table name and the quoted columns of ``field_names``."""
    quote = connection.ops.quote_name
    meta = model._meta
    return (quote(meta.db_table),
            *(quote(meta.get_field(name).column) for name in field_names))


def lock_row(model: type[models.Model], pk: Any) -> None:
    """Lock the row for the rest of the transaction, as ``select_for_update`` does.

    A no-op where the database has no row locks (SQLite, which runs one writer at a time).
    """
    if connection.features.has_select_for_update:
        with connection.cursor() as cursor:
            cursor.execute(_lock_sql(model, connection.vendor), [pk])


def try_transaction_lock(name: str) -> bool:
    """Take the lock called ``name`` for the rest of the transaction unless another
    transaction holds it; return whether it was taken (never waits).

    PostgreSQL's advisory transaction lock: the database releases it when the transaction
    ends, however it ends, a worker killed mid-request included (its connection closes,
    its transaction is rolled back). Always taken where the database has no such lock
    (SQLite, which runs one writer at a time). ``name`` is hashed to the lock's 64-bit
    number: two names share a lock once in 2**64.
    """
    if connection.vendor != "postgresql":
        return True
    assert connection.in_atomic_block, "a transaction lock outside a transaction is no lock"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_number(name)])
        return bool(cursor.fetchone()[0])


def lock_number(name: str) -> int:
    """Return the number of PostgreSQL's advisory lock called ``name`` (a signed 64 bits)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def select(model: type[models.Model], sql: str, params: Sequence[Any],
           field_names: Sequence[str]) -> list[tuple]:
    """Run a SELECT of the model's ``field_names`` (in that order); return the rows with
    each value converted by its field as the ORM would (a JSON column decoded, say)."""
    converters = _converters(model, tuple(field_names), connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [tuple(convert(value) for convert, value in zip(converters, row, strict=True))
            for row in rows]


def insert(instance: models.Model) -> None:
    """Insert a new instance as ``instance.save()`` would, signals included; set its pk.

    Values go through each field's ``pre_save`` (``auto_now_add``) and
    ``get_db_prep_save``, as the ORM's insert does. For a plain model (no parents, a
    database-generated primary key); nothing else uses it.
    """
    model = type(instance)
    sql, fields, returns_pk = _insert_sql(model, connection.vendor)
    pre_save.send(sender=model, instance=instance, raw=False, using=connection.alias,
                  update_fields=None)
    params = [field.get_db_prep_save(field.pre_save(instance, True), connection)
              for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        instance.pk = cursor.fetchone()[0] if returns_pk else cursor.lastrowid
    instance._state.adding, instance._state.db = False, connection.alias
    post_save.send(sender=model, instance=instance, created=True, update_fields=None,
                   raw=False, using=connection.alias)


@functools.cache
def _lock_sql(model: type[models.Model], _vendor: str) -> str:
    table, pk = quoted(model, model._meta.pk.name)
    return f"SELECT 1 FROM {table} WHERE {pk} = %s FOR UPDATE"  # noqa: S608 - names from _meta


@functools.cache
def _insert_sql(model: type[models.Model], _vendor: str
                ) -> tuple[str, list[models.Field], bool]:
    meta = model._meta
    assert not meta.parents, "a model with parents is saved in several tables"
    fields = [field for field in meta.local_concrete_fields if not field.primary_key]
    table, pk, *columns = quoted(model, meta.pk.name, *(field.name for field in fields))
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - names from _meta
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    returns_pk = connection.features.can_return_columns_from_insert
    if returns_pk:
        sql += f" RETURNING {pk}"
    return sql, fields, returns_pk


@functools.cache
def _converters(model: type[models.Model], field_names: tuple[str, ...], _vendor: str):
    return [_converter(model._meta.get_field(name)) for name in field_names]


def _converter(field: models.Field):
    """Return what turns the database's value of ``field`` into the ORM's value."""
    converters = [*connection.ops.get_db_converters(field.cached_col),
                  *field.get_db_converters(connection)]
    if not converters:
        return lambda value: value

    def convert(value):
        for converter in converters:
            value = converter(value, field.cached_col, connection)
        return value

    return convert
