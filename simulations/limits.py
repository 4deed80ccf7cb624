"""What a visitor may ask the lab and the simulations API to compute.

Two limits, the same for the API and the lab's pages:

- **cost**: an anonymous request may run configurations up to
  ``SIMULATIONS_ANON_COST_SHARE`` of each simulation's cost bound (the engine's
  :class:`~simulations.engine.core.Cost`), or up to what its defaults cost if that is
  more; a logged-in learner up to the bound itself.
  Checked on every request, cached or not, so a URL answers the same way every time.
- **rate**: new (uncached) runs and drawings are counted per client, under the API's
  throttle rates ``simulations_anonymous`` (per address) and ``simulations_learner``
  (per learner). A cached result is never counted: it costs nothing to serve.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from api.throttling import ScopedRateThrottle

from .engine.core import Cost
from .errors import number_text

ANONYMOUS_SCOPE = "simulations_anonymous"
LEARNER_SCOPE = "simulations_learner"


class TooManyRuns(Exception):
    """Over the rate of new runs: ``wait`` seconds until the next one is allowed."""

    def __init__(self, wait: int, *, anonymous: bool):
        super().__init__(f"too many new simulation runs; wait {wait} s")
        self.wait = wait
        self.anonymous = anonymous

    def message(self) -> str:
        """Say so, in the active language, with what to do."""
        if self.anonymous:
            return ngettext(
                "Too many new runs from this address. Try again in %(seconds)d second, or "
                "log in to run more.",
                "Too many new runs from this address. Try again in %(seconds)d seconds, or "
                "log in to run more.", self.wait) % {"seconds": self.wait}
        return ngettext(
            "Too many new runs. Try again in %(seconds)d second.",
            "Too many new runs. Try again in %(seconds)d seconds.",
            self.wait) % {"seconds": self.wait}


def anonymous_limit(simulation, cost: Cost) -> int:
    """Return the share of the bound an anonymous request may run, never less than what
    the simulation's defaults cost (the lab opens on them)."""
    default_cost = simulation.engine.cost(simulation.validate({}))
    share = simulation.anonymous_cost_share
    if share is None:
        share = settings.SIMULATIONS_ANON_COST_SHARE
    return max(math.floor(cost.limit * share), default_cost.value)


def too_costly_for(request, simulation, params) -> tuple[str, str] | None:
    """Return (field, message) if the visitor may not run ``params``, else None.

    Only a run over the anonymous limit looks at who is asking (which may need the
    session or the token): cheap requests stay free of any lookup.
    """
    cost = simulation.engine.cost(params)
    if cost is None or cost.value <= anonymous_limit(simulation, cost):
        return None
    if request.user.is_authenticated:
        return None
    return cost.field, _(
        "Without logging in, %(formula)s must be at most %(limit)s (it is %(value)s). "
        "Reduce one of them, or log in to run up to %(bound)s."
    ) % {"formula": cost.formula, "limit": number_text(anonymous_limit(simulation, cost)),
         "value": number_text(cost.value), "bound": number_text(cost.limit)}


class _Scope:
    """What the throttle reads of a view: its scope."""

    def __init__(self, scope: str):
        self.throttle_scope = scope


def count_new_run(request) -> None:
    """Count one new run for this client; raise :class:`TooManyRuns` when over the rate."""
    anonymous = not request.user.is_authenticated
    throttle = ScopedRateThrottle()
    if not throttle.allow_request(request, _Scope(ANONYMOUS_SCOPE if anonymous
                                                  else LEARNER_SCOPE)):
        raise TooManyRuns(max(1, math.ceil(throttle.wait())), anonymous=anonymous)
