"""The chapter exam in the API (for the mobile app): the exam, starting or continuing an
attempt, answering, submitting, and the learner's attempts with their scores.

Configuration and one call each: the rules are :mod:`exams.services`, as on the web page.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.pagination import PageNumberPagination
from api.schema import ProblemSerializer
from course.api_views import COURSE_SLUG
from quizzes import grading

from .models import Exam, ExamAttempt
from .serializers import (
    AttemptDetailSerializer,
    AttemptSummarySerializer,
    ExamAnswerSerializer,
    ExamQuestionSerializer,
    ExamSerializer,
)
from .services import AttemptClosed, save_answer, start_attempt, submit_attempt
from .sheet import attempt_sheet

CHAPTER_SLUG = OpenApiParameter("chapter_slug", str, OpenApiParameter.PATH,
                                description="The chapter's slug, e.g. `backpropagation`.")
NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH,
                          description="The attempt's number (1 for the first).")
POSITION = OpenApiParameter("position", int, OpenApiParameter.PATH,
                            description="The question's position in the attempt.")


class AttemptSubmitted(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This attempt was handed in: its answers can no longer change.")
    default_code = "attempt_submitted"


class ExamView(generics.GenericAPIView):
    """Base of the exam's routes: the published exam of the URL's chapter."""

    def get_exam(self) -> Exam:
        return get_object_or_404(
            Exam.objects.select_related("chapter__course"), is_published=True,
            chapter__slug=self.kwargs["chapter_slug"],
            chapter__course__slug=self.kwargs["course_slug"], chapter__course__is_published=True,
        )

    def get_object(self) -> Exam:
        # What OPTIONS (the browsable API's form) reads: the views have no queryset.
        return self.get_exam()

    def get_attempt(self) -> ExamAttempt:
        return get_object_or_404(ExamAttempt.objects.select_related("exam__chapter__course"),
                                 exam=self.get_exam(), user=self.request.user,
                                 number=self.kwargs["number"])

    def detail(self, attempt: ExamAttempt, status_code: int = status.HTTP_200_OK) -> Response:
        attempt.sheet = attempt_sheet(attempt, get_language())
        data = AttemptDetailSerializer(attempt, context=self.get_serializer_context()).data
        return Response(data, status=status_code)


@extend_schema(
    tags=["exams"], summary="A chapter's exam",
    description="What the exam is: title, introduction, page, pass mark and how many "
                "questions an attempt asks. Open to everyone.",
    parameters=[COURSE_SLUG, CHAPTER_SLUG],
    responses={200: OpenApiResponse(ExamSerializer, description="The exam.")},
)
class ExamDetailView(ExamView):
    serializer_class = ExamSerializer

    def get(self, request, course_slug: str, chapter_slug: str):
        return Response(self.get_serializer(self.get_exam()).data)


@extend_schema(tags=["exams"], parameters=[COURSE_SLUG, CHAPTER_SLUG])
class AttemptListView(ExamView, generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = AttemptSummarySerializer
    pagination_class = PageNumberPagination

    def get_queryset(self):
        return ExamAttempt.objects.filter(exam=self.get_exam(), user=self.request.user
                                          ).order_by("-number")

    @extend_schema(
        summary="My attempts at the exam",
        description="The learner's attempts, newest first, with their scores (null while "
                    "open).",
        responses={200: OpenApiResponse(AttemptSummarySerializer(many=True),
                                        description="A page of attempts.")},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    @extend_schema(
        summary="Start or continue an attempt",
        description="Return the learner's open attempt (200) or, when none is open, start "
                    "a new one with a new draw of questions and values (201): a retake is "
                    "possible only once the previous attempt is submitted. No request body. "
                    "Its questions come without any sign of the right answer.",
        request=None,
        responses={201: OpenApiResponse(AttemptDetailSerializer, description="Started."),
                   200: OpenApiResponse(AttemptDetailSerializer,
                                        description="The open attempt, continued.")},
    )
    def post(self, request, course_slug: str, chapter_slug: str):
        attempt, created = start_attempt(exam=self.get_exam(), user=request.user,
                                         language=get_language())
        return self.detail(attempt, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(
    tags=["exams"], summary="One of my attempts",
    description="The attempt's questions (in this language) with the saved answers; once "
                "submitted, each question's result, correct answer and explanation.",
    parameters=[COURSE_SLUG, CHAPTER_SLUG, NUMBER],
    responses={200: OpenApiResponse(AttemptDetailSerializer, description="The attempt.")},
)
class AttemptDetailView(ExamView):
    permission_classes = [IsAuthenticated]
    serializer_class = AttemptDetailSerializer

    def get(self, request, course_slug: str, chapter_slug: str, number: int):
        return self.detail(self.get_attempt())


@extend_schema(
    tags=["exams"], summary="Answer a question of an open attempt",
    description="Save (or change, or clear with null) the answer; nothing is graded until "
                "the attempt is submitted. An answer that cannot be read is a 400 problem "
                "whose `errors` name the field `answer`, in the request's language. 409 once "
                "the attempt is submitted. Repeating the same request changes nothing more.",
    parameters=[COURSE_SLUG, CHAPTER_SLUG, NUMBER, POSITION],
    request=ExamAnswerSerializer,
    responses={200: OpenApiResponse(ExamQuestionSerializer, description="Saved."),
               409: OpenApiResponse(ProblemSerializer, description="Already submitted.")},
)
class AnswerView(ExamView):
    permission_classes = [IsAuthenticated]
    serializer_class = ExamAnswerSerializer
    problem_examples = (AttemptSubmitted,)

    def put(self, request, course_slug: str, chapter_slug: str, number: int, position: int):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attempt = self.get_attempt()
        item = get_object_or_404(attempt.items.select_related("question__lesson__course"),
                                 position=position)
        language = get_language()
        try:
            save_answer(item=item, user=request.user, language=language,
                        answer=serializer.validated_data["answer"])
        except AttemptClosed:
            raise AttemptSubmitted from None
        except grading.FormatError as error:
            message = grading.text(language, error.code, **error.values)
            raise exceptions.ValidationError({"answer": [message]}, code=error.code) from None
        [shown] = [entry for entry in attempt_sheet(attempt, language)
                   if entry.position == position]
        return Response(ExamQuestionSerializer(shown, context=self.get_serializer_context()).data)


@extend_schema(
    tags=["exams"], summary="Submit an attempt",
    description="Hand the attempt in: every question is graded once (blank ones score 0), "
                "the score and whether it passed are recorded, and the results come back. "
                "Idempotent: submitting again returns the same result. Passing the exam with "
                "every lesson completed issues the course's certificate. No request body.",
    parameters=[COURSE_SLUG, CHAPTER_SLUG, NUMBER], request=None,
    responses={200: OpenApiResponse(AttemptDetailSerializer, description="The result.")},
)
class SubmitView(ExamView):
    permission_classes = [IsAuthenticated]
    serializer_class = AttemptDetailSerializer

    def post(self, request, course_slug: str, chapter_slug: str, number: int):
        return self.detail(submit_attempt(attempt=self.get_attempt(), user=request.user))
