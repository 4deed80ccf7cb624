"""The API's courses and lessons: configuration only; the serializers say what is shown.

Each view reads with a fixed number of queries whatever the size of the course
(tests/api/test_query_counts.py): a course's table of contents is one query per level,
a lesson is one query for itself and one per neighbour.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics

from config.api_conditional import ETAG, IF_NONE_MATCH, NOT_MODIFIED, ConditionalRetrieveMixin
from config.api_pagination import PageNumberPagination

from .models import Chapter, Course, Lesson
from .serializers import CourseDetailSerializer, CourseSummarySerializer, LessonDetailSerializer

COURSE_SLUG = OpenApiParameter("course_slug", str, OpenApiParameter.PATH,
                               description="The course's slug, e.g. `redes-neurais`.")
LESSON_SLUG = OpenApiParameter("lesson_slug", str, OpenApiParameter.PATH,
                               description="The lesson's slug within its course.")


def lesson_summaries():
    """Lessons as tables of contents list them: without their text, in every language."""
    text_fields = [field.name for field in Lesson._meta.concrete_fields
                   if field.name.startswith("body")]
    return Lesson.objects.select_related("course").defer(*text_fields).in_reading_order()


@extend_schema(
    tags=["courses"], summary="List the courses",
    description="Published courses, in the order the catalogue shows them.",
    responses={200: OpenApiResponse(CourseSummarySerializer, description="A page of courses.")},
)
class CourseListView(generics.ListAPIView):
    serializer_class = CourseSummarySerializer
    pagination_class = PageNumberPagination
    queryset = (
        Course.objects.filter(is_published=True)
        .annotate(lesson_count=Count("lessons"))
        .order_by("order", "slug")
    )


@extend_schema(
    tags=["courses"], summary="A course's table of contents",
    description="The course with its chapters and each chapter's lessons, in reading order. "
                "Send the ETag back in If-None-Match to get 304 when nothing changed.",
    parameters=[COURSE_SLUG, IF_NONE_MATCH, ETAG],
    responses={
        200: OpenApiResponse(CourseDetailSerializer, description="The course's contents."),
        304: NOT_MODIFIED,
    },
)
class CourseDetailView(ConditionalRetrieveMixin, generics.RetrieveAPIView):
    serializer_class = CourseDetailSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "course_slug"
    queryset = Course.objects.filter(is_published=True).prefetch_related(
        Prefetch(
            "chapters",
            queryset=Chapter.objects.order_by("number").prefetch_related(
                Prefetch("lessons", queryset=lesson_summaries())
            ),
        )
    )


@extend_schema(
    tags=["lessons"], summary="A lesson to read",
    description="The lesson's text in Markdown and in sanitized HTML, its figures (image "
                "URL and alt text), reading time, and the lessons before and after it. "
                "Send the ETag back in If-None-Match to get 304 when nothing changed.",
    parameters=[COURSE_SLUG, LESSON_SLUG, IF_NONE_MATCH, ETAG],
    responses={
        200: OpenApiResponse(LessonDetailSerializer, description="The lesson."),
        304: NOT_MODIFIED,
    },
)
class LessonDetailView(ConditionalRetrieveMixin, generics.RetrieveAPIView):
    serializer_class = LessonDetailSerializer
    lookup_field = "slug"
    lookup_url_kwarg = "lesson_slug"
    queryset = Lesson.objects.select_related("chapter", "course").filter(
        course__is_published=True
    )

    def get_queryset(self):
        return super().get_queryset().filter(course__slug=self.kwargs["course_slug"])
