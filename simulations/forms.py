"""The lab's parameter form, built from a simulation's parameter specs.

Django's fields parse the query string (and phrase type errors, translated by Django);
ranges and cross-field rules are the engine's, checked by the simulation's own
validation, so the lab, the API and lesson figures accept exactly the same values.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import descriptions, services
from .declaration import SimulationDeclaration
from .engine.core import ParameterError, ParamSpec
from .errors import field_message


def build_field(spec: ParamSpec, simulation: SimulationDeclaration) -> forms.Field:
    """Return the form field of one parameter, with HTML limits matching the engine's."""
    common = {"label": simulation.param_label(spec),
              "help_text": simulation.param_help(spec),
              "required": False, "initial": spec.default}
    limits = {key: value for key, value in (("min", spec.minimum), ("max", spec.maximum))
              if value is not None}
    if spec.type == "bool":
        return forms.BooleanField(**common)
    if spec.type == "choice":
        choices = [(choice, descriptions.choice_label(choice)) for choice in spec.choices or ()]
        return forms.ChoiceField(choices=choices, **common)
    if spec.type == "int":
        return forms.IntegerField(widget=forms.NumberInput(attrs={"step": 1, **limits}), **common)
    return forms.FloatField(widget=forms.NumberInput(attrs={"step": "any", **limits}), **common)


class SimulationForm(forms.Form):
    """One field per parameter, then the seed and (when there are several) the plot."""

    def __init__(self, simulation: SimulationDeclaration, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.simulation = simulation
        self.specs = simulation.specs()
        for spec in self.specs:
            self.fields[spec.name] = build_field(spec, simulation)
        self.fields["seed"] = forms.IntegerField(
            label=_("Seed"), help_text=_("The same seed gives the same numbers."),
            required=False, initial=services.DEFAULT_SEED, min_value=0,
            max_value=services.MAX_SEED)
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

    @property
    def seed(self) -> int:
        value = self.cleaned_data.get("seed")
        return services.DEFAULT_SEED if value is None else value

    @property
    def kind(self) -> str | None:
        return self.cleaned_data.get("kind") or None
