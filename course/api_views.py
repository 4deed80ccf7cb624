"""The API's courses and lessons, and the lessons' figures: configuration only; the
serializers say what is shown.

Each view reads with a fixed number of queries whatever the size of the course
(tests/api/test_query_counts.py): a course's table of contents is one query per level;
a lesson is served from the cache (``course.api_cache``), and otherwise read with one
query for itself, one per neighbour and a fixed few for its questions.
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
    PER_LEARNER_VARY,
    VARY,
    ConditionalRetrieveMixin,
    conditional_json,
    conditional_response,
)
from api.pagination import PageNumberPagination
from simulations.api_views import ALT_TEXT, IMAGES, SimulationAPIView, check_format, image_response

from .api_cache import served_lesson
from .lesson_figures import plan_lesson_figure
from .models import Chapter, Course, Lesson
from .offline import lesson_package
from .serializers import (
    CourseDetailSerializer,
    CourseSummarySerializer,
    LessonDetailSerializer,
    LessonPackageSerializer,
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


class LessonFigureView(SimulationAPIView):
    """A figure of a lesson, drawn and served as every simulation plot is (ETag, caching)."""

    @extend_schema(
        tags=["simulations"], summary="Draw a figure declared by a lesson",
        description="A figure compares one or more results of one simulation, as the "
                    "lesson's `figures` declare it. `fmt` is `png` or `svg`.",
        parameters=[IF_NONE_MATCH, ETAG, ALT_TEXT],
        responses={**IMAGES, 304: NOT_MODIFIED},
    )
    def get(self, request, course_slug: str, lesson_slug: str, name: str, fmt: str):
        check_format(fmt)
        planned = plan_lesson_figure(
            course_slug=course_slug, lesson_slug=lesson_slug, name=name,
            language=translation.get_language(), fmt=fmt)
        if planned is None:
            raise NotFound(_("This lesson has no figure named “%(name)s”.") % {"name": name})
        return image_response(request, planned)
