"""Adding a simulation is one engine function, one plot and one declaration, registered once.

The simulation below lives only in this test: registered for its duration, it must show
up everywhere a real one does (the API's catalogue, the lab, questions checked by it).
"""

from __future__ import annotations

import dataclasses
import html
import re

import numpy as np
import pytest
from django.utils.translation import gettext_lazy

from quizzes import grading, variants
from quizzes.validation import QuestionDraft, check_question
from simulations import registry
from simulations.declaration import SimulationDeclaration
from simulations.engine.core import Simulation, finite_or_none, param, result_header
from simulations.plots import PlotKind, style
from simulations.summaries import value

SLUG = "straight_line"


# The engine module: frozen parameters and a pure run(params, seed).
@dataclasses.dataclass(frozen=True)
class LineParams:
    slope: float = param(2.0, doc="Slope of the line.", minimum=-10.0, maximum=10.0)
    points: int = param(5, doc="Number of points.", minimum=2, maximum=50)


@dataclasses.dataclass(frozen=True)
class LineResult:
    params: LineParams
    seed: int
    values: np.ndarray  # (points,)

    def to_dict(self) -> dict:
        return {**result_header(SLUG, self.params, self.seed),
                "xs": list(range(self.params.points)), "values": finite_or_none(self.values)}


def run(params: LineParams, seed: int) -> LineResult:
    return LineResult(params, seed, params.slope * np.arange(params.points, dtype=np.float64))


# The plot module: a Figure and its alt text.
def draw_line(series):
    figure, (ax,) = style.new_figure()
    for item in series:
        ax.plot(item.data["xs"], item.data["values"], label=item.label)
    return figure, f"A straight line ending at {item.data['values'][-1]:g}."


# The declaration.
STRAIGHT_LINE = SimulationDeclaration(
    engine=Simulation(SLUG, "A straight line", LineParams, run),
    title=gettext_lazy("A straight line"),
    description=gettext_lazy("The simplest simulation there is."),
    plot_kinds=(PlotKind("line", gettext_lazy("The line"), draw_line),),
    config_label=lambda data: f"slope {data['params']['slope']:g}",
    summarize=lambda data: [("Last value", value(data["values"][-1]))],
    param_labels={"slope": gettext_lazy("Slope of the line")},
    quantities={"last_value": "values[-1]"},
)


@pytest.fixture
def straight_line():
    registry.register(STRAIGHT_LINE)
    yield STRAIGHT_LINE
    registry.unregister(SLUG)


def test_a_registered_simulation_is_in_the_api_catalogue(straight_line, client):
    listed = {item["slug"]: item for item in
              client.get("/api/v1/simulations/", HTTP_ACCEPT_LANGUAGE="en").json()}
    line = listed[SLUG]
    assert line["title"] == "A straight line"
    assert [p["name"] for p in line["parameters"]] == ["slope", "points"]
    assert line["parameters"][0]["label"] == "Slope of the line"
    assert line["parameters"][1]["label"] == "Number of points"  # the shared words
    assert [kind["name"] for kind in line["plot_kinds"]] == ["line"]
    assert client.get(f"/api/v1/simulations/{SLUG}/", HTTP_ACCEPT_LANGUAGE="en").json() == line
    run_data = client.get(f"/api/v1/simulations/{SLUG}/run/", {"slope": 3}).json()
    assert run_data["values"] == [0.0, 3.0, 6.0, 9.0, 12.0]
    assert client.get(f"/api/v1/simulations/{SLUG}/run/", {"slope": 11}).status_code == 400


def test_the_api_schema_describes_parameters_generically(straight_line, client):
    """The schema names no simulation: parameters are in the catalogue, so it stays valid."""
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    assert "/api/v1/simulations/{slug}/run/" in schema.json()["paths"]


def test_a_registered_simulation_has_a_lab_page_with_its_form_and_plot(straight_line, client):
    assert f'href="/en/lab/{SLUG}/"' in client.get("/en/lab/").content.decode()
    body = html.unescape(client.get(f"/en/lab/{SLUG}/", {"slope": 4}).content.decode())
    assert 'name="slope"' in body and "Slope of the line" in body
    image = re.search(r'<img src="([^"]+)" alt="([^"]+)"', body)
    assert image.group(2) == "A straight line ending at 16."
    assert client.get(image.group(1))["Content-Type"] == "image/png"
    assert "Last value" in body and "16" in body


def test_a_question_checked_by_a_registered_simulation_validates(straight_line):
    draft = QuestionDraft(kind=grading.NUMERIC, simulation=SLUG,
                          vary={"slope": {"min": 1, "max": 3}}, quantity="last_value",
                          rtol=0.01)
    assert check_question(draft) == []
    assert SLUG in variants.available_simulations()
    assert variants.quantities(SLUG) == {"last_value": "values[-1]"}


def test_a_question_asking_an_unknown_quantity_of_it_is_refused(straight_line):
    draft = QuestionDraft(kind=grading.NUMERIC, simulation=SLUG,
                          vary={"slope": {"min": 1, "max": 3}}, quantity="first_value",
                          rtol=0.01)
    assert [field for field, _ in check_question(draft)] == ["quantity"]


def test_a_simulation_is_registered_once():
    with pytest.raises(ValueError):
        registry.register(registry.get("mlp_gradient_flow"))
    assert SLUG not in registry.SIMULATIONS
