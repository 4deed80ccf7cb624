"""The API's lesson as a learner meets it: the lesson with their questions, its offline
package, its questions alone, and answering one.

The lesson detail is served from the cache (``classroom.api_cache``): warm, it is one
round trip to the cache and no SQL; cold, one query for the lesson, one per neighbour
and a fixed few for its questions (tests/api/test_query_counts.py). Answering calls
:func:`quizzes.services.record_attempt`, the function the web page calls, through
:func:`quizzes.idempotency.respond_once`, which makes a retried request (same
``Idempotency-Key``) record nothing new and get the first response again.
"""

from __future__ import annotations

from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.conditional import (
    ETAG,
    IF_NONE_MATCH,
    NOT_MODIFIED,
    PER_LEARNER_VARY,
    VARY,
    conditional_json,
    conditional_response,
)
from api.pagination import PageNumberPagination
from api.schema import ProblemSerializer
from api.throttling import ScopedRateThrottle, read_with_throttle, refund_throttles
from course.api_views import COURSE_SLUG, LESSON_SLUG
from course.navigation import next_lesson
from course.serializers import LessonSummarySerializer
from quizzes import idempotency
from quizzes.answer_serializers import AnswerSerializer, plain_answer
from quizzes.attempt_serializers import AttemptOutcomeSerializer
from quizzes.models import Question
from quizzes.serializers import QuestionSerializer
from quizzes.services import record_attempt
from quizzes.snapshot_memo import SnapshotMemo
from storage.moment import one_moment

from .api_cache import CONTENT_GENERATION_KEY, cached_content, learner_renewed_after, served_lesson
from .offline import lesson_package
from .serializers import LessonDetailSerializer, LessonPackageSerializer

QUESTION_ID = OpenApiParameter("question_id", int, OpenApiParameter.PATH,
                               description="The question's `id`, as the lesson lists it.")
IDEMPOTENCY_KEY = OpenApiParameter(
    idempotency.HEADER, {"type": "string", "minLength": 1, "maxLength": 66,
                         "pattern": idempotency.KEY_PATTERN}, OpenApiParameter.HEADER,
    description="A new unique key (a UUID) per answer; send the same key again when "
                "retrying the same request (a dropped connection, an answer given offline): "
                "it is recorded once and the first response comes back. 1 to 64 printable "
                "ASCII characters; a quoted structured-field string is accepted. Kept 24 "
                "hours per learner. Optional, but without it a retry is another attempt.",
)
REPLAYED = OpenApiParameter(
    idempotency.REPLAYED_HEADER, str, OpenApiParameter.HEADER, response=[200, 201],
    enum=["true"],
    description="`true` on the stored response to an earlier request with the same key.",
)
# The cached entry of the question an answer is for; renamed when its value changes shape
# (entries cached by the previous release are then not read).
ANSWERED_QUESTION = "answered-question-with-snapshots"
LOCATION = OpenApiParameter("Location", str, OpenApiParameter.HEADER, response=[201],
                            description="The recorded attempt, among the learner's own.")


@extend_schema(
    tags=["lessons"], summary="A lesson to read",
    description="The lesson's text in Markdown and in sanitized HTML, its figures (image "
                "URL and alt text), its questions as this learner sees them, reading time, "
                "and the lessons before and after it. Works without a token (questions then "
                "show the variant every anonymous reader gets, and no state). The body "
                "depends on the learner: responses vary on Authorization (and Cookie). "
                "Send the ETag back in If-None-Match to get 304 when nothing changed; it "
                "changes with the learner's state too (an answer, a try).",
    parameters=[COURSE_SLUG, LESSON_SLUG, IF_NONE_MATCH, ETAG, VARY],
    responses={
        200: OpenApiResponse(LessonDetailSerializer, description="The lesson."),
        304: NOT_MODIFIED,
    },
)
class LessonDetailView(generics.GenericAPIView):
    serializer_class = LessonDetailSerializer

    def get(self, request, course_slug: str, lesson_slug: str):
        served = served_lesson(request, course_slug=course_slug, lesson_slug=lesson_slug)
        return conditional_json(request, body=served.json, data=lambda: served.data,
                                etag=served.etag, vary=PER_LEARNER_VARY)


@extend_schema(
    tags=["lessons"], summary="Download a lesson to use offline",
    description="One JSON document with everything needed to read the lesson and answer "
                "its questions without a connection: the lesson detail (text in Markdown "
                "and HTML, figures, questions in the learner's variant, never with answers "
                "not yet due) and each figure's PNG embedded in base64. Answer offline, then "
                "POST each answer when back online with its own Idempotency-Key, its "
                "`answered_at` and the question's `shown` token: it is graded on arrival, "
                "exactly as if it had been sent then. Vary and ETag as the lesson detail.",
    parameters=[COURSE_SLUG, LESSON_SLUG, IF_NONE_MATCH, ETAG, VARY],
    responses={
        200: OpenApiResponse(LessonPackageSerializer, description="The package."),
        304: NOT_MODIFIED,
    },
)
class LessonPackageView(generics.GenericAPIView):
    serializer_class = LessonPackageSerializer

    def get(self, request, course_slug: str, lesson_slug: str):
        package, etag = lesson_package(request, course_slug=course_slug,
                                       lesson_slug=lesson_slug)
        return conditional_response(request, package, etag, vary=PER_LEARNER_VARY)


