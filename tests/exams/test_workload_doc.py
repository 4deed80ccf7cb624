"""docs/progress.md states the chapter's workload: the sentence is the one the content gives."""

from __future__ import annotations

from pathlib import Path

from django.utils import translation

from progress.certificate_text import format_study_time
from progress.services import course_study_minutes
from progress.workload import EXAM_QUESTION_MINUTES, EXERCISE_MINUTES, course_workload

DOC = Path(__file__).resolve().parents[2] / "docs" / "progress.md"


def test_the_documented_workload_is_the_courses(course_once, db):
    course = course_once
    workload = course_workload(course, reading_minutes=course_study_minutes(course))
    lessons = list(course.lessons.select_related("chapter").in_reading_order())
    with translation.override("en"):
        stated = format_study_time(workload.minutes)
    sentence = (
        f"For chapter 18 with lessons {lessons[0].full_number}–{lessons[-1].full_number} "
        f"this is {workload.reading_minutes} min of reading + {workload.exercises} exercises "
        f"× {EXERCISE_MINUTES} + {workload.exam_questions} exam questions × "
        f"{EXAM_QUESTION_MINUTES} = {workload.exact_minutes} min, stated as {stated}")

    assert sentence in " ".join(DOC.read_text(encoding="utf-8").split())
