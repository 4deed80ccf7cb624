"""The API's "me" routes: the learner's progress, reporting a lesson read, certificates.

Configuration and one call each: the numbers come from :func:`progress.learner_progress.
learner_progress`, the writes from :mod:`progress.services`, as on the web pages.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.pagination import PageNumberPagination
from course.models import Course, Lesson

from .learner_progress import learner_progress
from .serializers import CertificateSerializer, CourseProgressSerializer, LessonProgressSerializer
from .services import mark_lesson_read

COURSE_SLUG = OpenApiParameter("course_slug", str, OpenApiParameter.PATH,
                               description="The course's slug, e.g. `redes-neurais`.")
LESSON_SLUG = OpenApiParameter("lesson_slug", str, OpenApiParameter.PATH,
                               description="The lesson's slug within its course.")


class LearnerView(generics.GenericAPIView):
    """Base of the learner's own routes: a token (or a session) is required."""

    permission_classes = [IsAuthenticated]

    def published_courses(self):
        return Course.objects.filter(is_published=True).order_by("order", "slug")


@extend_schema(
    tags=["progress"], summary="My progress in every course",
    description="Per course: lessons completed and not, percent, the lesson to continue "
                "with, first-try accuracy, the certificate's status, and each chapter's "
                "progress. The same numbers as the web page `/<lang>/me/`.",
    responses={200: OpenApiResponse(CourseProgressSerializer(many=True),
                                    description="A page of courses, in catalogue order.")},
)
class MyProgressListView(LearnerView, generics.ListAPIView):
    serializer_class = CourseProgressSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self):
        return self.published_courses()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        progress = learner_progress(user=request.user, courses=page)
        return self.get_paginated_response(self.get_serializer(progress, many=True).data)


@extend_schema(
    tags=["progress"], summary="My progress in one course",
    parameters=[COURSE_SLUG],
    responses={200: OpenApiResponse(CourseProgressSerializer, description="The course's "
                                                                          "progress.")},
)
class MyCourseProgressView(LearnerView):
    serializer_class = CourseProgressSerializer

    def get(self, request, course_slug: str):
        course = get_object_or_404(self.published_courses(), slug=course_slug)
        [progress] = learner_progress(user=request.user, courses=[course])
        return Response(self.get_serializer(progress).data)


@extend_schema(
    tags=["progress"], summary="Report a lesson read",
    description="Idempotent: the first time records when the lesson was read; repeating it "
                "(a retry from the app) changes nothing and answers the same. Reading "
                "completes a lesson without questions. No request body.",
    parameters=[COURSE_SLUG, LESSON_SLUG], request=None,
    responses={200: OpenApiResponse(LessonProgressSerializer,
                                    description="The learner's progress in the lesson.")},
)
class LessonReadView(LearnerView):
    serializer_class = LessonProgressSerializer

    def get_object(self) -> Lesson:
        # Also what OPTIONS (the browsable API's form) reads: no queryset of its own.
        return get_object_or_404(
            Lesson.objects.select_related("chapter", "course"),
            course__slug=self.kwargs["course_slug"], course__is_published=True,
            slug=self.kwargs["lesson_slug"],
        )

    def put(self, request, course_slug: str, lesson_slug: str):
        progress = mark_lesson_read(user=request.user, lesson=self.get_object())
        return Response(self.get_serializer(progress).data)


@extend_schema(
    tags=["progress"], summary="My certificates",
    description="Every certificate issued to the learner, newest first, with the public "
                "verification URL and the PDF's URL (both in the request's language).",
    responses={200: OpenApiResponse(CertificateSerializer(many=True),
                                    description="A page of certificates.")},
)
class MyCertificateListView(LearnerView, generics.ListAPIView):
    serializer_class = CertificateSerializer
    pagination_class = PageNumberPagination

    def get_queryset(self):
        return self.request.user.certificates.select_related("course").order_by(
            "-issued_at", "-id"
        )
