"""What a visitor may ask the lab and the API to compute: a cost cap for anonymous
clients, a rate of new runs, a bound on work in progress, and jobs to poll.

These run without a broker (the work runs in the request, a few at a time per process);
tests/system/test_simulation_queue.py runs the same through a real Celery worker.
"""

import math
import time
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from api.throttling import ScopedRateThrottle
from simulations import jobs, limits, offload, registry, services
from simulations.errors import number_text

API = "/api/v1/simulations/"
# Over the anonymous share of gradient flow's bound (a quarter by default), under the bound.
COSTLY = {"depth": 40, "width": 256, "batch_size": 128}


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    return response.json()


def anonymous_cap_message(raw: dict, language: str) -> tuple[str, int, int]:
    """Return the field, the anonymous limit and the cost, recomputed from the engine."""
    simulation = registry.get("mlp_gradient_flow")
    cost = simulation.engine.cost(simulation.validate(raw))
    return cost.field, math.floor(cost.limit * settings.SIMULATIONS_ANON_COST_SHARE), cost.value


@pytest.fixture
def learner(db, client):
    user = get_user_model().objects.create_user(username="ada", password="x-long-password")
    client.force_login(user)
    return user


@pytest.fixture
def rates(monkeypatch):
    """Set the simulations' throttle rates for one test."""

    def set_rates(**rates):
        monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES",
                            {**ScopedRateThrottle.THROTTLE_RATES, **rates})

    return set_rates


def test_the_cost_model_of_each_bounded_simulation_matches_its_validation():
    """A configuration the engine refuses as too costly is exactly one whose cost exceeds
    its bound: the cap the web applies reads the same numbers."""
    simulation = registry.get("mlp_gradient_flow")
    allowed = simulation.validate({"depth": 60, "width": 512, "batch_size": 32})
    cost = simulation.engine.cost(allowed)
    assert cost.value == 60 * 512**2 * (32 + 64) <= cost.limit
    with pytest.raises(Exception, match="too long|at most"):
        simulation.validate({"depth": 60, "width": 512, "batch_size": 33})
    assert registry.get("activations").engine.cost(registry.get("activations").validate({})) \
        is None


@pytest.mark.parametrize("slug", [declaration.slug for declaration in registry.declarations()])
def test_every_default_configuration_is_open_to_anonymous_visitors(slug):
    simulation = registry.get(slug)
    cost = simulation.engine.cost(simulation.validate({}))
    assert cost is None or cost.value <= limits.anonymous_limit(simulation, cost)


@pytest.mark.django_db
def test_an_anonymous_costly_run_is_a_400_naming_the_field_and_what_to_change(client):
    response = client.get(f"{API}mlp_gradient_flow/run/", COSTLY, HTTP_ACCEPT_LANGUAGE="en")

    body = problem(response, 400)
    field, limit, value = anonymous_cap_message(COSTLY, "en")
    [error] = body["errors"]
    assert error["attr"] == field
    with translation.override("en"):
        assert f"must be at most {number_text(limit)} (it is {number_text(value)})" \
            in error["detail"]
    assert "log in" in error["detail"]


@pytest.mark.django_db
def test_the_cost_cap_speaks_portuguese_too(client):
    body = problem(client.get(f"{API}mlp_gradient_flow/plot.png", COSTLY), 400)
    assert "Sem entrar" in body["errors"][0]["detail"]


def test_a_learner_runs_the_same_configuration_and_gets_the_engines_numbers(client, learner):
    response = client.get(f"{API}mlp_gradient_flow/run/", COSTLY)

    assert response.status_code == 200
    direct = services.run_simulation(slug="mlp_gradient_flow", raw_params=COSTLY, seed=0)
    assert response.json() == direct.to_dict()


@pytest.mark.django_db
def test_the_lab_puts_the_cost_cap_under_the_field_for_anonymous_visitors(client):
    response = client.get("/en/lab/mlp_gradient_flow/", COSTLY)

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_width_error"' in body and "Without logging in" in body
    assert "<img" not in body


