"""The scale-out benchmark's data: a database of its own, learners, what they answer.

Everything the benchmark stores is in a database made for it (dropped at the end) and
under a Redis key prefix of its own (deleted at the end), so a run leaves nothing
behind and is not affected by what an earlier run left.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE = "redes-neurais"
LESSON = "problemas-de-vanishing-e-exploding-gradient"


def prepare(learners: int) -> dict:
    """Migrate the fresh database, import the course, make learners; return their tokens,
    the lesson to read and the answers to send (wrong choices of questions with no limit
    of tries: each answer sent is then one attempt stored)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from accounts.services import issue_token
    from quizzes.models import Question

    call_command("migrate", verbosity=0)
    call_command("import_course", str(ROOT / "content"), verbosity=0)
    users = get_user_model()
    tokens = [issue_token(user=users.objects.create(
        username=f"scale-{index}", first_name="Scale", last_name=str(index))).token
        for index in range(learners)]
    questions = Question.objects.filter(lesson__course__slug=COURSE, kind="single",
                                        simulation="", max_tries__isnull=True)
    answers = [(question.pk, question.choices.filter(is_correct=False).first().pk)
               for question in questions.order_by("pk")]
    if not answers:
        raise RuntimeError("no single-choice question without a limit of tries to answer")
    return {"tokens": tokens, "answers": answers,
            "lesson": f"/api/v1/courses/{COURSE}/lessons/{LESSON}/"}


def create_database(url: str) -> None:
    """Create the benchmark's database, dropping one left by an interrupted run."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))


def forget_cache(url: str, prefix: str) -> None:
    """Delete the keys this run made in Redis (all under its own prefix)."""
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}*", count=1000):
        client.delete(key)


def stored_attempts(keys: list[str]) -> dict[str, int]:
    """Return how many attempts PostgreSQL holds under each idempotency key given."""
    from django.db.models import Count

    from quizzes.models import Attempt

    rows = (Attempt.objects.filter(user__username__startswith="scale-",
                                   idempotency_key__in=keys)
            .values("idempotency_key").annotate(n=Count("id")))
    found = {row["idempotency_key"]: row["n"] for row in rows}
    return {key: found.get(key, 0) for key in keys}
