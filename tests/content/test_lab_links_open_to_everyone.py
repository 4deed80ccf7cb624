"""Every configuration a lesson links to in the lab opens for a reader who is not logged in.

Anonymous visitors may only run configurations up to a share of each simulation's cost
bound (simulations/limits.py). A lesson's figure and its questions link to the lab, so a
figure or a variant costlier than that share would greet the reader with a refusal.
"""

import itertools

import pytest
import yaml

from quizzes import variants
from simulations import limits, registry

from .conftest import LESSONS


def figure_configurations():
    for meta in sorted(LESSONS.glob("*/lesson.yaml")):
        for figure in yaml.safe_load(meta.read_text(encoding="utf-8")).get("figures") or []:
            for series in figure.get("series") or [{}]:
                yield (f"{meta.parent.name}:{figure['name']}", figure["simulation"],
                       {**figure.get("params", {}), **series.get("params", {})})


def question_configurations():
    for path in sorted(LESSONS.glob("*/questions.yaml")):
        for question in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
            if "simulation" not in question:
                continue
            choice_params = [c["params"] for c in question.get("choices", []) if "params" in c]
            for corner, extra in itertools.product(
                    variants.corner_cases(question.get("vary", {})), choice_params or [{}]):
                yield (f"{path.parent.name}:{question['key']}", question["simulation"],
                       {**question.get("fixed", {}), **corner, **extra})


CONFIGURATIONS = [*figure_configurations(), *question_configurations()]


def test_the_course_links_to_simulations():
    assert len({name for name, _, _ in CONFIGURATIONS}) >= 10


@pytest.mark.parametrize(("name", "slug", "raw"), CONFIGURATIONS,
                         ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(CONFIGURATIONS)])
def test_a_linked_configuration_is_within_the_anonymous_limit(name, slug, raw):
    simulation = registry.get(slug)
    cost = simulation.engine.cost(simulation.validate(raw))
    assert cost is None or cost.value <= limits.anonymous_limit(simulation, cost), name
