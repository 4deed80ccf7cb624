"""Exercises of a lesson: questions, their choices, learners' variants and attempts.

Texts (prompt, explanation, feedback, choice text) are stored once per language by
django-modeltranslation (see ``translation.py``). A question checked by simulation has
no stored answer: each learner's :class:`Variant` keeps the parameters drawn for them,
the seed, the engine version and the answer the simulation computed. Every
:class:`Attempt` keeps a snapshot of what was graded, so editing a question later does
not rewrite history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from course.models import Lesson

from . import grading
from .question_checks import SimulationChecks

_MARKDOWN_HELP = _("Markdown, with $math$.")


class QuestionQuerySet(models.QuerySet):
    def published(self) -> QuestionQuerySet:
        return self.filter(is_published=True, lesson__course__is_published=True)


class Question(SimulationChecks, models.Model):
    class Kind(models.TextChoices):
        SINGLE = grading.SINGLE, _("Single choice")
        MULTIPLE = grading.MULTIPLE, _("Multiple choice")
        NUMERIC = grading.NUMERIC, _("Numeric answer")

    class SolutionPolicy(models.TextChoices):
        NEVER = grading.NEVER, _("Never")
        AFTER_CORRECT = grading.AFTER_CORRECT, _("After a correct answer")
        AFTER_TRIES = grading.AFTER_TRIES, _("After a correct answer or N tries")

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="questions", verbose_name=_("lesson")
    )
    key = models.SlugField(
        _("key"), max_length=80,
        help_text=_("A stable name within the lesson (content files and variant seeds use it)."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices, default=Kind.SINGLE)
    is_published = models.BooleanField(_("published"), default=True)
    prompt = models.TextField(
        _("prompt"),
        help_text=_("Markdown, with $math$. {name} shows the variant's value of a parameter."),
    )
    explanation = models.TextField(
        _("explanation"), help_text=_("Shown after a correct answer (or after N wrong tries).")
    )
    feedback_correct = models.TextField(
        _("feedback when correct"), blank=True,
        help_text=_("Empty: “Você acertou! Parabéns, agora siga para a próxima página”."),
    )
    feedback_wrong = models.TextField(
        _("feedback when wrong"), blank=True,
        help_text=_("Empty: “Você errou! Tente novamente.”."),
    )
    partial_credit = models.BooleanField(
        _("partial credit"), default=False,
        help_text=_("Multiple choice: score right ticks minus wrong ticks instead of all or "
                    "nothing."),
    )
    answer = models.FloatField(
        _("correct value"), null=True, blank=True,
        help_text=_("Numeric questions without a simulation."),
    )
    rtol = models.FloatField(_("relative tolerance"), default=0.01)
    atol = models.FloatField(_("absolute tolerance"), default=0.0)
    log_scale = models.BooleanField(
        _("compare on a log10 scale"), default=False,
        help_text=_("Order of magnitude: tolerances apply to log10 of the values "
                    "(absolute tolerance 1 = within a factor of 10)."),
    )
    simulation = models.CharField(
        _("simulation"), max_length=64, blank=True,
        help_text=_("Slug of the simulation that computes the answer, e.g. mlp_gradient_flow."),
    )
    fixed_params = models.JSONField(
        _("fixed parameters"), default=dict, blank=True,
        help_text=_('The same for every learner, e.g. {"width": 256, "activation": "sigmoid"}.'),
    )
    varied_params = models.JSONField(
        _("varied parameters"), default=dict, blank=True,
        help_text=_('Drawn per learner, e.g. {"depth": {"min": 4, "max": 12}, '
                    '"activation": ["sigmoid", "tanh"]}.'),
    )
    quantity = models.CharField(
        _("checked quantity"), max_length=300, blank=True,
        help_text=_("Numeric questions: a formula over the result, e.g. "
                    "grad_ratio_first_to_last or hidden_grad_norms[0] / hidden_grad_norms[-1]."),
    )
    choice_predicate = models.CharField(
        _("default choice predicate"), max_length=300, blank=True,
        help_text=_("Condition for choices that set their own parameters and no predicate, "
                    "e.g. 0.1 <= grad_ratio_first_to_last <= 10."),
    )
    max_tries = models.PositiveIntegerField(
        _("maximum tries"), null=True, blank=True, help_text=_("Empty: unlimited.")
    )
    explanation_after_tries = models.PositiveIntegerField(
        _("explanation after wrong tries"), null=True, blank=True,
        help_text=_("Empty: only after a correct answer."),
    )
    solution_policy = models.CharField(
        _("show the solution"), max_length=16, choices=SolutionPolicy.choices,
        default=SolutionPolicy.AFTER_CORRECT,
    )
    solution_after_tries = models.PositiveIntegerField(
        _("solution after tries"), null=True, blank=True,
        help_text=_("N for “after a correct answer or N tries”."),
    )

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["lesson", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "key"], name="question_key_unique"),
            models.CheckConstraint(
                condition=models.Q(rtol__gte=0, atol__gte=0), name="question_tolerances_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lesson.full_number} · {self.key}"

    @property
    def stable_key(self) -> str:
        """Return course/lesson/key: the same on every installation (seeds use it)."""
        return f"{self.lesson.course.slug}/{self.lesson.slug}/{self.key}"

    @property
    def is_choice(self) -> bool:
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"), help_text=_MARKDOWN_HELP)
    is_correct = models.BooleanField(_("correct"), default=False)
    feedback = models.TextField(_("feedback"), blank=True, help_text=_("Shown when chosen."))
    params = models.JSONField(
        _("parameters of this choice"), default=dict, blank=True,
        help_text=_("Overrides for this choice's own simulation run, e.g. "
                    '{"activation": "relu", "init": "he_normal"}.'),
    )
    predicate = models.CharField(
        _("predicate"), max_length=300, blank=True,
        help_text=_("Correct when this condition holds for the learner's variant "
                    "(overrides “correct”)."),
    )

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def judged_by_simulation(self) -> bool:
        return bool(self.predicate or self.params)


class Variant(models.Model):
    """One learner's parameters for a simulation-checked question, and its answer."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="variants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_variants"
    )
    seed = models.BigIntegerField(_("seed"))
    params = models.JSONField(_("parameters"))
    engine_version = models.CharField(_("engine version"), max_length=32)
    fingerprint = models.CharField(_("question fingerprint"), max_length=32)
    value = models.FloatField(_("computed value"), null=True, blank=True)
    correct_choices = models.JSONField(_("correct choices"), default=list, blank=True)
    history = models.JSONField(
        _("earlier computations"), default=list, blank=True,
        help_text=_("Answers computed before an engine or question change."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="variant_per_learner"),
        ]

    def __str__(self) -> str:
        return f"{self.question} · {self.user} · {self.params}"

    def as_answer(self) -> grading.VariantAnswer:
        return grading.VariantAnswer(
            params=self.params, seed=self.seed, engine_version=self.engine_version,
            value=self.value, correct_choices=tuple(self.correct_choices),
        )


