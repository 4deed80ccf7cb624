"""Fields stored once per language (see docs/adr/0001-model-translation.md)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Choice, Question


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("prompt", "explanation", "feedback_correct", "feedback_wrong")
    required_languages = {"pt-br": ("prompt", "explanation")}


@register(Choice)
class ChoiceTranslationOptions(TranslationOptions):
    fields = ("text", "feedback")
    required_languages = {"pt-br": ("text",)}
