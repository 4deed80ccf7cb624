"""Courses and lessons as the app reads them, every text in the request's language.

Fields are listed one by one, in the order the app shows them; nothing is exposed
because a model happens to have it.
"""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from quizzes.serializers import QuestionSerializer

from .figures import embed_figures, figure_context
from .models import Chapter, Course, Lesson
from .navigation import next_lesson, previous_lesson

NUMBER_HELP = 'As the book numbers it: "18.8".'


def course_url_field() -> serializers.HyperlinkedIdentityField:
    return serializers.HyperlinkedIdentityField(
        view_name="api:course-detail", lookup_field="slug", lookup_url_kwarg="course_slug",
        help_text="The course, with its chapters and lessons, in the API.",
    )


class LessonSummarySerializer(serializers.ModelSerializer):
    """A lesson as lists and links show it: "18.9 Weight initialization · p. 55 · 4 min"."""

    number = serializers.CharField(source="full_number", help_text=NUMBER_HELP)
    reading_minutes = serializers.IntegerField(help_text="Estimated reading time, in minutes.")
    url = serializers.SerializerMethodField(help_text="The lesson in the API.")

    class Meta:
        model = Lesson
        fields = ["number", "slug", "title", "page", "reading_minutes", "url"]

    def get_url(self, lesson: Lesson) -> str:
        return reverse(
            "api:lesson-detail", request=self.context.get("request"),
            kwargs={"course_slug": lesson.course.slug, "lesson_slug": lesson.slug},
        )


class ChapterSerializer(serializers.ModelSerializer):
    lessons = LessonSummarySerializer(many=True, read_only=True, help_text="In reading order.")

    class Meta:
        model = Chapter
        fields = ["number", "slug", "title", "lessons"]


class ChapterReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Chapter
        fields = ["number", "slug", "title"]


class CourseSummarySerializer(serializers.ModelSerializer):
    """A course in the list of courses."""

    lesson_count = serializers.IntegerField(read_only=True)
    url = course_url_field()

    class Meta:
        model = Course
        fields = ["slug", "title", "summary", "lesson_count", "url"]


class CourseReferenceSerializer(serializers.ModelSerializer):
    url = course_url_field()

    class Meta:
        model = Course
        fields = ["slug", "title", "url"]


# A lesson named where another answer points at it (the lesson to continue with). No
# docstring: drf-spectacular would publish it, and the schema says what it always said.
class LessonReferenceSerializer(serializers.Serializer):
    number = serializers.CharField(source="full_number", help_text=NUMBER_HELP)
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField(help_text="The lesson in the API.")
    web_url = serializers.SerializerMethodField(help_text="The lesson's web page.")

    def get_url(self, lesson: Lesson) -> str:
        return reverse("api:lesson-detail", request=self.context.get("request"),
                       kwargs={"course_slug": lesson.course.slug, "lesson_slug": lesson.slug})

    def get_web_url(self, lesson: Lesson) -> str:
        request = self.context.get("request")
        path = lesson.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class CourseDetailSerializer(serializers.ModelSerializer):
    """A course's table of contents: its chapters and their lessons, in reading order."""

    url = course_url_field()
    web_url = serializers.SerializerMethodField(help_text="The course's web page.")
    chapters = ChapterSerializer(many=True, read_only=True)

    class Meta:
        model = Course
        fields = ["slug", "title", "summary", "url", "web_url", "chapters"]

    def get_web_url(self, course: Course) -> str:
        return self.context["request"].build_absolute_uri(course.get_absolute_url())


class FigureSerializer(serializers.Serializer):
    """A simulation plot the lesson shows, with the text that stands in for it."""

    name = serializers.CharField(help_text="Where the Markdown body places it: [[figure:name]].")
    url = serializers.URLField(help_text="The image.")
    alt = serializers.CharField(help_text="What the plot shows, for screen readers.")
    caption = serializers.CharField(allow_blank=True)
    width = serializers.IntegerField(allow_null=True, help_text="Pixels, when known.")
    height = serializers.IntegerField(allow_null=True, help_text="Pixels, when known.")


