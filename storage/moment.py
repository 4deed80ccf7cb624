"""Reading several tables as of one moment.

A question and its choices are read by two statements (the question, then its choices
prefetched). PostgreSQL's default isolation (READ COMMITTED) gives each statement its
own snapshot, so an import committing between the two would give the question of one
version with the choices of the next: an answer graded against a question that never
existed (tests/system/test_deploy_during_traffic.py). REPEATABLE READ gives the whole
transaction one snapshot. Only for reads: a transaction that writes rows others write
(an answer's) keeps READ COMMITTED, where it waits for their locks and sees their rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import connection, transaction


@contextlib.contextmanager
def one_moment() -> Iterator[None]:
    """Run the reads inside in one transaction that sees the database as of one moment.

    Inside a transaction already begun, that transaction's isolation applies (a query
    may have run: its level can no longer change). SQLite's transactions see one moment
    already: it serializes them.
    """
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield
