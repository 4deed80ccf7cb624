"""Phrase the engine's parameter errors in the active language, one message per field.

The engine reports a code and its arguments (:class:`~simulations.engine.core.FieldError`)
instead of a sentence; this module is where those become words a learner reads, in
the API's 400 responses and under the lab's form fields alike.
"""

from __future__ import annotations

from django.utils import formats, numberformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .engine.core import FieldError, ParameterError

NARROW_SPACE = "\u202f"  # groups thousands: "10 000" reads alike in every language

# The engine's words for the type it expected (FieldError "invalid_type").
EXPECTED = {
    "a boolean": gettext_lazy("a yes or no value"),
    "a whole number": gettext_lazy("a whole number"),
    "a number": gettext_lazy("a number"),
    "a finite number": gettext_lazy("a finite number"),
}

def field_message(error: FieldError) -> str:
    """Return one error's message in the active language."""
    args = error.args
    if error.code == "required":
        return _("This parameter is required.")
    if error.code == "invalid_type":
        expected = EXPECTED.get(args.get("expected"), args.get("expected"))
        return _("Enter %(expected)s.") % {"expected": expected}
    if error.code == "min_value":
        return _("Must be at least %(limit)s.") % {"limit": number_text(args["limit"])}
    if error.code == "max_value":
        return _("Must be at most %(limit)s.") % {"limit": number_text(args["limit"])}
    if error.code == "invalid_choice":
        choices = ", ".join(str(choice) for choice in args["choices"])
        return _("Choose one of: %(choices)s.") % {"choices": choices}
    if error.code == "unknown":
        return _("Unknown parameter.")
    if error.code == "too_costly":
        return _(
            "%(formula)s must be at most %(limit)s (it is %(value)s): the run would take too "
            "long. Reduce one of them."
        ) % {"formula": args["formula"], "limit": number_text(args["limit"]),
             "value": number_text(args["value"])}
    if error.code == "batch_norm_needs_two":
        return _("Batch normalization needs at least 2 examples per batch.")
    if error.code == "batch_exceeds_samples":
        return _("The batch size must be at most the number of training examples.")
    if error.code == "empty_range":
        return _("The right end of the range must be greater than the left end.")
    return error.message()


def field_messages(error: ParameterError) -> dict[str, list[str]]:
    """Return {field: [message]} for every field of a ParameterError (DRF's error shape)."""
    return {name: [field_message(problem)] for name, problem in error.errors.items()}


def number_text(value: float) -> str:
    """Return a limit as people write it: 60, not 60.0; 0,001 in Portuguese.

    Thousands are grouped with a narrow space (SI style, "10 000"), which means the same
    in both languages: "10.000" would be ten thousand in Portuguese and ten in English,
    and the lab's fields refuse it as ambiguous when pasted back.
    """
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return numberformat.format(value, formats.get_format("DECIMAL_SEPARATOR"),
                               grouping=3 if abs(value) >= 10000 else 0,
                               thousand_sep=NARROW_SPACE, force_grouping=True)

