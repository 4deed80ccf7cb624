"""Per-learner variants of simulation-checked questions, and their computed answers.

A question checked by simulation declares, without code (see docs/authoring.md):

- ``simulation``: a slug of :mod:`simulations.registry`, e.g. ``mlp_gradient_flow``;
- ``fixed``: parameters every learner gets, e.g. ``{"width": 256}``;
- ``vary``: parameters drawn per learner, each a list of values to pick from or a range
  ``{"min": 4, "max": 12}`` (integers for integer parameters; floats rounded to
  ``digits`` significant digits, default 2, drawn log-uniformly with ``log: true``, or on
  a grid with ``step``);
- ``quantity`` (numeric questions): a formula over the result's ``to_dict()`` or a name
  of the simulation's declared ``quantities`` (see :mod:`.expressions`);
- per choice, an optional ``predicate`` (a condition over the result) and ``params``
  (overrides for that choice's own run: "which of these configurations...").

Each draw comes from a seed derived with SHA-256 from the question and the learner, and
each parameter from its own hash of that seed, so a learner always gets the same
variant, on any machine, and adding a varied parameter leaves the others' values alone.
The simulation then runs on the variant's parameters with the same seed. A variant whose
choice predicates lie within the question's ``margin`` of a boundary is not served: the
draw is redone from the same learner's key (:func:`served_variant`, :mod:`.margins`).

Pure Python and numpy (through the engine); Django only through the simulations'
registry, which names each simulation's engine and quantities.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import logging
import math
import re
from collections.abc import Mapping
from typing import Any

from simulations import registry
from simulations.declaration import SimulationDeclaration
from simulations.engine.core import ENGINE_VERSION, normalized

from .expressions import evaluate_condition, evaluate_number
from .grading import VariantAnswer
from .margins import clearance

logger = logging.getLogger(__name__)
MAX_DRAWS = 12  # draws of one learner's variant before the fallback

_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
_BOOL_WORDS = {"pt-br": ("sim", "não"), "en": ("yes", "no")}


@dataclasses.dataclass(frozen=True)
class ChoiceRule:
    """A choice judged by the simulation: true when ``predicate`` holds for the variant."""

    choice_id: int
    predicate: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class SimulationSpec:
    simulation: str
    fixed: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    vary: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    quantity: str = ""
    choice_rules: tuple[ChoiceRule, ...] = ()
    margin: float = 0.0  # the clearance a served variant needs (see :mod:`.margins`)

    def fingerprint(self) -> str:
        """Return a hash of everything that decides a variant's answer (not the texts)."""
        rules = sorted(
            ([rule.choice_id, rule.predicate, dict(rule.params)] for rule in self.choice_rules),
            key=lambda rule: rule[0],
        )
        data = [self.simulation, dict(self.fixed), dict(self.vary), self.quantity, rules]
        if rules and self.margin:  # it decides which variant is served
            data.append(self.margin)
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:32]


@dataclasses.dataclass(frozen=True)
class ComputedVariant:
    answer: VariantAnswer
    fingerprint: str
    result: Mapping[str, Any]  # the main run's to_dict(), for previews
    clearance: float = math.inf  # the predicates' distance from a boundary
    margin: float = 0.0  # the spec's: the clearance needed to be served

    @property
    def clear(self) -> bool:
        return self.clearance >= self.margin


def get_simulation(slug: str) -> SimulationDeclaration:
    """Return the simulation named ``slug``; KeyError when there is none."""
    return registry.get(slug)


def available_simulations() -> list[str]:
    return list(registry.SIMULATIONS)


def quantities(slug: str) -> dict[str, str]:
    """Return the named quantities of a simulation (none for an unknown one).

    They are what instructors most often check, by a plain name; every key of a
    result's to_dict() is available as well (grad_ratio_first_to_last...).
    """
    simulation = registry.SIMULATIONS.get(slug)
    return dict(simulation.quantities) if simulation else {}


def variant_seed(question_key: str, learner_key: str) -> int:
    """Return a 32-bit seed from the question's stable key and the learner's key.

    32 bits, so that the lab (which takes seeds below 2**32) reproduces a variant's run.
    """
    digest = hashlib.sha256(f"gradiente-variant\x00{question_key}\x00{learner_key}".encode())
    return int.from_bytes(digest.digest()[:4], "big")


def _unit(seed: int, name: str) -> float:
    """Return a number in [0, 1) from the seed and one parameter's name."""
    digest = hashlib.sha256(f"{seed}\x00{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def round_significant(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")


def draw_value(rule: Any, kind: str, unit: float) -> Any:
    """Draw one parameter's value from its rule, given a number ``unit`` in [0, 1)."""
    if isinstance(rule, Mapping) and "choices" in rule:
        rule = rule["choices"]
    if isinstance(rule, list | tuple):
        return rule[min(int(unit * len(rule)), len(rule) - 1)]
    low, high = rule["min"], rule["max"]
    if "step" in rule:
        count = math.floor((high - low) / rule["step"] + 1e-9) + 1
        value = low + rule["step"] * min(int(unit * count), count - 1)
        return int(round(value)) if kind == "int" else round(value, 12)
    if rule.get("log"):
        value = 10 ** (math.log10(low) + unit * (math.log10(high) - math.log10(low)))
    elif kind == "int":
        return int(low) + min(int(unit * (high - low + 1)), int(high - low))
    else:
        value = low + unit * (high - low)
    if kind == "int":
        return int(min(max(round(value), low), high))
    return min(max(round_significant(value, int(rule.get("digits", 2))), low), high)


