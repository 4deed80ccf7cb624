"""What a simulation-checked question declares about how its variants may be used.

An abstract model, mixed into :class:`~quizzes.models.Question`, so the question's own
module stays readable: the margin a served variant keeps from every decision boundary
(:mod:`quizzes.margins`), whether the answer is the same for every learner (then the
validator refuses a question whose correct choices vary), and what the lab link shows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .learner_state import MEASURE, PREDICT
from .margins import DEFAULT_MARGIN


class SimulationChecks(models.Model):
    class LabMode(models.TextChoices):
        PREDICT = PREDICT, _("Predict: until solved, the lab runs a practice configuration")
        MEASURE = MEASURE, _("Measure: the lab runs the learner's variant")

    margin = models.FloatField(
        _("decision margin"), default=DEFAULT_MARGIN,
        help_text=_("Choices judged by simulation: a variant closer than this to a "
                    "predicate's boundary (in decades for positive values, else relative) "
                    "is redrawn, never served."),
    )
    same_answer = models.BooleanField(
        _("same answer for everyone"), default=False,
        help_text=_("The explanation holds for every variant: validation refuses the "
                    "question if its correct choices vary from one variant to another."),
    )
    lab_mode = models.CharField(
        _("lab link"), max_length=8, choices=LabMode.choices, default=LabMode.PREDICT,
        help_text=_("Predict: until the question is solved or its tries are spent, its lab "
                    "link opens a practice configuration (the varied parameters drawn "
                    "again, another seed). Measure: the learner's exact variant."),
    )

    class Meta:
        abstract = True
