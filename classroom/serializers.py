"""The lesson as the app shows a learner: its text, figures and neighbours (``course``)
with the learner's questions (``quizzes``), and the same as one offline download.

Fields are listed one by one, in the order the app shows them; nothing is exposed
because a model happens to have it.
"""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from course.anchors import figure_anchor
from course.figures import embed_figures, figure_context
from course.models import Lesson
from course.navigation import next_lesson, previous_lesson
from course.serializers import (
    NUMBER_HELP,
    ChapterReferenceSerializer,
    CourseReferenceSerializer,
    FigureSerializer,
    LessonSummarySerializer,
)
from quizzes.serializers import QuestionSerializer


class LessonDetailSerializer(serializers.ModelSerializer):
    """A lesson to read: its text (Markdown and sanitized HTML), figures, questions, neighbours.

    ``questions`` are the lesson's questions as this learner may see them, never with
    their answers before they are due (docs/api.md, "Questions"). The view serves this
    body through ``classroom.api_cache``, which serializes the questions on their own.
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
                    "name": spec["name"], "anchor": figure_anchor(spec["name"]),
                    "url": request.build_absolute_uri(figure["url"]),
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
