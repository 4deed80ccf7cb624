"""The lab: every simulation with a form of its parameters, its plot and its key numbers.

Works without JavaScript: the form is a GET form, so a configuration is a URL that can
be shared, and the plot is an <img> of the API's (cached) plot URL. A configuration not
computed yet goes to a worker (:mod:`simulations.offload`); if it is not done within the
wait, the page says so and reloads itself. Limits on new runs and on what anonymous
visitors may run (:mod:`simulations.limits`) are said on the page, never as an error page.

With JavaScript (static/js/lab.js) the page updates in place: its script asks this same
view for the output alone (``X-Requested-With: fetch``), so the form is read, its errors
worded and its numbers written by the same code as without a script. That answer is a
fragment (``simulations/_lab_update.html``): the output section, the field errors and
the numbers the fields were read as; bad parameters are a 400 there, a run not done yet
a 202 with Retry-After. Every answer says in ``Server-Timing`` how long the view took.
"""

from __future__ import annotations

import functools
import time
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import limits, offload, registry, services
from .engine.core import normalized
from .forms import SimulationForm


def with_defaults(simulation, query):
    """Return the query with every absent parameter at its default (a partial link works).

    Checkboxes are left out: a submitted form omits an unticked one, which means False.
    """
    if not query:
        return query
    data = query.copy()
    for spec in simulation.specs():
        if spec.type != "bool" and spec.name not in data:
            data[spec.name] = spec.default
    return data


def simulation_list(request):
    simulations = [
        {"slug": simulation.slug, "title": str(simulation.title),
         "description": str(simulation.description)}
        for simulation in registry.declarations()
    ]
    return render(request, "simulations/simulation_list.html", {"simulations": simulations})


# How long a page that waits for its run waits before it asks again (meta refresh, or
# Retry-After for the script).
RELOAD_SECONDS = 2
PAGE = "simulations/simulation_detail.html"
FRAGMENT = "simulations/_lab_update.html"


def wants_fragment(request) -> bool:
    """Whether the lab's script asks for the output alone (to swap it in place)."""
    return request.headers.get("X-Requested-With") == "fetch"


def timed(view):
    """Say in ``Server-Timing`` how long the view took (the browser shows it per request)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        start = time.perf_counter()
        response = view(request, *args, **kwargs)
        elapsed = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = f'lab;dur={elapsed:.1f};desc="lab view"'
        return response

    return wrapper


@timed
def simulation_detail(request, slug: str):
    try:
        simulation = registry.get(slug)
    except KeyError:
        raise Http404(slug) from None
    form = SimulationForm(simulation, with_defaults(simulation, request.GET) or None)
    context = {"simulation": simulation, "title": str(simulation.title),
               "description": str(simulation.description), "form": form,
               "decimal_separator": formats.get_format("DECIMAL_SEPARATOR")}
    if form.is_bound and form.is_valid():
        refused = limits.too_costly_for(request, simulation, form.params)
        if refused:
            form.add_error(*refused)
    if form.is_bound and not form.is_valid():
        return _render(request, context, status=400 if wants_fragment(request) else 200)
    if form.is_bound:
        params, seed, kind = form.params, form.seed, form.kind
    else:
        params, seed, kind = simulation.validate({}), services.DEFAULT_SEED, None
    language = get_language()
    planned = services.plan_plot(slug=slug, series=[("", normalized(params))], seed=seed,
                                 kind=kind, language=language, fmt="png")
    try:
        # The plot's job leaves the result in the cache too: the second call only reads it.
        image = offload.obtain(planned, result_url=request.get_full_path(),
                               before_work=lambda: limits.count_new_run(request))
        result = None if isinstance(image, offload.Pending) else offload.obtain(
            services.plan_result(slug=slug, raw_params=normalized(params), seed=seed),
            result_url=request.get_full_path())
    except limits.TooManyRuns as refused:
        return _notice(request, context, refused.message(), status=429, retry=refused.wait)
    except offload.Busy as busy:
        return _notice(request, context, _("Too many simulations are waiting to run. Try "
                                           "again in a few seconds."),
                       status=503, retry=busy.retry_after)
    except offload.Failed:
        return _notice(request, context, _("This simulation could not be computed. The error "
                                           "has been logged."), status=500)
    if isinstance(image, offload.Pending) or isinstance(result, offload.Pending):
        if wants_fragment(request):  # the script asks again after Retry-After
            return _notice(request, context, _("Running the simulation… The plot appears "
                                               "here when it is ready."),
                           status=202, retry=RELOAD_SECONDS)
        context["reload_seconds"] = RELOAD_SECONDS
        return _notice(request, context, _("Running the simulation… This page reloads by "
                                           "itself when it is ready."), status=202)
    query = urlencode({**normalized(params), "seed": seed, "kind": planned.kind,
                       "lang": language})
    plot = reverse("api:simulation-plot", kwargs={"slug": slug, "fmt": "png"})
    svg = reverse("api:simulation-plot", kwargs={"slug": slug, "fmt": "svg"})
    run = reverse("api:simulation-run", kwargs={"slug": slug})
    context.update(
        image=image,
        plot_url=f"{plot}?{query}",
        narrow_plot_url=f"{plot}?{query}&layout=narrow",
        svg_url=f"{svg}?{query}",
        json_url=f"{run}?{urlencode({**normalized(params), 'seed': seed})}",
        numbers=simulation.key_numbers(result, kind=planned.kind),
        definitions=simulation.loss_definitions(result),
    )
    return _render(request, context)


def _notice(request, context, message: str, *, status: int, retry: int | None = None):
    """Render the form with ``message`` where the plot goes (and Retry-After if given)."""
    context["notice"] = message
    response = _render(request, context, status=status)
    if retry is not None:
        response["Retry-After"] = str(retry)
    return response


def _render(request, context, *, status: int = 200):
    """Render the page, or only what the script swaps in when it asks for that."""
    context["read_values"] = context["form"].read_values()
    response = render(request, FRAGMENT if wants_fragment(request) else PAGE, context,
                      status=status)
    patch_vary_headers(response, ["X-Requested-With"])
    return response
