"""The shared machinery: validation codes, coercion, JSON-safe numbers."""

import dataclasses
import math

import pytest

from simulations.engine.core import (
    FieldError,
    ParameterError,
    finite_or_none,
    normalized,
    param,
    param_specs,
    validate,
)


@dataclasses.dataclass(frozen=True)
class ToyParams:
    depth: int = param(3, doc="Depth.", minimum=1, maximum=10)
    rate: float = param(0.1, doc="Rate.", minimum=1e-3, maximum=1.0, log_scale=True)
    kind: str = param("a", doc="Kind.", choices=("a", "b"))
    flag: bool = param(False, doc="Flag.")

    def check(self):
        if self.kind == "b" and self.depth > 5:
            return {"depth": FieldError("inconsistent", {"reason": "b is shallow"})}
        return {}


def codes(error: ParameterError) -> dict[str, str]:
    return {name: field_error.code for name, field_error in error.errors.items()}


def test_defaults_fill_missing_values():
    assert validate(ToyParams, {}) == ToyParams()


def test_strings_from_a_query_string_are_coerced():
    params = validate(ToyParams, {"depth": "4", "rate": "0.5", "kind": " b ", "flag": "on"})
    assert params == ToyParams(depth=4, rate=0.5, kind="b", flag=True)


def test_every_bad_field_is_reported_with_its_code():
    with pytest.raises(ParameterError) as caught:
        validate(ToyParams, {"depth": 0, "rate": 2.0, "kind": "c", "flag": "maybe", "x": 1})
    assert codes(caught.value) == {
        "depth": "min_value",
        "rate": "max_value",
        "kind": "invalid_choice",
        "flag": "invalid_type",
        "x": "unknown",
    }
    assert caught.value.errors["depth"].args == {"limit": 1}


@pytest.mark.parametrize("raw", [True, 2.5, "three", None.__class__])
def test_an_int_field_refuses_non_integers(raw):
    with pytest.raises(ParameterError) as caught:
        validate(ToyParams, {"depth": raw})
    assert codes(caught.value) == {"depth": "invalid_type"}


@pytest.mark.parametrize("raw", ["nan", "inf", float("inf")])
def test_a_float_field_refuses_non_finite_numbers(raw):
    with pytest.raises(ParameterError) as caught:
        validate(ToyParams, {"rate": raw})
    assert codes(caught.value) == {"rate": "invalid_type"}


def test_cross_field_check_runs_after_field_checks():
    with pytest.raises(ParameterError) as caught:
        validate(ToyParams, {"kind": "b", "depth": 6})
    assert codes(caught.value) == {"depth": "inconsistent"}
    assert "b is shallow" in str(caught.value)


def test_specs_describe_types_ranges_and_choices():
    specs = {spec.name: spec.to_dict() for spec in param_specs(ToyParams)}
    assert specs["depth"]["type"] == "int" and specs["depth"]["maximum"] == 10
    assert specs["rate"]["log_scale"] is True
    assert specs["kind"]["type"] == "choice" and specs["kind"]["choices"] == ["a", "b"]
    assert specs["flag"]["type"] == "bool"


def test_normalized_keeps_declaration_order():
    assert list(normalized(ToyParams())) == ["depth", "rate", "kind", "flag"]


def test_finite_or_none_replaces_inf_and_nan():
    assert finite_or_none([1, math.inf, -math.inf, math.nan, 2.5]) == [1.0, None, None, None, 2.5]
