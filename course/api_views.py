"""The API's courses and the lessons' figures: configuration only; the serializers say
what is shown.

Each view reads with a fixed number of queries whatever the size of the course
(tests/api/test_query_counts.py): a course's table of contents is one query per level.
A lesson as a learner reads it, with their questions, is ``classroom.api_views``.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound

from api.conditional import (
    ETAG,
    IF_NONE_MATCH,
    NOT_MODIFIED,
    ConditionalRetrieveMixin,
)
from api.pagination import PageNumberPagination
from simulations.api_views import (
    ALT_TEXT,
    FORMAT,
    IMAGES,
    LAYOUT,
    SimulationAPIView,
    check_format,
    image_response,
    query_layout,
)

from .lesson_figures import plan_lesson_figure
from .models import Chapter, Course, Lesson
from .serializers import (
    CourseDetailSerializer,
    CourseSummarySerializer,
)

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


class LessonFigureView(SimulationAPIView):
    """A figure of a lesson, drawn and served as every simulation plot is (ETag, caching)."""

    @extend_schema(
        tags=["simulations"], summary="Draw a figure declared by a lesson",
        description="A figure compares one or more results of one simulation, as the "
                    "lesson's `figures` declare it. `fmt` is `png` or `svg`.",
        parameters=[FORMAT, LAYOUT, IF_NONE_MATCH, ETAG, ALT_TEXT],
        responses={**IMAGES, 304: NOT_MODIFIED},
    )
    def get(self, request, course_slug: str, lesson_slug: str, name: str, fmt: str):
        check_format(fmt)
        planned = plan_lesson_figure(
            course_slug=course_slug, lesson_slug=lesson_slug, name=name,
            language=translation.get_language(), fmt=fmt, layout=query_layout(request))
        if planned is None:
            raise NotFound(_("This lesson has no figure named “%(name)s”.") % {"name": name})
        return image_response(request, planned)
