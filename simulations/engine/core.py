"""Shared machinery of the simulation engine: parameter specs, validation, results.

The engine imports numpy only (never Django), so every simulation can be run and
tested as a plain function and called from any interface.

A simulation is a module that declares

- a frozen dataclass of parameters whose fields are made with :func:`param`, which
  records each field's type, range or choices and a one-line English description;
- ``run(params, seed) -> Result`` (a pure function: same params and seed, same numbers);

and is declared to the rest of Gradiente in ``simulations/declarations/<slug>.py``.

Validation errors carry a *code* and its arguments per field rather than a sentence,
so that the Django layer can phrase them in the request's language.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

# Bump when a change alters any number a simulation returns: cached results,
# stored question variants and their computed answers are keyed by it.
ENGINE_VERSION = "1.2.0"

P = TypeVar("P")


@dataclasses.dataclass(frozen=True)
class FieldError:
    """One problem with one parameter: a machine code and the values to phrase it.

    Codes: ``required``, ``invalid_type`` (args: ``expected``), ``min_value``
    (``limit``), ``max_value`` (``limit``), ``invalid_choice`` (``choices``),
    ``unknown`` (an unexpected parameter name); cross-field codes: ``too_costly``
    (``formula``, ``value``, ``limit``: the run would take too long),
    ``batch_norm_needs_two`` (batch norm on a single example), ``batch_exceeds_samples``,
    ``empty_range`` (``low``, ``high``: names of the two ends), and ``inconsistent``
    (``reason``, an English sentence, for anything else).
    """

    code: str
    args: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def message(self) -> str:
        """Return an English sentence, for logs and for callers without i18n."""
        templates = {
            "required": "This parameter is required.",
            "invalid_type": "Expected {expected}.",
            "min_value": "Must be at least {limit}.",
            "max_value": "Must be at most {limit}.",
            "invalid_choice": "Must be one of: {choices}.",
            "unknown": "Unknown parameter.",
            "too_costly": "{formula} must be at most {limit} (it is {value}); "
                          "reduce one of them.",
            "batch_norm_needs_two": "Batch norm needs at least 2 examples per batch.",
            "batch_exceeds_samples": "batch_size must be at most samples.",
            "empty_range": "{high} must be greater than {low}.",
            "inconsistent": "{reason}",
        }
        args = dict(self.args)
        if "choices" in args:
            args["choices"] = ", ".join(map(str, args["choices"]))
        return templates[self.code].format(**args)


def too_costly(formula: str, value: int, limit: int) -> FieldError:
    """Report parameters whose run would exceed the cost bound (``formula`` > ``limit``)."""
    return FieldError("too_costly", {"formula": formula, "value": value, "limit": limit})


@dataclasses.dataclass(frozen=True)
class Cost:
    """What one run costs, counted by the simulation's own formula, against its bound.

    ``field`` is the parameter a too-costly error is reported under. Interfaces may
    allow less than ``limit`` (an anonymous request of the site may run a share of it).
    """

    formula: str
    value: int
    limit: int
    field: str

    def error(self, limit: int | None = None) -> FieldError | None:
        """Return the too_costly error when the cost exceeds ``limit`` (default the bound)."""
        limit = self.limit if limit is None else limit
        return too_costly(self.formula, self.value, limit) if self.value > limit else None


class ParameterError(ValueError):
    """Raised when parameters are out of range or inconsistent; one error per field."""

    def __init__(self, errors: Mapping[str, FieldError]):
        self.errors = dict(errors)
        super().__init__(
            "; ".join(f"{name}: {error.message()}" for name, error in self.errors.items())
        )


def param(
    default: Any,
    *,
    doc: str,
    minimum: float | None = None,
    maximum: float | None = None,
    choices: tuple | None = None,
    log_scale: bool = False,
) -> Any:
    """Declare a parameter field with its range (or choices) and description."""
    return dataclasses.field(
        default=default,
        metadata={
            "doc": doc,
            "minimum": minimum,
            "maximum": maximum,
            "choices": choices,
            "log_scale": log_scale,
        },
    )


@dataclasses.dataclass(frozen=True)
class ParamSpec:
    """What a client needs to build a form for one parameter."""

    name: str
    type: str  # "int", "float", "bool" or "choice"
    default: Any
    doc: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple | None = None
    log_scale: bool = False

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["choices"] = list(self.choices) if self.choices else None
        return data


def _type_name(field: dataclasses.Field) -> str:
    if field.metadata.get("choices"):
        return "choice"
    annotation = field.type if isinstance(field.type, str) else field.type.__name__
    return {"int": "int", "float": "float", "bool": "bool"}.get(annotation, "choice")


def param_specs(params_cls: type) -> list[ParamSpec]:
    """Return the spec of every parameter of a simulation, in declaration order."""
    return [
        ParamSpec(
            name=field.name,
            type=_type_name(field),
            default=field.default,
            doc=field.metadata.get("doc", ""),
            minimum=field.metadata.get("minimum"),
            maximum=field.metadata.get("maximum"),
            choices=field.metadata.get("choices"),
            log_scale=field.metadata.get("log_scale", False),
        )
        for field in dataclasses.fields(params_cls)
    ]


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _coerce(spec: ParamSpec, raw: Any) -> Any:
    """Convert one raw value (from JSON or a query string) to the spec's type."""
    if spec.type == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise TypeError("a boolean")
    if spec.type == "int":
        if isinstance(raw, bool):
            raise TypeError("a whole number")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str):
            try:
                return int(raw.strip())
            except ValueError:
                pass
        raise TypeError("a whole number")
    if spec.type == "float":
        if isinstance(raw, bool):
            raise TypeError("a number")
        try:
            value = float(raw.strip() if isinstance(raw, str) else raw)
        except (TypeError, ValueError):
            raise TypeError("a number") from None
        if not math.isfinite(value):
            raise TypeError("a finite number")
        return value
    return raw.strip() if isinstance(raw, str) else raw