def param_kinds(simulation: SimulationDeclaration) -> dict[str, str]:
    return {spec.name: spec.type for spec in simulation.specs()}


def draw_params(vary: Mapping[str, Any], seed: int, kinds: Mapping[str, str]) -> dict[str, Any]:
    """Return the varied parameters' values for ``seed`` (reproducible on any machine)."""
    return {
        name: draw_value(rule, kinds.get(name, "float"), _unit(seed, name))
        for name, rule in vary.items()
    }


def rule_extremes(rule: Any) -> list[Any]:
    """Return the values that bound a rule: every choice, or the range's ends."""
    if isinstance(rule, Mapping) and "choices" in rule:
        return list(rule["choices"])
    if isinstance(rule, list | tuple):
        return list(rule)
    return [rule["min"], rule["max"]]


def corner_cases(vary: Mapping[str, Any], limit: int = 64) -> list[dict[str, Any]]:
    """Return up to ``limit`` combinations of every rule's extremes (to validate ranges)."""
    names = list(vary)
    combos = itertools.product(*(rule_extremes(vary[name]) for name in names))
    return [dict(zip(names, combo, strict=True)) for combo in itertools.islice(combos, limit)]


def _run(simulation: SimulationDeclaration, raw: Mapping[str, Any], seed: int) -> tuple[Any, dict]:
    params = simulation.validate(raw)  # ParameterError for an invalid combination
    return params, simulation.run(params, seed).to_dict()


def compute_variant(spec: SimulationSpec, seed: int) -> ComputedVariant:
    """Draw the variant for ``seed``, run the simulation, and compute the answer.

    Raises KeyError (unknown simulation), ParameterError (invalid parameters) or
    ExpressionError (a formula that does not fit the result).
    """
    simulation = get_simulation(spec.simulation)
    raw = {**spec.fixed, **draw_params(spec.vary, seed, param_kinds(simulation))}
    params, result = _run(simulation, raw, seed)
    named = dict(simulation.quantities)
    value = evaluate_number(spec.quantity, result, named) if spec.quantity else None
    correct, distance = [], math.inf
    for rule in spec.choice_rules:
        choice_result = _run(simulation, {**raw, **rule.params}, seed)[1] if rule.params else result
        if evaluate_condition(rule.predicate, choice_result, named):
            correct.append(rule.choice_id)
        distance = min(distance, clearance(rule.predicate, choice_result, named))
    answer = VariantAnswer(
        params=normalized(params),
        seed=seed,
        engine_version=ENGINE_VERSION,
        value=value,
        correct_choices=tuple(sorted(correct)),
    )
    return ComputedVariant(answer=answer, fingerprint=spec.fingerprint(), result=result,
                           clearance=distance, margin=spec.margin)


def candidate_seeds(question_key: str, learner_key: str) -> list[int]:
    """Return the seeds a learner's variant is drawn from, in order: the first clear one is
    served. Each redraw hashes the same learner key, so it is as reproducible as the first.
    """
    return [variant_seed(question_key, learner_key if tries == 0
                         else f"{learner_key}\x00redraw {tries}")
            for tries in range(MAX_DRAWS)]


def served_variant(spec: SimulationSpec, question_key: str, learner_key: str,
                   compute: Any = None) -> ComputedVariant:
    """Return the learner's first clear variant (within MAX_DRAWS draws).

    When none is clear (the question's validation should have refused it), fall back to
    the clearest one, and log it: an answer near a boundary beats no exercise.
    """
    compute = compute or compute_variant
    tried = []
    for seed in candidate_seeds(question_key, learner_key):
        computed = compute(spec, seed)
        if computed.clear:
            return computed
        tried.append(computed)
    logger.warning("No clear variant of %s for %s in %d draws", question_key, learner_key,
                   MAX_DRAWS)
    return max(tried, key=lambda computed: computed.clearance)


def format_value(value: Any, language: str) -> str:
    """Write a parameter's value as the prompt shows it (0,05 in Portuguese)."""
    if isinstance(value, bool):
        yes, no = _BOOL_WORDS.get(language, _BOOL_WORDS["en"])
        return yes if value else no
    if isinstance(value, float):
        text = f"{value:.4g}"
        return text.replace(".", ",") if language == "pt-br" else text
    return str(value)


def render_prompt(template: str, params: Mapping[str, Any], language: str) -> str:
    """Put the variant's values where the text says ``{name}``; other braces stay (LaTeX)."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        return format_value(params[name], language) if name in params else match.group(0)

    return _PLACEHOLDER.sub(replace, template)


def flatten(result: Any, prefix: str = "", limit: int = 200) -> list[tuple[str, Any]]:
    """Return (formula, value) pairs for a result, to show instructors what they can use."""
    pairs: list[tuple[str, Any]] = []
    if isinstance(result, Mapping):
        for key, value in result.items():
            pairs += flatten(value, f"{prefix}.{key}" if prefix else str(key), limit)
    elif isinstance(result, list) and result and not isinstance(result[0], Mapping | list):
        pairs.append((prefix, result if len(result) <= 8 else [*result[:3], "…", *result[-3:]]))
        pairs.append((f"{prefix}[0]", result[0]))
        pairs.append((f"{prefix}[-1]", result[-1]))
    elif isinstance(result, list):
        for index, value in enumerate(result[:4]):
            pairs += flatten(value, f"{prefix}[{index}]", limit)
    else:
        pairs.append((prefix, result))
    return pairs[:limit]
