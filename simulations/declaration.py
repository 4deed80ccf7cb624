"""What a simulation is to the rest of Gradiente, declared in one object.

The engine gives a simulation its parameters and its ``run(params, seed)``; everything
people see of it (title, description, parameter labels, plots, the key numbers of the
lab, the quantities a question may ask for) is declared next to it, in one
:class:`SimulationDeclaration` per simulation (``simulations/declarations/<slug>.py``),
listed in :mod:`simulations.registry`. Every reader (lab, API, plots, questions) asks
the registry for the declaration, so adding a simulation is an engine module, a plot
module and one declaration.

Plots, configuration labels and key numbers read a result's ``to_dict()``: they are
drawn from the result cache, which keeps the JSON the API serves (see
:mod:`simulations.plots.common`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from .descriptions import PARAM_HELP, PARAM_LABELS
from .engine.core import ParamSpec, Simulation
from .plots import PlotKind

Numbers = list[tuple[str, str]]  # (label, value) pairs, in the active language


@dataclasses.dataclass(frozen=True)
class SimulationDeclaration:
    """One simulation: its engine entry, its words, its plots, numbers and quantities.

    ``title`` and ``description`` are lazy translations; ``param_labels`` and
    ``param_help_texts`` override the shared words of :mod:`simulations.descriptions` for a
    parameter whose meaning is this simulation's own; ``quantities`` names formulas
    over the result that questions may check ("first_step_grad_norm": "grad_h_norms[0]").
    """

    engine: Simulation
    title: Any
    description: Any
    plot_kinds: tuple[PlotKind, ...]  # the first is the default
    config_label: Callable[[Mapping[str, Any]], str]  # names a lone result in a legend
    summarize: Callable[[Mapping[str, Any]], Numbers]  # key numbers (a PlotKind may have its own)
    param_labels: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    param_help_texts: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    quantities: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # The loss and norms a result's numbers are computed with, in the active language
    # (None: the simulation computes no loss, e.g. a forward pass only).
    describe_loss: Callable[[Mapping[str, Any]], list[str]] | None = None
    # The share of the cost bound an anonymous visitor may run, when it must differ from
    # the site's SIMULATIONS_ANON_COST_SHARE: every configuration a lesson links to (its
    # figures, its questions' variants) must stay open to readers who are not logged in.
    anonymous_cost_share: float | None = None

    @property
    def slug(self) -> str:
        return self.engine.slug

    @property
    def params_cls(self) -> type:
        return self.engine.params_cls

    def run(self, params: Any, seed: int) -> Any:
        """Run the engine on validated parameters (a pure function of them and the seed)."""
        return self.engine.run(params, seed)

    def specs(self) -> list[ParamSpec]:
        return self.engine.specs()

    def validate(self, raw: Mapping[str, Any] | None = None) -> Any:
        """Return the frozen parameters; ParameterError names every bad field."""
        return self.engine.validate(raw)

    def plot_kind(self, name: str | None) -> PlotKind:
        """Return the named kind of plot, or the default one; KeyError for an unknown name."""
        if not name:
            return self.plot_kinds[0]
        for kind in self.plot_kinds:
            if kind.name == name:
                return kind
        raise KeyError(name)

    def param_label(self, spec: ParamSpec) -> str:
        """Return the parameter's label: this simulation's own, the shared one, or its name."""
        text = self.param_labels.get(spec.name) or PARAM_LABELS.get(
            spec.name, spec.name.replace("_", " ").capitalize())
        return str(text)

    def param_help(self, spec: ParamSpec) -> str:
        """Return the parameter's help: this simulation's own, the shared one, or its doc."""
        text = self.param_help_texts.get(spec.name) or PARAM_HELP.get(spec.name, spec.doc)
        return str(text)

    def key_numbers(self, data: Mapping[str, Any], kind: str | None = None) -> Numbers:
        """Return (label, value) pairs that sum a result up, in the active language.

        The numbers are those of the plot shown next to them (``kind``, default the
        first): the activations plot gets the activations' numbers, not the gradients'.
        """
        summarize = self.plot_kind(kind).summarize or self.summarize
        return summarize(data)

    def loss_definitions(self, data: Mapping[str, Any]) -> list[str]:
        """Return the sentences defining the result's loss and norms, in the active language.

        The numbers depend on the convention (a batch mean divides every gradient by B),
        so every page that shows them says which one the run used.
        """
        return [] if self.describe_loss is None else self.describe_loss(data)
