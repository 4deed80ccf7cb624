"""The lab: every simulation with a form of its parameters, its plot and its key numbers.

Works without JavaScript: the form is a GET form, so a configuration is a URL that can
be shared, and the plot is an <img> of the API's (cached) plot URL. A configuration not
computed yet goes to a worker (:mod:`simulations.offload`); if it is not done within the
wait, the page says so and reloads itself. Limits on new runs and on what anonymous
visitors may run (:mod:`simulations.limits`) are said on the page, never as an error page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
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


# How long a page that waits for its run waits before it asks again (meta refresh).
RELOAD_SECONDS = 2


def simulation_detail(request, slug: str):
    try:
        simulation = registry.get(slug)
    except KeyError:
        raise Http404(slug) from None
    form = SimulationForm(simulation, with_defaults(simulation, request.GET) or None)
    context = {"simulation": simulation, "title": str(simulation.title),
               "description": str(simulation.description), "form": form}
    if form.is_bound and form.is_valid():
        refused = limits.too_costly_for(request, simulation, form.params)
        if refused:
            form.add_error(*refused)
    if form.is_bound and not form.is_valid():
        return render(request, "simulations/simulation_detail.html", context)
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
    return render(request, "simulations/simulation_detail.html", context)


def _notice(request, context, message: str, *, status: int, retry: int | None = None):
    """Render the form with ``message`` where the plot goes (and Retry-After if given)."""
    context["notice"] = message
    response = render(request, "simulations/simulation_detail.html", context, status=status)
    if retry is not None:
        response["Retry-After"] = str(retry)
    return response
