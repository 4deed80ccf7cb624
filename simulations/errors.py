"""Phrase the engine's parameter errors in the active language, one message per field.

The engine reports a code and its arguments (:class:`~simulations.engine.core.FieldError`)
instead of a sentence; this module is where those become words a learner reads, in
the API's 400 responses and under the lab's form fields alike.
"""

from __future__ import annotations

import re

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .engine.core import FieldError, ParameterError

# The engine's words for the type it expected (FieldError "invalid_type").
EXPECTED = {
    "a boolean": gettext_lazy("a yes or no value"),
    "a whole number": gettext_lazy("a whole number"),
    "a number": gettext_lazy("a number"),
    "a finite number": gettext_lazy("a finite number"),
}

# Cross-field reasons the engine states in English (FieldError "inconsistent"); a
# reason not listed here is shown as the engine wrote it.
REASONS = {
    "Batch norm needs at least 2 examples per batch.":
        gettext_lazy("Batch normalization needs at least 2 examples per batch."),
    "batch_size must be at most samples.":
        gettext_lazy("The batch size must be at most the number of training examples."),
    "x_max must be greater than x_min.":
        gettext_lazy("The right end of the range must be greater than the left end."),
}
_COST_REASON = re.compile(
    r"^(?P<product>.+) must be at most (?P<limit>\d+) \(it is (?P<value>\d+)\); "
    r"reduce one of them\.$"
)


def field_message(error: FieldError) -> str:
    """Return one error's message in the active language."""
    args = error.args
    if error.code == "required":
        return _("This parameter is required.")
    if error.code == "invalid_type":
        expected = EXPECTED.get(args.get("expected"), args.get("expected"))
        return _("Enter %(expected)s.") % {"expected": expected}
    if error.code == "min_value":
        return _("Must be at least %(limit)s.") % {"limit": _number(args["limit"])}
    if error.code == "max_value":
        return _("Must be at most %(limit)s.") % {"limit": _number(args["limit"])}
    if error.code == "invalid_choice":
        choices = ", ".join(str(choice) for choice in args["choices"])
        return _("Choose one of: %(choices)s.") % {"choices": choices}
    if error.code == "unknown":
        return _("Unknown parameter.")
    if error.code == "inconsistent":
        return _reason(str(args.get("reason", "")))
    return error.message()


def field_messages(error: ParameterError) -> dict[str, list[str]]:
    """Return {field: [message]} for every field of a ParameterError (DRF's error shape)."""
    return {name: [field_message(problem)] for name, problem in error.errors.items()}


def _reason(reason: str) -> str:
    if reason in REASONS:
        return str(REASONS[reason])
    match = _COST_REASON.match(reason)
    if match:
        return _(
            "%(product)s must be at most %(limit)s (it is %(value)s): the run would take too "
            "long. Reduce one of them."
        ) % {key: _number(int(value)) if key != "product" else value
             for key, value in match.groupdict().items()}
    return reason


def _number(value: float) -> str:
    """Return a limit as people write it: 60, not 60.0; 0,001 in Portuguese."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return formats.number_format(value, use_l10n=True, force_grouping=abs(value) >= 10000)

