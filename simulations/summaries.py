"""The few numbers of a result that the lab shows next to its plot, in words and digits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from .descriptions import choice_label
from .plots.common import number, scientific

Numbers = list[tuple[str, str]]


def key_numbers(slug: str, data: dict[str, Any]) -> Numbers:
    """Return (label, value) pairs that sum a result up, in the active language."""
    summarize = SUMMARIES.get(slug)
    return summarize(data) if summarize else []


def _value(value: float | None) -> str:
    return _("overflow (inf or NaN)") if value is None else scientific(value)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{number(100 * value)}%"


def _mlp(data) -> Numbers:
    norms = data["weight_grad_norms"]
    layers = data["layers"]
    shares = data["saturated_fractions"] or data["dead_fractions"] or []
    finite_shares = [share for share in shares if share is not None]
    inactive = (_("Largest share of saturated units") if data["saturated_fractions"] is not None
                else _("Largest share of dead units"))
    return [
        (_("Loss"), _value(data["loss"])),
        (_("Gradient norm at layer %(layer)d") % {"layer": layers[-1]}, _value(norms[-1])),
        (_("Gradient norm at layer %(layer)d") % {"layer": layers[0]}, _value(norms[0])),
        (_("Ratio layer %(first)d / layer %(last)d") % {"first": layers[0], "last": layers[-1]},
         _value(data["grad_ratio_first_to_last"])),
        (inactive, _percent(max(finite_shares, default=None))),
    ]


def _training(data) -> Numbers:
    numbers = [
        (_("Initial loss"), _value(data["losses"][0] if data["losses"] else None)),
        (_("Final loss"), _value(data["final_loss"])),
    ]
    if data["params"]["clipping"] != "none":
        numbers.append((_("Steps with a clipped gradient"), _percent(data["clipped_fraction"])))
    if data["diverged"]:
        numbers.append((_("Diverged at step"), str(data["divergence_step"])))
    else:
        numbers.append((_("Diverged"), _("no")))
    return numbers


def _recurrent(data) -> Numbers:
    steps = data["steps"]
    numbers = [
        (_("Gradient norm at step %(step)d") % {"step": steps[-1]},
         _value(data["grad_h_norms"][-1])),
        (_("Gradient norm at step %(step)d") % {"step": steps[0]}, _value(data["grad_h_norms"][0])),
        (_("Ratio step %(first)d / step %(last)d") % {"first": steps[0], "last": steps[-1]},
         _value(data["grad_ratio_first_to_last"])),
        (_("Spectral radius"), _value(data["spectral_radius"])),
        (_("Largest singular value"), _value(data["largest_singular_value"])),
    ]
    if data["saturated_fraction"] is not None:
        numbers.append((_("Saturated tanh units"), _percent(data["saturated_fraction"])))
    return numbers


def _activations(data) -> Numbers:
    return [
        (_("Largest derivative of %(name)s") % {"name": choice_label(name)},
         number(curves["max_derivative_on_grid"]))
        for name, curves in data["activations"].items()
    ]


def _init_variance(data) -> Numbers:
    last = data["layers"][-1]
    return [
        (_("Var[z] at layer %(layer)d, %(scheme)s") % {"layer": last,
                                                       "scheme": choice_label(scheme)},
         _value(values["preactivation_variances"][-1]))
        for scheme, values in data["schemes"].items()
    ]


def _gradcheck(data) -> Numbers:
    return [
        (_("Largest relative error"), _value(data["max_relative_error"])),
        (_("Tolerance"), scientific(data["tolerance"])),
        (_("Check"), _("passes") if data["passed"] else _("fails")),
    ]


SUMMARIES: dict[str, Callable[[dict[str, Any]], Numbers]] = {
    "mlp_gradient_flow": _mlp,
    "training_dynamics": _training,
    "recurrent_gradient_flow": _recurrent,
    "activations": _activations,
    "init_variance": _init_variance,
    "gradient_check": _gradcheck,
}
