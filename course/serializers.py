"""Courses and lessons as the app reads them, every text in the request's language.

The lesson as a learner reads it, with its questions, is ``classroom.serializers``; the
parts here are content only.

Fields are listed one by one, in the order the app shows them; nothing is exposed
because a model happens to have it.
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.reverse import reverse

from .models import Chapter, Course, Lesson

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
    anchor = serializers.CharField(
        help_text="The figure's id, `fig-<name>`: its <figure> in `body_html` has it, and a "
                  "link `#fig-<name>` in the lesson's texts points to it.",
    )
    url = serializers.URLField(help_text="The image.")
    alt = serializers.CharField(help_text="What the plot shows, for screen readers.")
    caption = serializers.CharField(allow_blank=True)
    width = serializers.IntegerField(allow_null=True, help_text="Pixels, when known.")
    height = serializers.IntegerField(allow_null=True, help_text="Pixels, when known.")
