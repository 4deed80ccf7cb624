"""The chapter exam's web pages: what it is, the answer sheet, and an attempt's result.

Works without JavaScript: one form posts every answer, with a button to save them and
one to hand the exam in. Anonymous visitors read what the exam is and are asked to sign in.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from .forms import ExamSheetForm
from .models import Exam, ExamAttempt
from .services import AttemptClosed, open_attempt, save_answer, start_attempt, submit_attempt
from .sheet import attempt_sheet

START, SAVE, SUBMIT = "start", "save", "submit"


def published_exam(course_slug: str, chapter_slug: str) -> Exam:
    """Return the published exam of a published course's chapter; Http404 if none."""
    return get_object_or_404(
        Exam.objects.select_related("chapter__course"), is_published=True,
        chapter__slug=chapter_slug, chapter__course__slug=course_slug,
        chapter__course__is_published=True,
    )


@require_http_methods(["GET", "POST"])
def exam_page(request: HttpRequest, course_slug: str, chapter_slug: str) -> HttpResponse:
    exam = published_exam(course_slug, chapter_slug)
    context = {"exam": exam, "chapter": exam.chapter, "course": exam.chapter.course}
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect(f"{_login_url()}?{urlencode({'next': exam.get_absolute_url()})}")
        return render(request, "exams/exam.html", context)
    language = get_language()
    action = request.POST.get("action")
    if request.method == "POST" and action == START:
        start_attempt(exam=exam, user=request.user, language=language)
        return redirect(exam.get_absolute_url())
    attempt = open_attempt(exam=exam, user=request.user)
    attempts = ExamAttempt.objects.filter(exam=exam, user=request.user, submitted_at__isnull=False
                                          ).order_by("-number")
    context["attempts"] = attempts
    if attempt is None:
        return render(request, "exams/exam.html", context)
    items = attempt_sheet(attempt, language)
    posted = request.method == "POST" and action in (SAVE, SUBMIT)
    form = ExamSheetForm(request.POST if posted else None, items=items, language=language)
    status = 200
    if posted and form.is_valid():
        try:
            for item, answer in form.answers():
                save_answer(item=item.item, user=request.user, answer=answer, language=language)
        except AttemptClosed:  # handed in from another tab meanwhile
            return redirect(_result_url(exam, attempt))
        if action == SUBMIT:
            submit_attempt(attempt=attempt, user=request.user)
            return redirect(_result_url(exam, attempt))
        return redirect(f"{exam.get_absolute_url()}?saved=1")
    if posted:
        status = 400
    context |= {"attempt": attempt, "form": form, "saved": request.GET.get("saved") == "1"}
    return render(request, "exams/exam.html", context, status=status)


@login_required
def attempt_result(request: HttpRequest, course_slug: str, chapter_slug: str,
                   number: int) -> HttpResponse:
    exam = published_exam(course_slug, chapter_slug)
    attempt = ExamAttempt.objects.filter(exam=exam, user=request.user, number=number).first()
    if attempt is None:
        raise Http404
    if not attempt.is_submitted:
        return redirect(exam.get_absolute_url())
    items = attempt_sheet(attempt, get_language())
    results = [(item, item.explanation_html(item.lesson.get_absolute_url())) for item in items]
    return render(request, "exams/result.html", {
        "exam": exam, "chapter": exam.chapter, "course": exam.chapter.course,
        "attempt": attempt, "results": results,
    })


def _result_url(exam: Exam, attempt: ExamAttempt) -> str:
    chapter = exam.chapter
    return reverse("exams:result", kwargs={"course_slug": chapter.course.slug,
                                           "chapter_slug": chapter.slug,
                                           "number": attempt.number})


def _login_url() -> str:
    return resolve_url(settings.LOGIN_URL)
