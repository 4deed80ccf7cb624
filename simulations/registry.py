"""Every simulation Gradiente offers, by slug, in the order the lab lists them.

The one place a simulation is registered: the lab, the API, plots and questions read
the declarations from here. Tests (or a project) may :func:`register` another one.
"""

from __future__ import annotations

from .declaration import SimulationDeclaration
from .declarations import (
    activations,
    backprop_matrix,
    batch_norm,
    cliff,
    dead_relu,
    descent,
    gradcheck,
    init_variance,
    minibatch,
    mlp,
    neuron_losses,
    recurrent,
    regularization,
    residual,
    reverse_mode,
    training,
    training_step,
)

SIMULATIONS: dict[str, SimulationDeclaration] = {}


def register(declaration: SimulationDeclaration) -> SimulationDeclaration:
    """Add a simulation to the catalogue; ValueError when its slug is taken."""
    if declaration.slug in SIMULATIONS:
        raise ValueError(f"a simulation named {declaration.slug!r} is already registered")
    SIMULATIONS[declaration.slug] = declaration
    return declaration


def unregister(slug: str) -> None:
    """Remove a simulation from the catalogue (KeyError when there is none)."""
    del SIMULATIONS[slug]


def get(slug: str) -> SimulationDeclaration:
    """Return the simulation named ``slug``; KeyError when there is none."""
    return SIMULATIONS[slug]


def declarations() -> list[SimulationDeclaration]:
    """Return every registered simulation, in the order the lab lists them."""
    return list(SIMULATIONS.values())


for _declaration in (mlp, training, recurrent, activations, init_variance, gradcheck,
                     training_step, neuron_losses, descent, minibatch, reverse_mode,
                     backprop_matrix, residual, cliff, regularization, batch_norm, dead_relu):
    register(_declaration.DECLARATION)
