"""The exam's answer sheet: one field per question, read with the lessons' grader."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from quizzes import grading
from quizzes.forms import inline_markdown

from .sheet import SheetItem


def field_name(position: int) -> str:
    return f"question-{position}"


class ExamSheetForm(forms.Form):
    """Every question of an open attempt. Blank answers are allowed (they score 0); an
    answer that cannot be read is an error on its field, in the page's language, written
    by :mod:`quizzes.grading` as on a lesson page (numbers read by simulations/numbers.py)."""

    def __init__(self, *args: Any, items: Sequence[SheetItem], language: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.items, self.language = list(items), language
        for item in self.items:
            name = field_name(item.position)
            label = _("Answer to question %(number)d") % {"number": item.position}
            choices = [(choice.id, inline_markdown(choice.text))
                       for choice in item.snapshot.choices]
            if item.kind == grading.SINGLE:
                field = forms.TypedChoiceField(label=label, choices=choices, coerce=int,
                                               required=False, widget=forms.RadioSelect)
            elif item.kind == grading.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    label=label, choices=choices, coerce=int, required=False,
                    widget=forms.CheckboxSelectMultiple)
            else:
                field = forms.CharField(
                    label=label, required=False, max_length=64,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off",
                                                  "spellcheck": "false", "size": 16}))
            field.initial = item.answer
            self.fields[name] = field

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for item in self.items:
            name = field_name(item.position)
            value = data.get(name)
            if value in (None, "", []) or name in self.errors:
                continue
            try:
                grading.normalize_answer(item.snapshot, value)
            except grading.FormatError as error:
                self.add_error(name, grading.text(self.language, error.code, **error.values))
        return data

    def answers(self) -> list[tuple[SheetItem, Any]]:
        """Return each question with the answer given (None: left blank)."""
        return [(item, self.cleaned_data.get(field_name(item.position)) or None)
                for item in self.items]

    def bound_items(self) -> list[tuple[SheetItem, forms.BoundField]]:
        return [(item, self[field_name(item.position)]) for item in self.items]
