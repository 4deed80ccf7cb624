"""A course's workload, as its certificate states it (docs/progress.md, "Workload").

Reading time is measured (``course.reading``: the Portuguese text's words at a reading
speed); answering is estimated: :data:`EXERCISE_MINUTES` per published exercise of the
lessons (read the prompt, try it in the lab, answer, read the explanation) and
:data:`EXAM_QUESTION_MINUTES` per question of each chapter exam (one try, no lab needed).
The sum is rounded to the nearest quarter hour, neither up nor down by design, since the
estimates are not finer than that.
"""

from __future__ import annotations

import dataclasses

from course.models import Course
from exams.draw import exam_length
from exams.models import Exam
from quizzes.models import Question

EXERCISE_MINUTES = 3
EXAM_QUESTION_MINUTES = 2
ROUND_TO_MINUTES = 15


@dataclasses.dataclass(frozen=True)
class Workload:
    reading_minutes: int
    exercises: int
    exam_questions: int

    @property
    def exact_minutes(self) -> int:
        return (self.reading_minutes + EXERCISE_MINUTES * self.exercises
                + EXAM_QUESTION_MINUTES * self.exam_questions)

    @property
    def minutes(self) -> int:
        """The total rounded to the nearest quarter hour (a half rounds up), never zero
        for a course with anything to do."""
        exact = self.exact_minutes
        rounded = (exact + ROUND_TO_MINUTES // 2) // ROUND_TO_MINUTES * ROUND_TO_MINUTES
        return max(rounded, ROUND_TO_MINUTES) if exact else 0


def course_workload(course: Course, *, reading_minutes: int) -> Workload:
    """Return the course's workload, given its reading minutes (services computes them)."""
    exercises = Question.objects.filter(lesson__course=course, is_published=True).count()
    exams = Exam.objects.filter(chapter__course=course, is_published=True).select_related(
        "chapter")
    return Workload(reading_minutes, exercises, sum(exam_length(exam) for exam in exams))
