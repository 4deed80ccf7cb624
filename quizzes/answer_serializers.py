"""Answers as the app sends them: the answer, when it was given, the variant shown.

An answer's body names the answer and nothing else a learner could set: who answers is
the token's learner, and the outcome, score and tries are the server's to compute, so a
``score`` or ``user`` in the body is ignored (tests/api/test_attempts.py).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MAX_CHOICES = 50
MAX_TYPED = 64
# An app's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
EARLIEST_ANSWER = datetime(2020, 1, 1, tzinfo=UTC)

# anyOf, not oneOf: an integer is also a number, and a client must be free to send the
# integer a choice id is (a generated client that typed it "number" sent 4.0).
ANSWER_SCHEMA = {
    "anyOf": [
        {"type": "array", "items": {"type": "integer"}, "maxItems": MAX_CHOICES,
         "description": "Choice questions: the ids of the options chosen."},
        {"type": "integer", "description": "Single choice: the id chosen."},
        {"type": "number", "description": "Numeric questions: the value."},
        {"type": "string", "maxLength": MAX_TYPED,
         "description": "Numeric questions: the text as typed (`0,05`, `5e-2`, `5×10^-2`)."},
    ],
}


@extend_schema_field(ANSWER_SCHEMA)
class AnswerField(serializers.Field):
    """Choice ids, one id, a number or the text typed: grading reads it as the question says.

    Only the shape is checked here; an answer that does not fit the question (a word for a
    number, an unknown option) is graded as a *format error*, as on the web page.
    """

    default_error_messages = {
        "invalid": _("Send a list of choice ids, a number, or the number as typed."),
        "too_many": _("Send at most {limit} choice ids."),
        "too_long": _("Send at most {limit} characters."),
    }

    def to_internal_value(self, data):
        if isinstance(data, list):
            if len(data) > MAX_CHOICES:
                self.fail("too_many", limit=MAX_CHOICES)
            if not all(isinstance(item, int) and not isinstance(item, bool) for item in data):
                self.fail("invalid")
            return data
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            self.fail("invalid")
        if isinstance(data, float) and not math.isfinite(data):
            self.fail("invalid")
        if isinstance(data, str) and len(data) > MAX_TYPED:
            self.fail("too_long", limit=MAX_TYPED)
        return data

    def to_representation(self, value):
        return value


class AnswerSerializer(serializers.Serializer):
    """The body of ``POST /questions/<id>/attempts/``: these fields, and only these, are read."""

    answer = AnswerField(help_text="The answer, as the question's `kind` says.")
    answered_at = serializers.DateTimeField(
        required=False, allow_null=True,
        help_text="When the learner answered, for an answer given offline and sent later "
                  "(ISO 8601 with a time zone). Stored with the attempt; the answer is "
                  "graded on arrival like any other. Not in the future, nor before 2020.",
    )
    shown = serializers.CharField(
        required=False, allow_blank=True, max_length=32,
        help_text="The question's `shown` token as the learner saw it: if the question "
                  "changed since, the answer is not graded (`format_error.code` `changed`).",
    )

    def validate_answered_at(self, value):
        if value is not None and value > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError(_("This time is in the future."),
                                              code="future")
        # No answer predates the product; a year such as 241 is a broken device clock,
        # and before 1900 time zones had offsets in seconds that RFC 3339 cannot write.
        if value is not None and value < EARLIEST_ANSWER:
            raise serializers.ValidationError(_("This time is too far in the past."),
                                              code="too_old")
        return value