def _check_range(spec: ParamSpec, value: Any) -> FieldError | None:
    if spec.choices is not None and value not in spec.choices:
        return FieldError("invalid_choice", {"choices": spec.choices})
    if spec.minimum is not None and value < spec.minimum:
        return FieldError("min_value", {"limit": spec.minimum})
    if spec.maximum is not None and value > spec.maximum:
        return FieldError("max_value", {"limit": spec.maximum})
    return None


def validate(params_cls: type[P], raw: Mapping[str, Any] | None = None) -> P:
    """Build a validated, frozen parameter object from raw values (defaults fill gaps).

    Raises :class:`ParameterError` with one :class:`FieldError` per bad field; after
    the per-field checks pass, the class's optional ``check()`` method reports
    cross-field problems (as a mapping of field name to FieldError).
    """
    raw = dict(raw or {})
    specs = {spec.name: spec for spec in param_specs(params_cls)}
    errors: dict[str, FieldError] = {
        name: FieldError("unknown") for name in raw if name not in specs
    }
    values: dict[str, Any] = {}
    for name, spec in specs.items():
        if name not in raw or raw[name] is None:
            values[name] = spec.default
            continue
        try:
            value = _coerce(spec, raw[name])
        except TypeError as exc:
            errors[name] = FieldError("invalid_type", {"expected": str(exc)})
            continue
        problem = _check_range(spec, value)
        if problem:
            errors[name] = problem
        else:
            values[name] = value
    if errors:
        raise ParameterError(errors)
    params = params_cls(**values)
    check = getattr(params, "check", None)
    if check is not None:
        cross_errors = check()
        if cross_errors:
            raise ParameterError(cross_errors)
    return params


def normalized(params: Any) -> dict[str, Any]:
    """Return the parameters as a plain dict with a stable key order (for hashing)."""
    return {field.name: getattr(params, field.name) for field in dataclasses.fields(params)}


def result_header(slug: str, params: Any, seed: int) -> dict[str, Any]:
    """Return what every result's JSON starts with: which run of which engine it is."""
    return {
        "simulation": slug,
        "engine_version": ENGINE_VERSION,
        "seed": seed,
        "params": normalized(params),
    }


def finite_or_none(values) -> list[float | None]:
    """Return floats for JSON, with inf and NaN as None (JSON has no such numbers)."""
    return [float(v) if math.isfinite(v) else None for v in map(float, values)]


@dataclasses.dataclass(frozen=True)
class Simulation:
    """The engine's side of a simulation: slug, English title, parameters and ``run``.

    The Django layer declares the rest (texts, plots, quantities) in
    :class:`simulations.declaration.SimulationDeclaration`.
    """

    slug: str
    title: str  # English; the Django layer translates it
    params_cls: type
    run: Callable[[Any, int], Any]

    def specs(self) -> list[ParamSpec]:
        return param_specs(self.params_cls)

    def validate(self, raw: Mapping[str, Any] | None = None) -> Any:
        return validate(self.params_cls, raw)

    def cost(self, params: Any) -> Cost | None:
        """Return what a run on validated ``params`` costs (None: too cheap to bound)."""
        cost = getattr(params, "cost", None)
        return None if cost is None else cost()
