"""Import a chapter's exam from ``exam.yaml`` beside its ``chapter.yaml`` (docs/authoring.md)::

    page: 63                      # the exam's page in the ebook
    pass_percent: 70              # the share of the score needed to pass, 1 to 100
    questions_per_lesson: 1       # drawn from each lesson of the chapter
    title: {pt-br: "...", en: "..."}
    intro: {pt-br: "...", en: "..."}   # Markdown, optional

Called by ``course.importer`` inside the import's transaction, once the chapter's lessons
are imported. A chapter without the file has no exam (one imported earlier is kept, as
nothing is ever deleted by an import). A problem raises ContentError naming the file,
and the whole import is rolled back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from course.content_files import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    ChapterFiles,
    ContentError,
    load_yaml,
)
from course.importer import ImportReport, upsert
from course.models import Chapter

from .models import Exam

FILE_NAME = "exam.yaml"
KEYS = {"page", "pass_percent", "questions_per_lesson", "title", "intro", "published"}
MAX_QUESTIONS_PER_LESSON = 5


def read_exam(path: Path) -> dict[str, Any]:
    """Read and check an exam file; return the Exam's field values."""
    data = load_yaml(path)
    unknown = set(data) - KEYS
    if unknown:
        raise ContentError(path, f"unknown key(s): {', '.join(sorted(unknown))} "
                                 f"(known: {', '.join(sorted(KEYS))})")
    return {
        "page": _whole(path, data, "page", minimum=1),
        "pass_percent": _whole(path, data, "pass_percent", minimum=1, maximum=100),
        "questions_per_lesson": _whole(path, data, "questions_per_lesson", minimum=1,
                                       maximum=MAX_QUESTIONS_PER_LESSON, default=1),
        "is_published": _flag(path, data, "published"),
        **_texts(path, data, "title", required=True),
        **_texts(path, data, "intro", required=False),
    }


def _whole(path: Path, data: dict, key: str, *, minimum: int, maximum: int | None = None,
           default: int | None = None) -> int:
    value = data.get(key, default)
    if value is None:
        raise ContentError(path, f"missing key '{key}'")
    upper = "" if maximum is None else f" and at most {maximum}"
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum or (
            maximum is not None and value > maximum):
        raise ContentError(path, f"'{key}' must be a whole number of at least {minimum}{upper}"
                                 f" (got {value!r})")
    return value


def _flag(path: Path, data: dict, key: str) -> bool:
    value = data.get(key, True)
    if not isinstance(value, bool):
        raise ContentError(path, f"'{key}' must be true or false")
    return value


def _texts(path: Path, data: dict, key: str, *, required: bool) -> dict[str, str]:
    value = data.get(key)
    if value is None and not required:
        value = {}
    if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
        raise ContentError(path, f"'{key}' must map languages ({', '.join(LANGUAGES)}) to text")
    unknown = set(value) - set(LANGUAGES)
    if unknown:
        raise ContentError(path, f"'{key}' has unknown language(s): {', '.join(sorted(unknown))}")
    if required and not all(str(value.get(lang) or "").strip() for lang in LANGUAGES):
        raise ContentError(path, f"'{key}' needs a text in every language "
                                 f"({', '.join(LANGUAGES)})")
    if value and not str(value.get(DEFAULT_LANGUAGE) or "").strip():
        raise ContentError(path, f"'{key}' needs a '{DEFAULT_LANGUAGE}' text")
    return {f"{key}_{lang.replace('-', '_')}": str(value.get(lang) or "").strip()
            for lang in LANGUAGES}


def import_chapter_exam(chapter: Chapter, chapter_files: ChapterFiles,
                        report: ImportReport) -> None:
    """Create or update the chapter's exam from its exam.yaml (none: nothing to do)."""
    if chapter_files.folder is None:
        return
    path = chapter_files.folder / FILE_NAME
    if not path.is_file():
        return
    _exam, outcome = upsert(Exam, {"chapter": chapter}, read_exam(path))
    report.count(outcome)
