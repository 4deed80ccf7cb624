"""The one computation of a learner's progress (progress/learner_progress.py): numbers
and queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from course.models import Chapter, Course, Lesson
from progress.learner_progress import NOT_ISSUED, VALID, learner_progress, percent
from progress.services import mark_lesson_read
from quizzes.models import Attempt, Question


def _only(progress_list, course):
    [progress] = [item for item in progress_list if item.course == course]
    return progress


def test_percent_is_rounded_down_so_100_means_all():
    assert percent(2, 3) == 66
    assert percent(199, 200) == 99
    assert percent(3, 3) == 100
    assert percent(0, 0) == 0


def test_a_new_learner_starts_at_zero_with_the_first_lesson(learner, small_course):
    progress = _only(learner_progress(user=learner), small_course.course)
    assert (progress.lessons_total, progress.lessons_completed, progress.percent) == (3, 0, 0)
    assert progress.next_lesson == small_course.lessons[0]
    assert progress.first_try.percent is None
    assert progress.certificate_status == NOT_ISSUED
    assert not progress.is_started


def test_progress_per_chapter_and_course(learner, small_course, answer):
    answer(learner, small_course.questions["1.1a"])
    answer(learner, small_course.questions["1.1b"])
    progress = _only(learner_progress(user=learner), small_course.course)
    chapter_one, chapter_two = progress.chapters
    assert (chapter_one.lessons_completed, chapter_one.lessons_total, chapter_one.percent) == (
        1, 2, 50)
    assert (chapter_two.lessons_completed, chapter_two.percent) == (0, 0)
    assert (progress.lessons_completed, progress.lessons_incomplete, progress.percent) == (
        1, 2, 33)
    assert progress.next_lesson == small_course.lessons[1]


def test_first_try_accuracy_counts_only_each_questions_first_answer(
    learner, small_course, answer
):
    questions = small_course.questions
    answer(learner, questions["1.1a"], right=True)
    answer(learner, questions["1.1b"], right=False)
    answer(learner, questions["1.1b"], right=True)
    answer(learner, questions["2.1"], right=False)
    first_try = _only(learner_progress(user=learner), small_course.course).first_try
    assert (first_try.answered, first_try.correct, first_try.percent) == (3, 1, 33)


def test_continue_goes_on_from_the_last_lesson_touched_not_back_to_a_gap(
    learner, small_course, answer
):
    first, second, third = small_course.lessons
    now = timezone.now()
    mark_lesson_read(user=learner, lesson=first, at=now - timedelta(hours=2))  # left undone
    mark_lesson_read(user=learner, lesson=second, at=now - timedelta(hours=1))  # completed
    progress = _only(learner_progress(user=learner), small_course.course)
    assert progress.next_lesson == third
    answer(learner, small_course.questions["2.1"])  # the last lesson, done: back to the gap
    progress = _only(learner_progress(user=learner), small_course.course)
    assert progress.next_lesson == first
    assert progress.lessons_read == 2


def test_a_complete_course_has_no_next_lesson_and_a_valid_certificate(
    learner, small_course, answer
):
    for key in ("1.1a", "1.1b", "2.1"):
        answer(learner, small_course.questions[key])
    mark_lesson_read(user=learner, lesson=small_course.lessons[1])
    progress = _only(learner_progress(user=learner), small_course.course)
    assert progress.is_complete and progress.percent == 100
    assert progress.next_lesson is None
    assert progress.certificate_status == VALID
    assert progress.certificate.course_id == small_course.course.pk


def test_another_learners_answers_do_not_count(learner, small_course, answer,
                                               django_user_model):
    other = django_user_model.objects.create_user(username="bruno", password="x")
    answer(other, small_course.questions["2.1"])
    progress = _only(learner_progress(user=learner), small_course.course)
    assert progress.lessons_completed == 0 and progress.first_try.answered == 0


def _grow(course: Course, learner, *, chapters: int, lessons: int, attempts: int) -> None:
    """Add chapters of lessons with a question each, and the learner's answers and reads."""
    now = timezone.now()
    for number in range(10, 10 + chapters):
        chapter = Chapter.objects.create(course=course, number=number, slug=f"c{number}",
                                         title_pt_br=f"C{number}")
        for lesson_number in range(1, lessons + 1):
            lesson = Lesson.objects.create(
                chapter=chapter, number=lesson_number, slug=f"l{number}-{lesson_number}",
                page=number * 100 + lesson_number, title_pt_br="L", body_pt_br="texto",
            )
            question = Question.objects.create(lesson=lesson, key="q", prompt_pt_br="?",
                                               explanation_pt_br="!")
            Attempt.objects.bulk_create(
                Attempt(question=question, user=learner, answer=[1], is_correct=index % 2 == 0,
                        score=1.0, language="pt-br", snapshot={})
                for index in range(attempts)
            )
            mark_lesson_read(user=learner, lesson=lesson, at=now)


def _count_queries(learner) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as queries:
        result = learner_progress(user=learner)
        _ = [(item.percent, item.next_lesson, item.first_try.percent, item.certificate_status,
              [(chapter.percent, [status.lesson.get_absolute_url() for status in chapter.lessons])
               for chapter in item.chapters])
             for item in result]
    return len(queries), result


def test_queries_stay_the_same_as_the_course_and_the_history_grow(
    learner, small_course, answer
):
    answer(learner, small_course.questions["1.1a"])
    small, _result = _count_queries(learner)
    _grow(small_course.course, learner, chapters=4, lessons=6, attempts=5)
    Course.objects.create(slug="second", title_pt_br="Outro")
    large, result = _count_queries(learner)
    assert small == large == 5  # courses, lessons, progress, first answers, certificates
    assert _only(result, small_course.course).lessons_total == 3 + 4 * 6
    assert _only(result, small_course.course).first_try.answered == 1 + 4 * 6
