"""Refuse a simulation-checked question whose key can disagree with its explanation.

A choice judged by simulation is right or wrong by a predicate over a seeded run. Two
things can make the key contradict what the question teaches: a variant whose value
lies next to a predicate's boundary (its seed, not the science, decides), and a variant
whose correct choices differ from the others' when the question says the answer is the
same for everyone (``same_answer``). Variants near a boundary are never served (see
:func:`quizzes.variants.served_variant`); this module samples the variants learners are
served and refuses the question when a sampled learner would get no clear variant, or,
for ``same_answer``, when the correct choices change. Each problem names the variant:
its parameters and seed, which the lab reproduces.

Sampling covers the space because the sample is drawn exactly as learners' variants are
(the same hashes of learner keys, the same redraws), so each sampled variant is one a
learner can be served: a failure that some fraction p of learners would meet escapes N
samples with probability (1 - p)^N: under 1 % for p = 2 % at N = 250 (the check on
import and in the admin), for p = 0.5 % at N = 1000 (the course's test). One variant costs
one run per judged choice, about 50 ms for lesson 18.8's five configurations of up to 20
layers, so 250 learners take about 12 s; the check stops at a time budget (and logs it),
and its result is kept per question specification, so importing the same content again
costs nothing.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.utils.translation import gettext as _

from . import variants

logger = logging.getLogger(__name__)

SAMPLED_LEARNERS = 250  # when a question is imported or saved in the admin
BUDGET_SECONDS = 30.0  # then the check stops, and logs how far it came
_checked: dict[tuple, list[str]] = {}


def describe(draft: Any, computed: variants.ComputedVariant) -> str:
    """Name a variant as an instructor can reproduce it: its varied parameters and seed."""
    params = {name: computed.answer.params[name] for name in draft.vary
              if name in computed.answer.params}
    return _("%(params)s (seed %(seed)d)") % {"params": params or _("no varied parameter"),
                                               "seed": computed.answer.seed}


def _labels(draft: Any, choice_ids: tuple[int, ...]) -> str:
    return ", ".join(draft.choices[index].label for index in choice_ids) or "—"


def check_variant_space(draft: Any, *, learners: int = SAMPLED_LEARNERS,
                        budget: float = BUDGET_SECONDS) -> list[str]:
    """Return the problems of the variants sampled learners would be served (none: fine).

    ``draft`` is a :class:`quizzes.validation.QuestionDraft` with choices judged by
    simulation; the caller has checked its predicates already.
    """
    spec = draft.spec()
    if not spec.choice_rules:
        return []
    cache_key = (spec.fingerprint(), draft.key, draft.same_answer, learners)
    if cache_key not in _checked:
        if len(_checked) >= 256:  # a long-running process with many admin edits
            _checked.clear()
        _checked[cache_key] = _sample(draft, spec, learners, budget)
    return list(_checked[cache_key])


def _sample(draft: Any, spec: variants.SimulationSpec, learners: int,
            budget: float) -> list[str]:
    started = time.monotonic()
    first: variants.ComputedVariant | None = None
    for number in range(learners):
        if time.monotonic() - started > budget:
            logger.warning("Variants of %s: %d of %d learners checked in %.0f s", draft.key,
                           number, learners, budget)
            break
        served = variants.served_variant(spec, draft.key, f"validation {number}")
        if not served.clear:
            return [_("No clear variant in %(draws)d draws: %(variant)s lies %(distance).3g "
                      "from a predicate's boundary, within the margin %(margin)g. Widen the "
                      "predicate's band, change the parameters, or lower the margin.") % {
                "draws": variants.MAX_DRAWS, "variant": describe(draft, served),
                "distance": served.clearance, "margin": spec.margin}]
        first = first or served
        if draft.same_answer and served.answer.correct_choices != first.answer.correct_choices:
            return [_("The correct choices change between variants, but the question says "
                      "the answer is the same for everyone: choices %(these)s for "
                      "%(variant)s, choices %(those)s for %(other)s.") % {
                "these": _labels(draft, served.answer.correct_choices),
                "variant": describe(draft, served),
                "those": _labels(draft, first.answer.correct_choices),
                "other": describe(draft, first)}]
    return []
