"""Fields stored once per language (see docs/adr/0001-model-translation.md)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Chapter, Course, Lesson


@register(Course)
class CourseTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
    required_languages = ("pt-br",)


@register(Chapter)
class ChapterTranslationOptions(TranslationOptions):
    fields = ("title",)
    required_languages = ("pt-br",)


@register(Lesson)
class LessonTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body", "body_html", "reading_minutes")
    required_languages = ("pt-br",)
    # A lesson not yet translated shows the Portuguese text and its reading time.
    fallback_undefined = {"reading_minutes": 0}