@pytest.mark.django_db
def test_new_anonymous_runs_are_throttled_with_a_429_problem_and_cached_ones_are_not(
        client, rates):
    rates(simulations_anonymous="2/minute")
    run = f"{API}activations/run/"
    for points in (101, 102):
        assert client.get(run, {"points": points}).status_code == 200
    for _again in range(3):  # cached: served, not counted
        assert client.get(run, {"points": 101}).status_code == 200

    response = client.get(run, {"points": 103}, HTTP_ACCEPT_LANGUAGE="en")

    body = problem(response, 429)
    assert int(response["Retry-After"]) > 0
    assert body["code"] == "throttled"


def test_learners_have_their_own_higher_rate(client, learner, rates):
    rates(simulations_anonymous="1/minute", simulations_learner="3/minute")
    statuses = [client.get(f"{API}activations/run/", {"points": points}).status_code
                for points in (201, 202, 203, 204)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_the_lab_says_when_new_runs_are_throttled_instead_of_failing(client, rates):
    rates(simulations_anonymous="1/minute")
    assert client.get("/pt-br/lab/activations/", {"points": 301}).status_code == 200

    response = client.get("/pt-br/lab/activations/", {"points": 302})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.content.decode()
    assert "Muitas execuções novas" in body and 'class="lab-form' in body


@pytest.mark.django_db
def test_work_beyond_the_processes_slots_is_a_503_with_retry_after(client, settings):
    settings.SIMULATION_LOCAL_SLOTS = 1
    settings.SIMULATION_WAIT_SECONDS = 0.05
    slot = offload._semaphore(offload._slots, 1)
    assert slot.acquire(timeout=1)  # another request is running
    try:
        api = client.get(f"{API}activations/run/", {"points": 401}, HTTP_ACCEPT_LANGUAGE="en")
        lab = client.get("/en/lab/activations/", {"points": 401})
    finally:
        slot.release()

    body = problem(api, 503)
    assert body["code"] == "simulations_busy" and int(api["Retry-After"]) > 0
    assert "Too many simulations are waiting" in body["detail"]
    assert lab.status_code == 503 and int(lab["Retry-After"]) > 0
    assert "Too many simulations are waiting" in lab.content.decode()
    # Once the slot is free the same request runs.
    assert client.get(f"{API}activations/run/", {"points": 401}).status_code == 200


def plan(points: int) -> services.ResultRequest:
    return services.plan_result(slug="activations", raw_params={"points": points}, seed=0)


@pytest.mark.django_db
def test_a_job_says_pending_then_failed_when_it_outlives_its_timeout(client, settings):
    planned = plan(501)
    url = f"{API}activations/run/?{urlencode({'points': 501})}"
    jobs.claim(planned.key, url, replace=False)

    response = client.get(f"{API}jobs/{planned.key}/")

    assert response.status_code == 200 and response["Retry-After"] == "1"
    assert response.json() == {"status": "pending", "job": f"{API}jobs/{planned.key}/",
                               "result": url}
    settings.SIMULATION_JOB_TIMEOUT = 0
    time.sleep(0.01)
    assert client.get(f"{API}jobs/{planned.key}/").json()["status"] == "failed"


@pytest.mark.django_db
def test_a_job_is_done_once_its_result_is_cached(client):
    planned = plan(502)
    jobs.claim(planned.key, "/somewhere", replace=False)
    services.compute(planned)

    assert client.get(f"{API}jobs/{planned.key}/").json()["status"] == "done"


@pytest.mark.django_db
def test_an_unknown_job_is_a_404_problem(client):
    body = problem(client.get(f"{API}jobs/{'0' * 64}/", HTTP_ACCEPT_LANGUAGE="en"), 404)
    assert "no such simulation job" in body["detail"]


def test_a_job_planned_again_from_its_json_names_the_same_work():
    planned = services.plan_plot(slug="mlp_gradient_flow", series=[("", {"depth": 7})], seed=3,
                                 kind="activations", language="en", fmt="svg")
    assert jobs.plan(jobs.describe(planned)).key == planned.key
    assert jobs.plan(jobs.describe(plan(7))).key == plan(7).key
