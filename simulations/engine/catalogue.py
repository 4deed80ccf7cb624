"""The simulations the engine offers, by slug, in the order the lab lists them."""

from __future__ import annotations

from . import activations, gradcheck, init_variance, mlp, recurrent, training
from .core import Simulation

SIMULATIONS: dict[str, Simulation] = {
    simulation.slug: simulation
    for simulation in (
        mlp.SIMULATION,
        training.SIMULATION,
        recurrent.SIMULATION,
        activations.SIMULATION,
        init_variance.SIMULATION,
        gradcheck.SIMULATION,
    )
}


def get(slug: str) -> Simulation:
    """Return the simulation named ``slug``; KeyError when there is none."""
    return SIMULATIONS[slug]
