"""A chapter's exam and learners' attempts at it (docs/progress.md, "Chapter exam").

An :class:`Exam` is declared in the chapter's folder (``exam.yaml``) and imported with
the course. Each :class:`ExamAttempt` holds the questions drawn for it (:class:`ExamItem`):
for a question checked by simulation, a variant the learner has not met (not the lesson
page's, not an earlier attempt's), kept with the answer the simulation computed, so that
an attempt is graded as it was drawn whatever changes later.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from course.models import Chapter
from quizzes.models import Question


class Exam(models.Model):
    chapter = models.OneToOneField(
        Chapter, on_delete=models.CASCADE, related_name="exam", verbose_name=_("chapter")
    )
    page = models.PositiveIntegerField(_("page"), help_text=_("Page number in the ebook."))
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    pass_percent = models.PositiveSmallIntegerField(
        _("pass mark (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The share of the attempt's score needed to pass."),
    )
    questions_per_lesson = models.PositiveSmallIntegerField(
        _("questions per lesson"), default=1, validators=[MinValueValidator(1)],
    )
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("chapter exam")
        verbose_name_plural = _("chapter exams")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_percent__gte=1, pass_percent__lte=100),
                name="exam_pass_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chapter.number} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("exams:exam", kwargs={"course_slug": self.chapter.course.slug,
                                              "chapter_slug": self.chapter.slug})


class ExamAttempt(models.Model):
    """One sitting of the exam: drawn when started, graded once when submitted."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="attempts",
                             verbose_name=_("exam"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exam_attempts",
        verbose_name=_("learner"),
    )
    number = models.PositiveIntegerField(_("number"), help_text=_("1 for the first attempt."))
    language = models.CharField(_("language"), max_length=8)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True,
                              help_text=_("Points earned (one per question, partial credit "
                                          "counted)."))
    percent = models.PositiveSmallIntegerField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["exam", "user", "-number"]
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")
        constraints = [
            models.UniqueConstraint(fields=["exam", "user", "number"],
                                    name="exam_attempt_number_unique"),
            # A new attempt only once the previous one is submitted, whatever races lose.
            models.UniqueConstraint(fields=["exam", "user"],
                                    condition=models.Q(submitted_at__isnull=True),
                                    name="exam_one_open_attempt"),
        ]

    def __str__(self) -> str:
        return f"{self.exam} · {self.user} · #{self.number}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ExamItem(models.Model):
    """One question of an attempt: its variant, the learner's answer and, once
    submitted, its grade and the snapshot of what was graded."""

    attempt = models.ForeignKey(ExamAttempt, on_delete=models.CASCADE, related_name="items",
                                verbose_name=_("attempt"))
    position = models.PositiveSmallIntegerField(_("position"))
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="exam_items",
                                 verbose_name=_("question"))
    variant = models.JSONField(
        _("variant"), null=True, blank=True,
        help_text=_("The parameters, seed and computed answer drawn for this attempt."),
    )
    fingerprint = models.CharField(_("question fingerprint"), max_length=32, blank=True)
    answer = models.JSONField(_("answer"), null=True, blank=True,
                              help_text=_("Choice ids or the number, normalized."))
    answer_text = models.CharField(_("answer as typed"), max_length=100, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    is_correct = models.BooleanField(_("correct"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True,
                                help_text=_("The question, variant and outcome as graded."))

    class Meta:
        ordering = ["attempt", "position"]
        verbose_name = _("exam question")
        verbose_name_plural = _("exam questions")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="exam_item_position"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.position}"