class LessonDetailSerializer(serializers.ModelSerializer):
    """A lesson to read: its text (Markdown and sanitized HTML), figures, questions, neighbours.

    ``questions`` are the lesson's questions as this learner may see them, never with
    their answers before they are due (docs/api.md, "Questions"). The view serves this
    body through ``course.api_cache``, which serializes the questions on their own.
    """

    number = serializers.CharField(source="full_number", help_text=NUMBER_HELP)
    chapter = ChapterReferenceSerializer(read_only=True)
    course = CourseReferenceSerializer(read_only=True)
    reading_minutes = serializers.IntegerField(help_text="Estimated reading time, in minutes.")
    body_markdown = serializers.CharField(
        source="body",
        help_text="The text as written: a figure is a line [[figure:name]], math is TeX "
                  "between $ signs.",
    )
    body_html = serializers.SerializerMethodField(
        help_text="The text rendered and sanitized, each figure in place as a <figure>. "
                  "Relative URLs resolve against the API's origin.",
    )
    figures = serializers.SerializerMethodField()
    questions = QuestionSerializer(
        many=True, read_only=True,
        help_text="The lesson's published questions in order, as this learner sees them: "
                  "their variant, their state, and answers only once due.",
    )
    previous = serializers.SerializerMethodField(help_text="The lesson before, in reading order.")
    next = serializers.SerializerMethodField(help_text="The lesson after, in reading order.")
    web_url = serializers.SerializerMethodField(help_text="The lesson's web page.")

    class Meta:
        model = Lesson
        fields = [
            "number", "slug", "page", "title", "summary", "chapter", "course",
            "reading_minutes", "body_markdown", "body_html", "figures", "questions",
            "previous", "next", "web_url",
        ]

    def get_body_html(self, lesson: Lesson) -> str:
        return embed_figures(lesson, lesson.body_html, get_language())

    @extend_schema_field(FigureSerializer(many=True))
    def get_figures(self, lesson: Lesson) -> list[dict]:
        request = self.context["request"]
        figures = []
        for spec in lesson.figures:
            figure = figure_context(lesson, spec.get("name"), get_language())
            if figure is not None:
                figures.append({
                    "name": spec["name"], "url": request.build_absolute_uri(figure["url"]),
                    "alt": figure["alt"], "caption": figure.get("caption") or "",
                    "width": figure.get("width"), "height": figure.get("height"),
                })
        return FigureSerializer(figures, many=True).data

    @extend_schema_field(LessonSummarySerializer(allow_null=True))
    def get_previous(self, lesson: Lesson) -> dict | None:
        return self._summary(previous_lesson(lesson))

    @extend_schema_field(LessonSummarySerializer(allow_null=True))
    def get_next(self, lesson: Lesson) -> dict | None:
        return self._summary(next_lesson(lesson))

    def get_web_url(self, lesson: Lesson) -> str:
        return self.context["request"].build_absolute_uri(lesson.get_absolute_url())

    def _summary(self, lesson: Lesson | None) -> dict | None:
        return LessonSummarySerializer(lesson, context=self.context).data if lesson else None


class PackageImageSerializer(serializers.Serializer):
    """A figure's image, embedded so that the lesson reads offline."""

    name = serializers.CharField(help_text="The figure's name, as in the lesson's `figures`.")
    src = serializers.CharField(
        help_text="The image's URL exactly as `body_html` writes it (relative): show `data` "
                  "wherever an <img> has this src.",
    )
    url = serializers.URLField(help_text="The same image online (absolute).")
    media_type = serializers.CharField(help_text="`image/png`.")
    etag = serializers.CharField(help_text="The image's ETag online: unchanged images need "
                                           "no new download.")
    width = serializers.IntegerField(help_text="Pixels.")
    height = serializers.IntegerField(help_text="Pixels.")
    alt = serializers.CharField(help_text="What the plot shows, for screen readers.")
    data = serializers.CharField(help_text="The image, base64-encoded.")


class LessonPackageSerializer(serializers.Serializer):
    """A lesson to read and answer offline: its detail, and every figure's image embedded."""

    format = serializers.CharField(help_text="`gradiente-lesson-package/1`; a new format gets "
                                             "a new number.")
    language = serializers.CharField(help_text="The language of every text in the package.")
    lesson = LessonDetailSerializer(
        help_text="The lesson detail as `GET .../lessons/<lesson>/` serves it to this "
                  "learner, questions included (their variants, never their answers).",
    )
    images = PackageImageSerializer(many=True, help_text="One per figure of the lesson.")