@extend_schema(
    tags=["questions"], summary="A lesson's questions",
    description="The lesson's published questions in order, as in the lesson's `questions`: "
                "the learner's variant (its values in the prompt), the options (never which "
                "is correct), the learner's tries, and the explanation and solution only once "
                "due. Anonymous readers get the variant every anonymous reader gets and no "
                "state. Responses vary on Authorization (and Cookie).",
    parameters=[COURSE_SLUG, LESSON_SLUG],
    responses={200: OpenApiResponse(QuestionSerializer(many=True),
                                    description="A page of questions, in the lesson's order.")},
)
class LessonQuestionListView(generics.ListAPIView):
    serializer_class = QuestionSerializer
    pagination_class = PageNumberPagination

    def list(self, request, course_slug: str, lesson_slug: str):
        # Serialized already, and cached with the lesson (classroom.api_cache).
        questions = served_lesson(request, course_slug=course_slug,
                                  lesson_slug=lesson_slug).questions
        response = self.get_paginated_response(self.paginate_queryset(questions))
        patch_vary_headers(response, PER_LEARNER_VARY)
        return response


@extend_schema(
    tags=["attempts"], summary="Answer a question",
    description="Grade the answer with the same function as the web page and record it as "
                "the learner's attempt. The response says whether it was right, the "
                "feedback, the explanation and the solution when due, the tries left, and "
                "the next lesson. 201 when an attempt was recorded; 200 when the answer "
                "could not be read (`format_error`; it does not count as a try), when no "
                "tries are left, or when the question changed since it was shown. Only "
                "`answer`, `answered_at` and `shown` are read from the body: the score, the "
                "outcome and the learner are the server's. Needs a token (401 otherwise). "
                "Send an `Idempotency-Key`: a retry with the same key and body records "
                "nothing new and gets the first response (`Idempotent-Replayed: true`); "
                "the same key with another body is a 422, and while the first request is "
                "still being answered a 409. Throttled per learner (scope `attempts`).",
    parameters=[QUESTION_ID, IDEMPOTENCY_KEY, REPLAYED, LOCATION],
    request=AnswerSerializer,
    responses={
        201: OpenApiResponse(AttemptOutcomeSerializer, description="Graded and recorded."),
        200: OpenApiResponse(AttemptOutcomeSerializer,
                             description="Not recorded: see `format_error`, or no tries left."),
        409: OpenApiResponse(ProblemSerializer, description="A request with this "
                             "Idempotency-Key is still being answered; retry in a moment."),
        422: OpenApiResponse(ProblemSerializer, description="This Idempotency-Key was used "
                             "with a different request (another body or URL)."),
    },
)
class AttemptCreateView(generics.GenericAPIView):
    serializer_class = AnswerSerializer
    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "attempts"
    # Read in the throttle's round trip to the cache: get_object needs it on every answer.
    read_with_throttle = (CONTENT_GENERATION_KEY,)
    problem_examples = (idempotency.KeyInUse, idempotency.KeyReused)  # for the schema

    def post(self, request, question_id: int):
        key = idempotency.parse_key(request.headers.get(idempotency.HEADER))
        answer = plain_answer(request.data)
        if answer is None:  # an offline answer's time, or an error to tell
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            answer = serializer.validated_data
        question, following, snapshots = self.get_object()
        fingerprint = idempotency.request_fingerprint(
            method=request.method, path=request.path, body=request.data)
        with learner_renewed_after():  # respond_once commits the answer
            stored = idempotency.respond_once(
                user=request.user, key=key, fingerprint=fingerprint,
                respond=lambda: self.answer(question, following, snapshots, answer, key),
            )
        headers = dict(stored.headers)
        if stored.replayed:
            headers[idempotency.REPLAYED_HEADER] = "true"
        return Response(stored.body, status=stored.status, headers=headers)

    def finalize_response(self, request, response, *args, **kwargs):
        # A retry is not a new answer: replays and 409s leave the learner's allowance alone.
        if response.status_code == 409 or response.get(idempotency.REPLAYED_HEADER):
            refund_throttles(request)
        return super().finalize_response(request, response, *args, **kwargs)

    def get_object(self) -> tuple[Question, dict | None, SnapshotMemo]:
        """Return the published question (with its lesson and choices), the summary of
        the lesson after its own, from the cache: every answer needs both; and the
        question's snapshots, made once while it is kept."""
        request, question_id = self.request, self.kwargs["question_id"]

        def load():
            with one_moment():  # the question and its choices of one version
                question = Question.objects.published().filter(pk=question_id).select_related(
                    "lesson__chapter", "lesson__course").prefetch_related("choices").first()
            if question is None:
                return None
            following = next_lesson(question.lesson)
            summary = LessonSummarySerializer(following, context={"request": request}).data
            return question, dict(summary) if following else None, SnapshotMemo()

        found = cached_content(
            ANSWERED_QUESTION, question_id, request.build_absolute_uri("/"), get_language(),
            build=load, content_generation=read_with_throttle(request,
                                                              CONTENT_GENERATION_KEY))
        if found is None:
            raise NotFound
        return found

    def answer(self, question: Question, following: dict | None, snapshots: SnapshotMemo,
               answer: dict, key: str) -> idempotency.StoredResponse:
        language = get_language()
        result = record_attempt(
            question=question, user=self.request.user, answer=answer["answer"],
            language=language, answer_text=answer["answer"] if isinstance(
                answer["answer"], str) else "",
            idempotency_key=key, shown_token=answer.get("shown") or None,
            answered_at=answer.get("answered_at"), snapshots=snapshots,
        )
        context = {**self.get_serializer_context(), "question": question,
                   "next_lesson": following}
        body = AttemptOutcomeSerializer(result, context=context).data
        headers = {"Content-Language": language}
        if result.attempt is None or result.replayed:
            return idempotency.StoredResponse(status.HTTP_200_OK, body, headers,
                                              replayed=result.replayed)
        headers["Location"] = body["attempt"]["url"]
        return idempotency.StoredResponse(status.HTTP_201_CREATED, body, headers)
