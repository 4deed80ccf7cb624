"""Answers as the app sends them: the answer, when it was given, the variant shown.

An answer's body names the answer and nothing else a learner could set: who answers is
the token's learner, and the outcome, score and tries are the server's to compute, so a
``score`` or ``user`` in the body is ignored (tests/api/test_attempts.py).
"""

from __future__ import annotations

import math
import re
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.fields import StrictCharField

MAX_CHOICES = 50
MAX_TYPED = 64
# An app's clock may run a little ahead of the server's.
CLOCK_SKEW = timedelta(minutes=5)
# An answer's time as RFC 3339 writes it (upper-case T and Z), with its time zone, from
# 2020 on: the bounds a schema can state. The year is in the pattern because JSON Schema
# has no minimum for a date-time; "not in the future" moves with the clock and is only
# said in words. Seconds stop at 59 (Python has no leap second) and fractions at six
# digits (microseconds).
_FROM_2020 = r"(?:202\d|20[3-9]\d|2[1-9]\d\d|[3-9]\d{3})"
_RFC_3339_AFTER_YEAR = (
    r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    r"T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,6})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$")
ANSWER_TIME_PATTERN = f"^{_FROM_2020}{_RFC_3339_AFTER_YEAR}"
_ANSWER_TIME = re.compile(ANSWER_TIME_PATTERN, re.ASCII)
_ANY_YEAR = re.compile(rf"^\d{{4}}{_RFC_3339_AFTER_YEAR}", re.ASCII)

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


@extend_schema_field({"type": "string", "format": "date-time",
                      "pattern": ANSWER_TIME_PATTERN, "nullable": True})
class AnswerTimeField(serializers.DateTimeField):
    """A time as the schema states it (:data:`ANSWER_TIME_PATTERN`), then not in the future.

    DRF's own field also reads times without a zone, with a space for the ``T`` or with a
    leap second's 60: the schema refuses those, and so does this field.
    """

    default_error_messages = {
        "too_old": _("This time is too far in the past."),
    }

    def to_internal_value(self, value):
        if not isinstance(value, str) or not _ANSWER_TIME.match(value):
            # A year such as 241 or 1970 is a broken device clock: no answer predates
            # the product. Said so, rather than as a malformed time.
            if isinstance(value, str) and _ANY_YEAR.match(value):
                self.fail("too_old")
            self.fail("invalid", format="YYYY-MM-DDThh:mm:ss[.uuuuuu](Z|±hh:mm)")
        return super().to_internal_value(value)


class AnswerSerializer(serializers.Serializer):
    """The body of ``POST /questions/<id>/attempts/``: these fields, and only these, are read."""

    answer = AnswerField(help_text="The answer, as the question's `kind` says.")
    answered_at = AnswerTimeField(
        required=False, allow_null=True,
        help_text="When the learner answered, for an answer given offline and sent later: "
                  "RFC 3339 with its time zone (`2026-03-01T14:05:00-03:00`), from 2020 on "
                  "(the pattern says so), and not more than 5 minutes ahead of the "
                  "server's clock (refused with 400, code `future`). Stored with the "
                  "attempt; the answer is graded on arrival like any other.",
    )
    shown = StrictCharField(
        required=False, allow_blank=True, max_length=32,
        help_text="The question's `shown` token as the learner saw it: if the question "
                  "changed since, the answer is not graded (`format_error.code` `changed`).",
    )

    def validate_answered_at(self, value):
        # The one bound that moves with the clock, so the schema can only say it in words.
        if value is not None and value > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError(_("This time is in the future."),
                                              code="future")
        return value
