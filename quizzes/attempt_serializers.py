"""What an answer got, and attempts as the app reads them back; fields listed one by one.

The body of an answer is read by :mod:`quizzes.answer_serializers`; the outcome's state
(tries, what is due) comes from :mod:`quizzes.learner_state`, as the question's does.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from course.markdown import lesson_page_url, render_markdown
from course.serializers import LessonReferenceSerializer, LessonSummarySerializer

from . import grading
from .learner_questions import solution_data
from .learner_state import policy_of, question_view_state
from .models import Attempt
from .serializers import QuestionStateSerializer, SolutionSerializer, state_data
from .services import AttemptResult


class AttemptReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="The attempt among the learner's own.")


class ChoiceFeedbackSerializer(serializers.Serializer):
    choice = serializers.IntegerField(help_text="The id of an option the learner chose.")
    feedback = serializers.CharField(help_text="Markdown: what that option teaches.")


class FormatErrorSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="`empty`, `not_a_number`, `ambiguous` (\"1.000\" in Portuguese: a "
                  "thousand or one?), `not_finite`, `not_positive`, `no_choice`, "
                  "`one_choice`, `unknown_choice`, `unavailable`, or `changed` (the "
                  "question changed since it was shown: read it again).",
    )
    message = serializers.CharField(help_text="What to fix, in the response's language.")


def _attempt_url(serializer: serializers.Serializer, attempt: Attempt) -> str:
    return reverse("api:my-attempt", kwargs={"attempt_id": attempt.pk},
                   request=serializer.context.get("request"))


# Renders a date and time as every DateTimeField here does (it keeps no state: shared).
_DATETIME = serializers.DateTimeField()


def _markdown_or_none(text: str) -> str | None:
    return render_markdown(text) if text else None


class AttemptOutcomeSerializer(serializers.Serializer):
    """What an answer got: the outcome, what is now due to be shown, and where to go next."""

    recorded = serializers.SerializerMethodField(
        help_text="An attempt was stored. False for an answer that could not be read, for "
                  "one sent after the tries ran out, or for a question changed since shown.",
    )
    attempt = serializers.SerializerMethodField()
    question = serializers.IntegerField(source="snapshot.id", help_text="The question's id.")
    correct = serializers.BooleanField(source="outcome.correct")
    score = serializers.FloatField(
        source="outcome.score",
        help_text="1 for a correct answer; between 0 and 1 for part of a multiple choice "
                  "with partial credit.",
    )
    feedback = serializers.CharField(
        source="outcome.feedback", allow_blank=True,
        help_text="\"You got it right! ...\" or \"That's not right! Try again.\", or the "
                  "question's own words, in the response's language. Empty when the answer "
                  "could not be read (see `format_error`).",
    )
    choice_feedback = serializers.SerializerMethodField()
    explanation = serializers.SerializerMethodField(
        help_text="Markdown; null until due (a correct answer, or enough wrong tries)."
    )
    explanation_html = serializers.SerializerMethodField()
    solution = serializers.SerializerMethodField(
        help_text="The correct answer; null unless the question's policy shows it now."
    )
    format_error = serializers.SerializerMethodField(
        help_text="Set when the answer could not be read: it was not graded and did not "
                  "count as a try. Fix it and send it again, with a new Idempotency-Key."
    )
    repeated = serializers.BooleanField(
        help_text="The same wrong answer as before: stored, but not counted as another try."
    )
    state = serializers.SerializerMethodField()
    answered_at = serializers.SerializerMethodField(
        help_text="When the learner answered (as sent, or when received)."
    )
    received_at = serializers.SerializerMethodField(help_text="When the server graded it.")
    next_lesson = serializers.SerializerMethodField(
        help_text="The lesson after this question's, in reading order; null after the last."
    )

    def get_recorded(self, result: AttemptResult) -> bool:
        return result.attempt is not None

    @extend_schema_field(AttemptReferenceSerializer(allow_null=True))
    def get_attempt(self, result: AttemptResult) -> dict | None:
        if result.attempt is None:
            return None
        return {"id": result.attempt.pk, "url": _attempt_url(self, result.attempt)}

    @extend_schema_field(ChoiceFeedbackSerializer(many=True))
    def get_choice_feedback(self, result: AttemptResult) -> list[dict]:
        return [{"choice": choice, "feedback": text}
                for choice, text in result.outcome.choice_feedback]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_explanation(self, result: AttemptResult) -> str | None:
        return result.outcome.explanation or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_explanation_html(self, result: AttemptResult) -> str | None:
        html = _markdown_or_none(result.outcome.explanation)
        question = self.context.get("question")
        if html is None or 'href="#' not in html or question is None:
            return html
        # Links to the lesson's anchors (#x) go to the lesson's page, as in the lesson detail.
        return render_markdown(result.outcome.explanation, page_url=lesson_page_url(
            self.context.get("request"), question.lesson))

    @extend_schema_field(SolutionSerializer(allow_null=True))
    def get_solution(self, result: AttemptResult) -> dict | None:
        if not result.outcome.solution:
            return None
        return solution_data(result.snapshot, variant_answer(result))

    @extend_schema_field(FormatErrorSerializer(allow_null=True))
    def get_format_error(self, result: AttemptResult) -> dict | None:
        outcome = result.outcome
        if not outcome.format_error:
            return None
        return {"code": outcome.format_error, "message": outcome.format_error_message}

    @extend_schema_field(QuestionStateSerializer)
    def get_state(self, result: AttemptResult) -> dict:
        state = result.state or question_view_state(policy_of(self.context["question"]),
                                                    tries=0, solved=False)
        return state_data(state)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_answered_at(self, result: AttemptResult) -> str | None:
        attempt = result.attempt
        if attempt is None:
            return None
        return _DATETIME.to_representation(attempt.answered_at or attempt.created_at)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_received_at(self, result: AttemptResult) -> str | None:
        attempt = result.attempt
        return None if attempt is None else _DATETIME.to_representation(attempt.created_at)

    @extend_schema_field(LessonSummarySerializer(allow_null=True))
    def get_next_lesson(self, result: AttemptResult) -> dict | None:
        return self.context.get("next_lesson")  # the summary, as the lesson detail shows it

    def to_representation(self, result: AttemptResult) -> dict:
        """Return what the declared fields give, member by member, in their order.

        Every answer sends this body, and DRF's way (deep-copying all the declared fields
        for each serializer, then asking each) costs more than the rest of the response;
        the fields stay declared for the schema. tests/api/test_attempts.py holds the two
        ways equal.
        """
        outcome = result.outcome
        return {
            "recorded": self.get_recorded(result),
            "attempt": self.get_attempt(result),
            "question": _or_none(int, result.snapshot.id),
            "correct": _or_none(bool, outcome.correct),
            "score": _or_none(float, outcome.score),
            "feedback": _or_none(str, outcome.feedback),
            "choice_feedback": self.get_choice_feedback(result),
            "explanation": self.get_explanation(result),
            "explanation_html": self.get_explanation_html(result),
            "solution": self.get_solution(result),
            "format_error": self.get_format_error(result),
            "repeated": _or_none(bool, result.repeated),
            "state": self.get_state(result),
            "answered_at": self.get_answered_at(result),
            "received_at": self.get_received_at(result),
            "next_lesson": self.get_next_lesson(result),
        }


def _or_none(convert, value):
    """As a declared field renders an attribute: None stays None (DRF skips the field)."""
    return None if value is None else convert(value)


def variant_answer(result: AttemptResult) -> grading.VariantAnswer | None:
    """Return the variant the answer was graded against (also for a replayed attempt)."""
    if result.variant is not None:
        return result.variant.answer
    stored = result.attempt.snapshot.get("variant") if result.attempt else None
    if not stored:
        return None
    return grading.VariantAnswer(**{**stored,
                                    "correct_choices": tuple(stored["correct_choices"])})


class QuestionReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.SlugField()
    lesson = LessonReferenceSerializer()


class AttemptSerializer(serializers.ModelSerializer):
    """One of the learner's attempts, as graded when it arrived (later edits change nothing)."""

    url = serializers.SerializerMethodField(help_text="This attempt.")
    question = QuestionReferenceSerializer()
    answer = serializers.JSONField(
        help_text="The answer as graded: the sorted choice ids, or the number."
    )
    correct = serializers.BooleanField(source="is_correct")
    feedback = serializers.SerializerMethodField(help_text="As shown when it was graded.")
    explanation = serializers.SerializerMethodField(
        help_text="Markdown, as shown when it was graded; null if it was not due then."
    )
    solution = serializers.SerializerMethodField(
        help_text="The correct answer as shown when it was graded; null if it was not due."
    )
    answered_at = serializers.SerializerMethodField(
        help_text="When the learner answered (as the app sent it, or when it arrived)."
    )
    received_at = serializers.DateTimeField(source="created_at",
                                            help_text="When the server graded it.")

    class Meta:
        model = Attempt
        fields = ["id", "url", "question", "answer", "answer_text", "correct", "score",
                  "counts_as_try", "feedback", "explanation", "solution", "language",
                  "answered_at", "received_at", "needs_review"]

    def get_url(self, attempt: Attempt) -> str:
        return _attempt_url(self, attempt)

    def _outcome(self, attempt: Attempt) -> dict:
        return attempt.snapshot.get("outcome") or {}

    def get_feedback(self, attempt: Attempt) -> str:
        return self._outcome(attempt).get("feedback", "")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_explanation(self, attempt: Attempt) -> str | None:
        return self._outcome(attempt).get("explanation") or None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_solution(self, attempt: Attempt) -> str | None:
        return self._outcome(attempt).get("solution") or None

    @extend_schema_field(serializers.DateTimeField())
    def get_answered_at(self, attempt: Attempt) -> str:
        return serializers.DateTimeField().to_representation(
            attempt.answered_at or attempt.created_at)
