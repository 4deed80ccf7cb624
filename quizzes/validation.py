"""Check a question as an instructor wrote it, in the admin or in a content file.

Returns problems as (field, message) pairs in the active language, so the admin shows
them beside the field and the content import names them with the file. Simulation
ranges are checked against the engine itself: every combination of the ranges' ends is
validated, and the checked quantity and choice predicates are evaluated on sample
variants, so a question that would fail for some learner is refused before it is saved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from simulations.engine.core import ParameterError

from . import grading, variants
from .expressions import ExpressionError, parse
from .margins import DEFAULT_MARGIN
from .variant_space import check_variant_space

SAMPLE_LEARNERS = 6  # variants drawn, beyond the ranges' corners, to check predicates

Problem = tuple[str | None, str]


@dataclasses.dataclass(frozen=True)
class ChoiceDraft:
    label: str  # "1", "2"... for messages
    is_correct: bool
    predicate: str = ""
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class QuestionDraft:
    kind: str
    key: str = "draft"
    answer: float | None = None
    rtol: float = 0.0
    atol: float = 0.0
    log_scale: bool = False
    simulation: str = ""
    fixed: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    vary: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    quantity: str = ""
    choice_predicate: str = ""
    solution_policy: str = grading.AFTER_CORRECT
    solution_after_tries: int | None = None
    choices: tuple[ChoiceDraft, ...] = ()
    margin: float = DEFAULT_MARGIN
    same_answer: bool = False

    def spec(self) -> variants.SimulationSpec:
        rules = tuple(
            variants.ChoiceRule(index, choice.predicate or self.choice_predicate, choice.params)
            for index, choice in enumerate(self.choices)
            if choice.predicate or choice.params
        )
        return variants.SimulationSpec(
            self.simulation, self.fixed, self.vary, self.quantity, rules,
            self.margin if rules else 0.0,
        )


def _parameter_problems(error: ParameterError) -> str:
    return "; ".join(f"{name}: {problem.message()}" for name, problem in error.errors.items())


def _check_rule(name: str, rule: Any, spec: Any) -> str | None:
    """Return what is wrong with one varied parameter's rule, or None."""
    if isinstance(rule, Mapping) and "choices" in rule:
        rule = rule["choices"]
    if isinstance(rule, list | tuple):
        return None if rule else _("“%(name)s”: give at least one value.") % {"name": name}
    if not isinstance(rule, Mapping) or not {"min", "max"} <= set(rule):
        return _("“%(name)s”: write a list of values or {\"min\": …, \"max\": …}.") % {
            "name": name}
    unknown = set(rule) - {"min", "max", "step", "log", "digits"}
    if unknown:
        return _("“%(name)s”: unknown key(s) %(keys)s.") % {
            "name": name, "keys": ", ".join(sorted(unknown))}
    numbers = [rule[key] for key in ("min", "max", "step") if key in rule]
    if any(isinstance(n, bool) or not isinstance(n, int | float) for n in numbers):
        return _("“%(name)s”: min, max and step must be numbers.") % {"name": name}
    if spec.type not in ("int", "float"):
        return _("“%(name)s” is not a number: list its values instead.") % {"name": name}
    if rule["min"] > rule["max"]:
        return _("“%(name)s”: min is greater than max.") % {"name": name}
    if "step" in rule and rule["step"] <= 0:
        return _("“%(name)s”: step must be positive.") % {"name": name}
    if rule.get("log") and rule["min"] <= 0:
        return _("“%(name)s”: a log range needs a positive min.") % {"name": name}
    return None


def _check_ranges(draft: QuestionDraft, simulation: Any) -> list[Problem]:
    specs = {spec.name: spec for spec in simulation.specs()}
    problems: list[Problem] = []
    for name in draft.fixed:
        if name not in specs:
            problems.append(("fixed_params", _("Unknown parameter “%(name)s” (the simulation "
                                               "has: %(known)s).") % {
                "name": name, "known": ", ".join(specs)}))
    for name, rule in draft.vary.items():
        if name not in specs:
            problems.append(("varied_params", _("Unknown parameter “%(name)s” (the simulation "
                                                "has: %(known)s).") % {
                "name": name, "known": ", ".join(specs)}))
        elif name in draft.fixed:
            problems.append(("varied_params", _("“%(name)s” is both fixed and varied.") % {
                "name": name}))
        elif problem := _check_rule(name, rule, specs[name]):
            problems.append(("varied_params", problem))
    if problems:
        return problems
    for corner in variants.corner_cases(draft.vary) or [{}]:
        try:
            simulation.validate({**draft.fixed, **corner})
        except ParameterError as error:
            field = "varied_params" if draft.vary else "fixed_params"
            return [(field, _("Invalid for the simulation when %(values)s: %(problems)s") % {
                "values": corner or draft.fixed, "problems": _parameter_problems(error)})]
    return []


def _varied(draft: QuestionDraft, params: Mapping[str, Any]) -> dict[str, Any]:
    return {name: params[name] for name in draft.vary if name in params}


