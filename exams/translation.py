"""Fields stored once per language (see docs/adr/0001-model-translation.md)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Exam


@register(Exam)
class ExamTranslationOptions(TranslationOptions):
    fields = ("title", "intro")
    required_languages = {"pt-br": ("title",)}
