"""Admin for instructors: questions with their choices inline, both languages side by side,
a preview with a sample variant, and per-question statistics.

Plain TranslationAdmin (not the tabbed variant, which loads jQuery UI from a CDN); each
translated text is one row with a field per language, built from settings.LANGUAGES.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from modeltranslation.utils import build_localized_fieldname

from course.figures import figure_context

from . import grading, learner_variants, services, variants
from .exercises import Exercise
from .forms import AnswerForm, ChoiceInlineFormSet, PreviewForm, QuestionAdminForm
from .learner_state import policy_of, question_view_state
from .models import Attempt, Choice, Question
from .statistics import question_statistics


def side_by_side(field: str) -> tuple[str, ...]:
    """Return one admin row holding ``field`` in every language."""
    return tuple(build_localized_fieldname(field, code) for code, _name in settings.LANGUAGES)


def _display(value: object) -> str:
    """Write a result's value compactly: 4 significant digits, lists item by item."""
    if isinstance(value, list):
        return "[" + ", ".join(_display(item) for item in value) + "]"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


class ChoiceInline(TranslationStackedInline):
    model = Choice
    formset = ChoiceInlineFormSet
    extra = 0
    ordering = ("order", "id")

    class Media:
        css = {"all": ["quizzes/admin.css"]}

    def get_extra(self, request: HttpRequest, obj: Question | None = None, **kwargs) -> int:
        return 4 if obj is None else 0

    def get_fieldsets(self, request: HttpRequest, obj: Question | None = None):
        by_simulation = obj is not None and bool(obj.simulation)
        return [
            (None, {"fields": [("order", "is_correct"), side_by_side("text"),
                               side_by_side("feedback")]}),
            (_("Judged by the simulation"), {
                "fields": [("params", "predicate")],
                "classes": [] if by_simulation else ["collapse"],
                "description": _("Leave empty unless the choice is correct when a condition "
                                 "holds for the learner's variant."),
            }),
        ]


