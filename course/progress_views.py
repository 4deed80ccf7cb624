"""The learner's own progress page: every course, its chapters, and where to continue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .progress import learner_progress


@login_required
def my_progress(request: HttpRequest) -> HttpResponse:
    courses = learner_progress(user=request.user)
    return render(request, "course/progress.html", {"courses": courses})
