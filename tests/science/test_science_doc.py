"""docs/science.md: every parameter set and lab URL it gives is one the engine accepts."""

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from simulations.engine import mlp, recurrent, training
from simulations.engine.core import validate

DOC = Path(__file__).resolve().parents[2] / "docs" / "science.md"
PARAMS = {
    "mlp_gradient_flow": mlp.MLPParams,
    "recurrent_gradient_flow": recurrent.RecurrentParams,
    "training_dynamics": training.TrainingParams,
}
ALTERNATIVE = re.compile(r'\s*\|\s*("[^"]*"|[\d.]+)')  # the doc's `a | b`: runs compared


def json_sets():
    """Return each complete JSON parameter set of the doc, first and last alternatives."""
    sets = []
    for span in re.findall(r"`(\{[^`]*\})`", DOC.read_text()):
        if "…" in span:
            continue  # a partial set, completed in the table below it
        first = json.loads(ALTERNATIVE.sub("", span))
        last = json.loads(re.sub(r'("[^"]*"|[\d.]+)\s*\|\s*', "", span))
        sets.extend(candidate for candidate in (first, last) if candidate not in sets)
    return sets


def simulation_of(raw: dict) -> type:
    if "cell" in raw:
        return recurrent.RecurrentParams
    return training.TrainingParams if "learning_rate" in raw else mlp.MLPParams


@pytest.mark.parametrize("raw", json_sets(), ids=str)
def test_every_json_parameter_set_of_the_doc_is_valid(raw):
    validate(simulation_of(raw), raw)


def test_every_lab_url_of_the_doc_is_valid():
    urls = re.findall(r"/en/lab/([a-z_]+)/\?([^`\s)]+)", DOC.read_text())
    assert len(urls) >= 3
    for slug, query in urls:
        raw = dict(parse_qsl(urlsplit("?" + query).query))
        raw.pop("seed")
        validate(PARAMS[slug], raw)
