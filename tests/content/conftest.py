"""Helpers for tests that quote a lesson in both languages and recompute its numbers."""

from pathlib import Path

import pytest

LESSONS = Path(__file__).resolve().parents[2] / "content" / "redes-neurais" / "18-backpropagation"


def read_lesson(folder_prefix: str, language: str) -> str:
    """Return the lesson's Markdown with every run of whitespace made one space."""
    folder = next(LESSONS.glob(f"{folder_prefix}-*"))
    return " ".join((folder / f"{language}.md").read_text(encoding="utf-8").split())


@pytest.fixture
def lesson_says():
    """Return a check that the lesson's pt-br and en texts contain the given sentences."""

    def check(folder_prefix: str, pt: str, en: str) -> None:
        assert pt in read_lesson(folder_prefix, "pt-br")
        assert en in read_lesson(folder_prefix, "en")

    return check