def _sample_seeds(draft: QuestionDraft) -> list[int]:
    return [variants.variant_seed(draft.key, f"sample-{n}") for n in range(SAMPLE_LEARNERS)]


def check_question(draft: QuestionDraft) -> list[Problem]:
    """Return every problem of the question's own fields (not the choices' counts)."""
    problems: list[Problem] = [(name, _("Tolerances cannot be negative."))
                               for name in ("rtol", "atol") if getattr(draft, name) < 0]
    if draft.margin < 0:
        problems.append(("margin", _("The margin cannot be negative.")))
    if draft.solution_policy == grading.AFTER_TRIES and not draft.solution_after_tries:
        problems.append(("solution_after_tries", _("Say after how many tries.")))
    if draft.kind == grading.NUMERIC:
        if draft.answer is None and not draft.simulation:
            problems.append((None, _("A numeric question needs a correct value or a "
                                     "simulation that computes it.")))
        if draft.answer is not None and draft.simulation:
            problems.append(("answer", _("Give a correct value or a simulation, not both.")))
        if draft.log_scale and draft.answer is not None and draft.answer <= 0:
            problems.append(("answer", _("On a log10 scale the correct value must be "
                                         "positive.")))
        if draft.simulation and not draft.quantity:
            problems.append(("quantity", _("Say which quantity of the result is the answer.")))
    if not draft.simulation:
        if draft.vary or draft.fixed or draft.quantity:
            problems.append(("simulation", _("Parameters and a quantity need a simulation.")))
        return problems
    try:
        simulation = variants.get_simulation(draft.simulation)
    except KeyError:
        return [*problems, ("simulation", _("Unknown simulation “%(slug)s” (available: "
                                            "%(known)s).") % {
            "slug": draft.simulation, "known": ", ".join(variants.available_simulations())})]
    problems += _check_ranges(draft, simulation)
    if draft.quantity:
        try:
            parse(draft.quantity)
        except ExpressionError as error:
            problems.append(("quantity", str(error)))
    if problems or draft.kind != grading.NUMERIC:
        return problems
    for seed in _sample_seeds(draft):
        try:
            computed = variants.compute_variant(draft.spec(), seed)
        except (ExpressionError, ParameterError) as error:
            return [("quantity", str(error))]
        value = computed.answer.value
        if value is None or (draft.log_scale and value <= 0):
            return [("quantity", _("The quantity has no finite%(positive)s value for the "
                                   "variant %(params)s.") % {
                "positive": _(", positive") if draft.log_scale else "",
                "params": _varied(draft, computed.answer.params)})]
    return problems


def check_choices(draft: QuestionDraft) -> list[str]:
    """Return the problems of the choices: counts for the type, predicates that fail."""
    if draft.kind == grading.NUMERIC:
        return [_("A numeric question has no choices.")] if draft.choices else []
    if len(draft.choices) < 2:
        return [_("Give at least two choices.")]
    judged = [c for c in draft.choices if c.predicate or c.params]
    if judged and not draft.simulation:
        return [_("Choices with a predicate or parameters need the question's simulation.")]
    for choice in judged:
        if not (choice.predicate or draft.choice_predicate):
            return [_("Choice %(label)s sets parameters but there is no predicate (on the "
                      "choice or the question).") % {"label": choice.label}]
        try:
            parse(choice.predicate or draft.choice_predicate)
        except ExpressionError as error:
            return [_("Choice %(label)s: %(problem)s") % {"label": choice.label,
                                                          "problem": error}]
    if not judged:
        correct = sum(c.is_correct for c in draft.choices)
        if draft.kind == grading.SINGLE and correct != 1:
            return [_("A single-choice question needs exactly one correct choice (it has "
                      "%(count)d).") % {"count": correct}]
        if draft.kind == grading.MULTIPLE and correct < 1:
            return [_("A multiple-choice question needs at least one correct choice.")]
        return []
    return _check_predicates(draft)


def _check_predicates(draft: QuestionDraft) -> list[str]:
    spec = draft.spec()
    fixed_correct = [i for i, c in enumerate(draft.choices)
                     if c.is_correct and not (c.predicate or c.params)]
    for seed in _sample_seeds(draft):
        try:
            computed = variants.compute_variant(spec, seed)
        except (ExpressionError, ParameterError, KeyError) as error:
            return [_("The choices cannot be judged: %(problem)s") % {"problem": error}]
        correct = len(computed.answer.correct_choices) + len(fixed_correct)
        params = _varied(draft, computed.answer.params)
        if draft.kind == grading.SINGLE and correct != 1:
            return [_("For the variant %(params)s, %(count)d choices are correct; a "
                      "single-choice question needs exactly one.") % {
                "params": params, "count": correct}]
        if draft.kind == grading.MULTIPLE and correct < 1:
            return [_("For the variant %(params)s no choice is correct.") % {"params": params}]
    return check_variant_space(draft)
