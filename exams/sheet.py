"""An exam attempt as the learner sees it, in a language: the web page and the API read it.

Before submission: each question's prompt in its drawn variant, the options (never which
is right) and the answer saved. After: each question's grade, the explanation and the
correct answer, with the explanation's links pointing at the lesson's paragraphs.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from course.markdown import render_markdown
from course.models import Lesson
from quizzes import grading
from quizzes.learner_variants import LearnerVariant
from quizzes.services import question_snapshot

from .models import ExamAttempt, ExamItem


def item_variant(item: ExamItem) -> grading.VariantAnswer | None:
    """Return the variant drawn for the item (None: a question without simulation)."""
    if not item.variant:
        return None
    return grading.VariantAnswer(**{**item.variant,
                                    "correct_choices": tuple(item.variant["correct_choices"])})


def item_snapshot(item: ExamItem, language: str) -> grading.QuestionSnapshot:
    """Return the question in ``language`` with the item's variant filled in."""
    variant = item_variant(item)
    shown = LearnerVariant(variant, item.fingerprint) if variant else None
    return question_snapshot(question=item.question, language=language, variant=shown,
                             choices=list(item.question.choices.all()))


@dataclasses.dataclass(frozen=True)
class SheetItem:
    item: ExamItem
    snapshot: grading.QuestionSnapshot
    submitted: bool

    @property
    def position(self) -> int:
        return self.item.position

    @property
    def lesson(self) -> Lesson:
        return self.item.question.lesson

    @property
    def kind(self) -> str:
        return self.snapshot.kind

    @property
    def prompt_html(self) -> SafeString:
        return mark_safe(render_markdown(self.snapshot.prompt))  # noqa: S308 - sanitized

    @property
    def answer(self) -> Any:
        """The saved answer as the form shows it: choice ids, or the number as typed."""
        if self.item.answer is None:
            return None
        if self.kind == grading.NUMERIC:
            return self.item.answer_text or grading.solution_text(
                dataclasses.replace(self.snapshot, answer=self.item.answer), None)
        return list(self.item.answer)

    @property
    def outcome(self) -> dict[str, Any] | None:
        return self.item.snapshot.get("outcome") if self.submitted else None

    @property
    def correct_choices(self) -> list[int]:
        if not self.submitted:
            return []
        return sorted(grading.correct_choice_ids(self.snapshot, item_variant(self.item)))

    @property
    def solution(self) -> str:
        return grading.solution_text(self.snapshot, item_variant(self.item)) \
            if self.submitted else ""

    @property
    def explanation(self) -> str:
        return self.snapshot.explanation if self.submitted else ""

    def explanation_html(self, lesson_url: str) -> SafeString:
        """The explanation, its ``#anchor`` links pointing at ``lesson_url``."""
        if not self.submitted:
            return SafeString("")
        return mark_safe(render_markdown(self.explanation, page_url=lesson_url))  # noqa: S308


def attempt_sheet(attempt: ExamAttempt, language: str) -> list[SheetItem]:
    """Return the attempt's questions in order, in ``language`` (a fixed few queries)."""
    items = attempt.items.select_related(
        "question__lesson__course", "question__lesson__chapter"
    ).prefetch_related("question__choices").order_by("position")
    return [SheetItem(item, item_snapshot(item, language), attempt.is_submitted)
            for item in items]