@admin.register(Question)
class QuestionAdmin(TranslationAdmin):
    form = QuestionAdminForm
    inlines = [ChoiceInline]
    list_display = ("__str__", "kind", "lesson", "simulation", "is_published", "attempt_count",
                    "links")
    list_filter = ("lesson__course", "lesson", "kind", "is_published")
    list_select_related = ("lesson__course", "lesson__chapter")
    search_fields = ("key", "prompt_pt_br", "prompt_en", "choices__text_pt_br",
                     "choices__text_en")
    ordering = ("lesson__chapter__number", "lesson__number", "order")

    class Media:
        css = {"all": ["quizzes/admin.css"]}

    def get_fieldsets(self, request: HttpRequest, obj: Question | None = None):
        simulations = ", ".join(variants.available_simulations())
        return [
            (None, {"fields": ["lesson", ("key", "order"), ("kind", "is_published")]}),
            (_("Text"), {"fields": [side_by_side("prompt"), side_by_side("explanation")]}),
            (_("Feedback"), {
                "fields": [side_by_side("feedback_correct"), side_by_side("feedback_wrong")],
                "description": _("Leave empty for the default sentences in each language."),
            }),
            (_("Numeric answer"), {"fields": ["answer", ("rtol", "atol", "log_scale")],
                                   "description": _("Correct when |answer − value| ≤ atol + "
                                                    "rtol·|value|.")}),
            (_("Checked by simulation"), {
                "fields": ["simulation", "fixed_params", "varied_params", "quantity",
                           "choice_predicate", ("margin", "same_answer"), "lab_mode"],
                "description": _("Available simulations: %(list)s. Use the preview to see "
                                 "every value of the result you can check.") % {
                    "list": simulations},
            }),
            (_("Tries and solution"), {"fields": [
                ("max_tries", "explanation_after_tries"),
                ("solution_policy", "solution_after_tries"), "partial_credit"]}),
        ]

    def get_queryset(self, request: HttpRequest):
        queryset = super().get_queryset(request)
        return queryset.annotate(attempts_count=Count("attempts", distinct=True))

    @admin.display(description=_("attempts"), ordering="attempts_count")
    def attempt_count(self, obj: Question) -> int:
        return obj.attempts_count

    @admin.display(description=_("preview and statistics"))
    def links(self, obj: Question) -> str:
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:quizzes_question_preview", args=[obj.pk]), _("Preview"),
            reverse("admin:quizzes_question_statistics", args=[obj.pk]), _("Statistics"),
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/preview/", wrap(self.preview_view),
                 name="quizzes_question_preview"),
            path("<int:object_id>/statistics/", wrap(self.statistics_view),
                 name="quizzes_question_statistics"),
            *super().get_urls(),
        ]

    def _viewable(self, request: HttpRequest, object_id: int) -> Question:
        question = get_object_or_404(
            Question.objects.select_related("lesson__course", "lesson__chapter"), pk=object_id)
        if not self.has_view_permission(request, question):
            raise PermissionDenied
        return question

    def preview_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Show the question as a learner would, with a sample variant and its answer."""
        question = self._viewable(request, object_id)
        form = PreviewForm(request.GET or None, languages=settings.LANGUAGES,
                           initial={"lang": settings.LANGUAGE_CODE, "learner": "preview"})
        language = form.data.get("lang", settings.LANGUAGE_CODE)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        learner = (form.data.get("learner") or "preview")[:40]
        choices = list(question.choices.all())
        spec = learner_variants.simulation_spec(question, choices)
        computed, problem = None, ""
        if spec is not None:
            try:
                computed = variants.served_variant(spec, question.stable_key,
                                                   f"sample:{learner}")
            except (KeyError, ValueError) as error:  # unknown simulation, bad params/formula
                problem = str(error)
        variant = (learner_variants.LearnerVariant(computed.answer, computed.fingerprint)
                   if computed else None)
        snapshot = services.question_snapshot(question=question, language=language,
                                              variant=variant, choices=choices)
        answer_form = AnswerForm(request.POST or None, snapshot=snapshot)
        exercise = Exercise(question, 1, snapshot, answer_form,  # a learner who has not answered
                            question_view_state(policy_of(question), tries=0, solved=False))
        outcome = None
        if request.method == "POST" and answer_form.is_valid() and not problem:
            outcome = grading.grade(snapshot, variant.answer if variant else None,
                                    answer_form.cleaned_data["answer"])
            if outcome.format_error:
                answer_form.add_error("answer", outcome.format_error_message)
        figures = [figure for spec_ in question.lesson.figures
                   if (figure := figure_context(question.lesson, spec_.get("name", ""), language))]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview of %(question)s") % {"question": question},
            "opts": self.model._meta, "original": question, "question": question,
            "form": form, "exercise": exercise, "outcome": outcome, "variant": variant,
            "problem": problem, "figures": figures, "language": language,
            "solution": grading.solution_text(snapshot, variant.answer if variant else None),
            "result_values": [(name, _display(value)) for name, value in
                              variants.flatten(computed.result)] if computed else [],
            "quantities": variants.quantities(question.simulation),
            "lab_url": learner_variants.lab_url(question, variant),
        }
        return TemplateResponse(request, "admin/quizzes/question/preview.html", context)

    def statistics_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        question = self._viewable(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Statistics of %(question)s") % {"question": question},
            "opts": self.model._meta, "original": question, "question": question,
            "stats": question_statistics(question),
        }
        return TemplateResponse(request, "admin/quizzes/question/statistics.html", context)


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Read-only record of answers, for audits (superusers; instructors see statistics)."""

    list_display = ("created_at", "question", "user", "is_correct", "score", "counts_as_try",
                    "needs_review", "language")
    list_filter = ("is_correct", "counts_as_try", "needs_review", "question__lesson")
    list_select_related = ("question__lesson__chapter", "user")
    search_fields = ("user__username", "question__key")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Attempt | None = None) -> bool:
        return False
