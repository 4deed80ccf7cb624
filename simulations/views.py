"""The lab: every simulation with a form of its parameters, its plot and its key numbers.

Works without JavaScript: the form is a GET form, so a configuration is a URL that can
be shared, and the plot is an <img> of the API's (cached) plot URL.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from . import registry, services
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


def simulation_detail(request, slug: str):
    try:
        simulation = registry.get(slug)
    except KeyError:
        raise Http404(slug) from None
    form = SimulationForm(simulation, with_defaults(simulation, request.GET) or None)
    context = {"simulation": simulation, "title": str(simulation.title),
               "description": str(simulation.description), "form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "simulations/simulation_detail.html", context)
    if form.is_bound:
        params, seed, kind = form.params, form.seed, form.kind
    else:
        params, seed, kind = simulation.validate({}), services.DEFAULT_SEED, None
    language = get_language()
    planned = services.plan_plot(slug=slug, series=[("", normalized(params))], seed=seed,
                                 kind=kind, language=language, fmt="png")
    image = services.get_plot(planned)
    result = services.get_result(services.plan_result(
        slug=slug, raw_params=normalized(params), seed=seed))
    query = urlencode({**normalized(params), "seed": seed, "kind": planned.kind,
                       "lang": language})
    plot = reverse("api:simulation-plot", kwargs={"slug": slug, "fmt": "png"})
    svg = reverse("api:simulation-plot", kwargs={"slug": slug, "fmt": "svg"})
    run = reverse("api:simulation-run", kwargs={"slug": slug})
    context.update(
        image=image,
        plot_url=f"{plot}?{query}",
        svg_url=f"{svg}?{query}",
        json_url=f"{run}?{urlencode({**normalized(params), 'seed': seed})}",
        numbers=simulation.key_numbers(result, kind=planned.kind),
        definitions=simulation.loss_definitions(result),
    )
    return render(request, "simulations/simulation_detail.html", context)
