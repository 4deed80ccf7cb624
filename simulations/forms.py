"""The lab's parameter form, built from a simulation's parameter specs.

Numbers are typed as text in the page's language and read by
:func:`simulations.numbers.read_number`, the reader of every number the site displays
("0,5" on a Portuguese page, "0.5" on an English one, "1,3 × 10⁻³"); a number it cannot
be sure of is a field error, never a different number. Ranges and cross-field rules are
the engine's, checked by the simulation's own validation, so the lab, the API and lesson
figures accept exactly the same values.
"""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import descriptions, services
from .declaration import SimulationDeclaration
from .engine.core import ParameterError, ParamSpec
from .errors import field_message
from .numbers import NumberFormatError, read_number


class NumberField(forms.Field):
    """A number typed as text, read in the page's language; ``whole`` for an integer.

    A text input rather than ``type=number``: a browser's number input drops the comma
    of "0,5" without a word (leaving "05") and sends nothing for what it cannot read.
    """

    def __init__(self, *, whole: bool = False, **kwargs: Any):
        self.whole = whole
        mode = "numeric" if whole else "decimal"
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "inputmode": mode, "autocomplete": "off", "spellcheck": "false"}))
        super().__init__(localize=True, **kwargs)

    def to_python(self, value: Any) -> int | float | None:
        if value in self.empty_values:
            return None
        decimal = formats.get_format("DECIMAL_SEPARATOR")
        try:
            number = read_number(str(value)[:64], decimal=decimal)
        except NumberFormatError as error:
            message = (gettext("Enter a whole number.") if self.whole and error.code != "ambiguous"
                       else number_message(error, decimal))
            raise ValidationError(message, code=error.code) from None
        if not math.isfinite(number):
            raise ValidationError(gettext("Enter a finite number."), code="not_finite")
        if self.whole:
            if not number.is_integer():
                raise ValidationError(gettext("Enter a whole number."), code="not_whole")
            return int(number)
        return number


def number_message(error: NumberFormatError, decimal: str) -> str:
    """Say, in the active language, why a typed number was refused and how to write it."""
    if error.code == "ambiguous":
        return gettext("The “%(separator)s” could separate thousands or decimals: write "
                 "%(whole)s or %(fraction)s.") % {
            "separator": "." if decimal == "," else ",", **error.values}
    return gettext("Enter a number, for example %(example)s or 5e-2.") % {
        "example": f"0{decimal}05"}


def build_field(spec: ParamSpec, simulation: SimulationDeclaration) -> forms.Field:
    """Return the form field of one parameter (its limits are the engine's to check)."""
    common = {"label": simulation.param_label(spec),
              "help_text": simulation.param_help(spec),
              "required": False, "initial": spec.default}
    if spec.type == "bool":
        return forms.BooleanField(**common)
    if spec.type == "choice":
        choices = [(choice, descriptions.choice_label(choice)) for choice in spec.choices or ()]
        return forms.ChoiceField(choices=choices, **common)
    field = NumberField(whole=spec.type == "int", **common)
    field.widget.attrs.update(slider_attrs(spec))
    return field


def slider_attrs(spec: ParamSpec) -> dict[str, str]:
    """Return the range a script may offer as a slider beside the text input, if bounded.

    Machine-readable (a point, never the page's comma): the script reads them, the
    learner reads the text input, which stays the value the form sends.
    """
    if spec.minimum is None or spec.maximum is None:
        return {}
    return {"data-minimum": repr(spec.minimum), "data-maximum": repr(spec.maximum),
            "data-log-scale": "true" if spec.log_scale else "false",
            "data-whole": "true" if spec.type == "int" else "false"}


class SimulationForm(forms.Form):
    """One field per parameter, then the seed and (when there are several) the plot."""

    def __init__(self, simulation: SimulationDeclaration, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.simulation = simulation
        self.specs = simulation.specs()
        for spec in self.specs:
            self.fields[spec.name] = build_field(spec, simulation)
        self.fields["seed"] = NumberField(
            whole=True, label=_("Seed"), help_text=_("The same seed gives the same numbers."),
            required=False, initial=services.DEFAULT_SEED,
            validators=[MinValueValidator(0), MaxValueValidator(services.MAX_SEED)])
        kinds = simulation.plot_kinds
        if len(kinds) > 1:
            self.fields["kind"] = forms.ChoiceField(
                label=_("Plot"), required=False, initial=kinds[0].name,
                choices=[(kind.name, kind.label) for kind in kinds])

    def clean(self) -> dict[str, Any]:
        """Check the values with the engine and put its errors under their fields."""
        cleaned = super().clean()
        raw = {spec.name: cleaned.get(spec.name) for spec in self.specs
               if spec.name not in self.errors}
        if self.is_bound:
            # An unticked checkbox is absent from a GET query: it means False, not default.
            raw.update({spec.name: bool(cleaned.get(spec.name)) for spec in self.specs
                        if spec.type == "bool"})
        raw = {name: value for name, value in raw.items() if value not in (None, "")}
        try:
            self.params = self.simulation.validate(raw)
        except ParameterError as error:
            for name, problem in error.errors.items():
                self.add_error(name if name in self.fields else None, field_message(problem))
        return cleaned

    def read_values(self) -> dict[str, float]:
        """Return the number each bounded parameter's text was read as (a slider's place).

        An empty field is its default, as the engine reads it; a field in error has none.
        """
        read = {}
        for spec in self.specs:
            if spec.type not in ("int", "float") or spec.minimum is None or spec.maximum is None:
                continue
            if not self.is_bound:
                read[spec.name] = spec.default
            elif spec.name not in self.errors:
                value = getattr(self, "cleaned_data", {}).get(spec.name)
                read[spec.name] = spec.default if value is None else value
        return read

    @property
    def seed(self) -> int:
        value = self.cleaned_data.get("seed")
        return services.DEFAULT_SEED if value is None else value

    @property
    def kind(self) -> str | None:
        return self.cleaned_data.get("kind") or None
