"""The learner's answer form and the instructor's question forms (admin validation)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from course.markdown import render_markdown

from . import grading, variants
from .margins import DEFAULT_MARGIN
from .models import Question
from .validation import ChoiceDraft, QuestionDraft, check_choices, check_question


def inline_markdown(text: str) -> str:
    """Render a short Markdown text (a choice) without its paragraph wrapper."""
    html = render_markdown(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return mark_safe(html)  # noqa: S308 - render_markdown sanitizes


class AnswerForm(forms.Form):
    """One question's answer: radio buttons, checkboxes or a number typed as text.

    Only the shape is checked here; reading the number and judging it is grading's job,
    so a typo comes back from :func:`quizzes.grading.grade` as a format error.
    """

    shown = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def __init__(self, *args: Any, snapshot: grading.QuestionSnapshot, token: str = "",
                 **kwargs: Any):
        kwargs.setdefault("prefix", f"q{snapshot.id}")
        super().__init__(*args, **kwargs)
        self.snapshot = snapshot
        self.fields["shown"].initial = token
        choices = [(choice.id, inline_markdown(choice.text)) for choice in snapshot.choices]
        if snapshot.kind == grading.SINGLE:
            self.fields["answer"] = forms.TypedChoiceField(
                label=_("Your answer"), choices=choices, coerce=int, required=False,
                widget=forms.RadioSelect,
            )
        elif snapshot.kind == grading.MULTIPLE:
            self.fields["answer"] = forms.TypedMultipleChoiceField(
                label=_("Your answer (tick every correct option)"), choices=choices,
                coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
            )
        else:
            self.fields["answer"] = forms.CharField(
                label=_("Your answer"), required=False, max_length=64,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                              "spellcheck": "false", "size": 16}),
            )


class QuestionAdminForm(forms.ModelForm):
    class Meta:
        model = Question
        # The admin's fieldsets choose the fields shown (both languages of each text).
        fields = ("lesson", "key", "order", "kind", "is_published", "answer", "rtol", "atol",
                  "log_scale", "simulation", "fixed_params", "varied_params", "quantity",
                  "choice_predicate", "margin", "same_answer", "lab_mode", "max_tries",
                  "explanation_after_tries",
                  "solution_policy", "solution_after_tries", "partial_credit")
        widgets = {
            "fixed_params": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "varied_params": forms.Textarea(attrs={"rows": 4, "cols": 60}),
            "quantity": forms.TextInput(attrs={"size": 70}),
            "choice_predicate": forms.TextInput(attrs={"size": 70}),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("margin", "lab_mode"):  # left out: the defaults
            if name in self.fields:
                self.fields[name].required = False
        if "simulation" in self.fields:
            slugs = variants.available_simulations()
            current = self.initial.get("simulation") or ""
            options = [("", "—"), *((slug, slug) for slug in slugs)]
            if current and current not in slugs:
                options.append((current, current))  # still shown; validation explains
            self.fields["simulation"].widget = forms.Select(choices=options)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("margin") is None:
            data["margin"] = DEFAULT_MARGIN
        data["lab_mode"] = data.get("lab_mode") or Question.LabMode.PREDICT
        if self.errors:
            return data
        draft = draft_from_values(data, key=self._draft_key(data))
        for field, message in check_question(draft):
            self.add_error(field if field in self.fields else None, message)
        return data

    def _draft_key(self, data: dict[str, Any]) -> str:
        lesson = data.get("lesson")
        slug = lesson.slug if lesson else ""
        return f"{lesson.course.slug if lesson else ''}/{slug}/{data.get('key', '')}"


def draft_from_values(data: dict[str, Any], *, key: str = "draft",
                      choices: tuple[ChoiceDraft, ...] = ()) -> QuestionDraft:
    def mapping(name: str) -> dict:
        value = data.get(name)
        return value if isinstance(value, dict) else {}

    return QuestionDraft(
        kind=data.get("kind") or grading.SINGLE, key=key, answer=data.get("answer"),
        rtol=data.get("rtol") or 0.0, atol=data.get("atol") or 0.0,
        log_scale=bool(data.get("log_scale")), simulation=data.get("simulation") or "",
        fixed=mapping("fixed_params"), vary=mapping("varied_params"),
        quantity=data.get("quantity") or "", choice_predicate=data.get("choice_predicate") or "",
        solution_policy=data.get("solution_policy") or grading.AFTER_CORRECT,
        solution_after_tries=data.get("solution_after_tries"), choices=choices,
        margin=DEFAULT_MARGIN if data.get("margin") is None else data["margin"],
        same_answer=bool(data.get("same_answer")),
    )


class ChoiceInlineFormSet(forms.BaseInlineFormSet):
    """Check the choices together: how many are correct, and predicates on sample variants."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        choices = tuple(
            ChoiceDraft(str(number), bool(form.cleaned_data.get("is_correct")),
                        form.cleaned_data.get("predicate") or "",
                        form.cleaned_data.get("params") or {})
            for number, form in enumerate(
                (f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")),
                start=1,
            )
        )
        question = self.instance
        values = {name: getattr(question, name, None) for name in (
            "kind", "answer", "rtol", "atol", "log_scale", "simulation", "fixed_params",
            "varied_params", "quantity", "choice_predicate", "solution_policy",
            "solution_after_tries", "margin", "same_answer")}
        draft = draft_from_values(values, key=f"admin/{question.key}", choices=choices)
        judged = any(choice.predicate or choice.params for choice in choices)
        if judged and draft.simulation and check_question(draft):
            return  # the question's own fields are wrong; the question form says so
        problems = check_choices(draft)
        if problems:
            raise ValidationError(problems)


class PreviewForm(forms.Form):
    """The admin preview's choice of language and sample learner."""

    lang = forms.ChoiceField(label=_("Language"), choices=())
    learner = forms.CharField(label=_("Sample learner"), max_length=40, initial="preview",
                              required=False)

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["lang"].choices = languages
