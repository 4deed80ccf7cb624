"""A bare answer: what an exactly-once, try-counted answer cannot skip, and nothing else.

A benchmark-only DRF view (``POST /bench/bare-answer/<question id>/``) beside the real
``POST /api/v1/questions/<id>/attempts/``: the same token, the same throttle, and the
same work on PostgreSQL and Redis, in raw SQL: the key's lock, the learner's row lock,
their tries, the attempt's insert (a fixed snapshot of a typical size), the response
stored with its key, the commit, the learner's cache generation. No grading, no
serializers, no ORM. What it costs is the least an answer can cost here; what the real
answer costs beyond it is the product's code.
"""

from __future__ import annotations

import json
import uuid

ROUTE = "bench/bare-answer/<int:question_id>/"


def bare_answer_view():
    from django.core.cache import cache
    from django.db import connection, transaction
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from api.throttling import ScopedRateThrottle
    from storage.sql import lock_number

    # Of the sizes the real answers store here: a 2.2 KB snapshot, a 0.9 KB response.
    snapshot = json.dumps({"question": {"prompt": "p" * 1200, "choices": [
        {"id": index, "text": "t" * 60, "feedback": "f" * 120} for index in range(4)]},
        "outcome": {"correct": False, "feedback": "That's not right! Try again."}})

    class BareAnswerView(APIView):
        permission_classes = [IsAuthenticated]
        throttle_classes = [ScopedRateThrottle]
        throttle_scope = "attempts"

        def post(self, request, question_id: int):
            user, key = request.user.pk, request.headers["Idempotency-Key"]
            answer = json.dumps([request.data["answer"]])
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)",
                               [lock_number(f"bench:{user}:{key}")])
                cursor.execute("SELECT 1 FROM auth_user WHERE id = %s FOR UPDATE", [user])
                cursor.execute(
                    "SELECT id, is_correct, answer, variant_id FROM quizzes_attempt "
                    "WHERE user_id = %s AND ((question_id = %s AND counts_as_try) "
                    "OR idempotency_key = %s)", [user, question_id, key])
                tries = len(cursor.fetchall())
                cursor.execute(
                    "INSERT INTO quizzes_attempt (question_id, user_id, answer, "
                    "answer_text, is_correct, score, counts_as_try, language, snapshot, "
                    "idempotency_key, needs_review, created_at) VALUES (%s, %s, %s, '', "
                    "false, 0, true, 'en', %s, %s, false, now()) RETURNING id",
                    [question_id, user, answer, snapshot, key])
                attempt = cursor.fetchone()[0]
                body = {"recorded": True, "attempt": {"id": attempt}, "correct": False,
                        "feedback": "That's not right! Try again.",
                        "choice_feedback": [{"choice": 1, "feedback": "f" * 700}],
                        "state": {"tries_used": tries + 1}}
                cursor.execute(
                    "INSERT INTO quizzes_idempotencykey (user_id, key, fingerprint, "
                    "status_code, response, headers, created_at) VALUES (%s, %s, '', 201, "
                    "%s, '{}', now())", [user, key, json.dumps(body)])
            cache.set(f"bench-generation:{user}", uuid.uuid4().hex, 60)
            return Response(body, status=201)

    return BareAnswerView.as_view()
