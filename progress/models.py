"""Progress and certificates (docs/progress.md): what happened, with the constraints that
make it happen once. The rules live in ``services.py``.

Both models came from the course app with their data: their tables keep the names they
were created with (``db_table``), so moving them renamed nothing in the database
(migrations/0001_initial.py).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from course.models import Course, Lesson


class LessonProgress(models.Model):
    """One learner's reading and completion of one lesson (one row at most per pair)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress",
        verbose_name=_("learner"),
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson")
    )
    read_at = models.DateTimeField(_("first read"), null=True, blank=True)
    completed_at = models.DateTimeField(
        _("completed"), null=True, blank=True,
        help_text=_("When every question of the lesson had been answered correctly. "
                    "Never cleared: a question added later does not undo it."),
    )

    class Meta:
        db_table = "course_lessonprogress"
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="lesson_progress_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"


# Crockford's base 32: no I, L, O or U, so a code read off paper is typed back right.
CERTIFICATE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CERTIFICATE_GROUPS = 4
CERTIFICATE_GROUP_LENGTH = 5  # 4 groups of 5 symbols: 100 random bits


def new_certificate_code() -> str:
    """Return an unguessable code such as ``7K2MQ-X9P4T-WA8HN-C3RDE`` (100 random bits)."""
    groups = (
        "".join(secrets.choice(CERTIFICATE_ALPHABET) for _symbol in range(CERTIFICATE_GROUP_LENGTH))
        for _group in range(CERTIFICATE_GROUPS)
    )
    return "-".join(groups)


class Certificate(models.Model):
    """A learner's certificate of a course: issued once, verifiable by its code, revocable.

    The learner's name and the hours of study are copied when it is issued, so that the
    certificate keeps saying what it said on that day.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("course")
    )
    code = models.CharField(
        _("verification code"), max_length=32, unique=True, default=new_certificate_code,
        editable=False,
    )
    learner_name = models.CharField(_("learner's name"), max_length=300)
    study_minutes = models.PositiveIntegerField(
        _("study time (minutes)"),
        help_text=_("The course's workload when it was issued: reading, exercises and exam "
                    "(before exams: reading only)."),
    )
    record = models.JSONField(
        _("what was passed"), default=dict, blank=True, editable=False,
        help_text=_("The lessons and chapter exams passed, copied when it was issued. Empty "
                    "for a certificate issued before the exam existed."),
    )
    completed_at = models.DateTimeField(_("completed on"))
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.TextField(
        _("reason for revoking"), blank=True, help_text=_("For instructors; never shown publicly.")
    )

    class Meta:
        db_table = "course_certificate"
        ordering = ["-issued_at", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # Exactly once per learner and course, whatever races the application loses.
            models.UniqueConstraint(fields=["user", "course"], name="certificate_once_per_course"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.learner_name} · {self.course}"

    def get_absolute_url(self) -> str:
        return reverse("course:certificate_verify", kwargs={"code": self.code})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def predates_exam(self) -> bool:
        """Issued when lessons alone earned a certificate: it keeps no record of an exam."""
        return "exams" not in self.record

    def get_pdf_url(self) -> str:
        return reverse("course:certificate_pdf", kwargs={"code": self.code})
