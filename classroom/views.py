"""The lesson page and the answer to one of its exercises (works without JavaScript)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from course.navigation import next_lesson
from quizzes.exercises import submit_answer
from quizzes.models import Question
from storage.moment import one_moment

from .answer_throttle import anonymous_wait, wait_message
from .pages import exam_after, lesson_page

LESSON_TEMPLATE = "classroom/lesson_detail.html"


def lesson_detail(request: HttpRequest, course_slug: str, lesson_slug: str) -> HttpResponse:
    context = lesson_page(request, course_slug=course_slug, lesson_slug=lesson_slug)
    return render(request, LESSON_TEMPLATE, context)


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, question_id: int) -> HttpResponse:
    """Grade the answer and show the lesson page with its feedback (or just the exercise).

    A script on the page asks for the exercise alone (``X-Requested-With: fetch``) and
    swaps it in place; without JavaScript the whole lesson page comes back.
    """
    with one_moment():  # the question and its choices of one version (storage/moment.py)
        question = get_object_or_404(Question.objects.published().select_related(
            "lesson__course", "lesson__chapter").prefetch_related("choices"), pk=question_id)
    lesson = question.lesson
    if request.method == "GET":
        return redirect(f"{lesson.get_absolute_url()}#exercise-{question.key}")
    wait = anonymous_wait(request)
    submission = submit_answer(request, question, refusal=wait_message(wait) if wait else "")
    if request.headers.get("X-Requested-With") == "fetch":
        following = next_lesson(lesson)
        context = {"exercise": submission.exercise, "next_lesson": following,
                   "chapter_exam": exam_after(lesson, following)}
        response = render(request, "classroom/_exercise.html", context)
    else:
        context = lesson_page(request, course_slug=lesson.course.slug, lesson_slug=lesson.slug)
        response = render(request, LESSON_TEMPLATE, context)
    if wait:
        response.status_code, response["Retry-After"] = 429, str(wait)
    return response
