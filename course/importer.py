"""Write courses read from content/ into the database: idempotent and all-or-nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.db import models, transaction

from .content_files import LANGUAGES, ChapterFiles, CourseFiles, LessonFiles
from .models import Chapter, Course, Lesson

# Other apps (quizzes) import what they keep in a lesson's folder through these hooks,
# called inside the same transaction with the saved lesson and its files.
LESSON_HOOKS: list[Callable[[Lesson, LessonFiles, ImportReport], None]] = []
# And what they keep in a chapter's folder (exams), once its lessons are imported.
CHAPTER_HOOKS: list[Callable[[Chapter, ChapterFiles, ImportReport], None]] = []


@dataclasses.dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def _localized(field: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{lang.replace('-', '_')}": texts.get(lang, "") for lang in LANGUAGES}


def upsert(model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[
    models.Model, str
]:
    """Create or update one row; save only when a value differs, so reruns change nothing.

    Return the row and "created", "updated" or "unchanged".
    """
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model(**lookup, **values)
        row.save()
        return row, "created"
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return row, "unchanged"
    for name in changed:
        setattr(row, name, values[name])
    row.save()
    return row, "updated"


@transaction.atomic
def import_courses(courses: list[CourseFiles]) -> ImportReport:
    """Create or update every course, chapter and lesson; nothing is deleted."""
    report = ImportReport()
    for course_files in courses:
        course, outcome = upsert(
            Course,
            {"slug": course_files.slug},
            {"order": course_files.order,
             **_localized("title", course_files.title),
             **_localized("summary", course_files.summary)},
        )
        report.count(outcome)
        for chapter_files in course_files.chapters:
            chapter, outcome = upsert(
                Chapter,
                {"course": course, "number": chapter_files.number},
                {"slug": chapter_files.slug, **_localized("title", chapter_files.title)},
            )
            report.count(outcome)
            for lesson_files in chapter_files.lessons:
                lesson, outcome = upsert(
                    Lesson,
                    {"course": course, "slug": lesson_files.slug},
                    {"chapter": chapter, "number": lesson_files.number,
                     "page": lesson_files.page, "figures": lesson_files.figures,
                     **_localized("title", lesson_files.title),
                     **_localized("summary", lesson_files.summary),
                     **_localized("body", lesson_files.body)},
                )
                report.count(outcome)
                for hook in LESSON_HOOKS:
                    hook(lesson, lesson_files, report)
            for chapter_hook in CHAPTER_HOOKS:
                chapter_hook(chapter, chapter_files, report)
    return report