class Attempt(models.Model):
    """One graded answer of a logged-in learner, with a snapshot of what was graded."""

    # Indexed by (question, user, created_at) below: a second index would only cost writes.
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attempts",
                                 db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    variant = models.ForeignKey(
        Variant, on_delete=models.SET_NULL, null=True, blank=True, related_name="attempts"
    )
    answer = models.JSONField(_("answer"), help_text=_("Choice ids or the number, normalized."))
    answer_text = models.CharField(_("answer as typed"), max_length=100, blank=True)
    is_correct = models.BooleanField(_("correct"))
    score = models.FloatField(_("score"))
    counts_as_try = models.BooleanField(
        _("counts as a try"), default=True,
        help_text=_("False for a repeated wrong answer and for answers after a correct one."),
    )
    language = models.CharField(_("language"), max_length=8)
    snapshot = models.JSONField(_("snapshot"), help_text=_("The question and variant as graded."))
    idempotency_key = models.CharField(max_length=64, blank=True)
    answered_at = models.DateTimeField(
        _("answered at"), null=True, blank=True,
        help_text=_("When the learner answered, as the app reported it (an answer given "
                    "offline arrives later); empty: when it was received."),
    )
    needs_review = models.BooleanField(
        _("needs review"), default=False,
        help_text=_("A new engine version grades this answer differently."),
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [models.Index(fields=["question", "user", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], condition=~models.Q(idempotency_key=""),
                name="attempt_idempotency_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} · {self.user} · {'✓' if self.is_correct else '✗'}"


class IdempotencyKey(models.Model):
    """One ``Idempotency-Key`` a learner sent with a POST, and the response it got.

    The row is written with the response, in the transaction that did the work, and the
    unique constraint on (learner, key) is what makes a retried request count once: of
    two requests with the same key, only one can commit this row (the other gets the
    stored response). ``fingerprint`` hashes the request (method, path, canonical body)
    so that the same key sent with another body is refused. Rows expire after
    ``quizzes.idempotency.KEY_TTL`` (``manage.py purge_idempotency_keys``); see
    docs/api.md, "Idempotency".
    """

    user = models.ForeignKey(  # indexed by the (user, key) constraint
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_keys",
        verbose_name=_("learner"), db_index=False,
    )
    key = models.CharField(_("key"), max_length=64)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("response status"))
    response = models.JSONField(_("response body"))
    headers = models.JSONField(_("response headers"), default=dict, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_learner"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.key}"
