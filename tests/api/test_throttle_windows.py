"""The API's throttle: a sliding window estimated from two counters, with DRF's 429."""

import uuid

import pytest
from rest_framework.test import APIRequestFactory

from api.throttling import ScopedRateThrottle

LIMIT, MINUTE = 6, 60


class Clock:
    def __init__(self, window: int, seconds: float):
        self.now = window * MINUTE + seconds

    def __call__(self) -> float:
        return self.now


class View:
    throttle_scope = "answers-under-test"


@pytest.fixture
def ask(monkeypatch, settings):
    """Return ``ask(window, seconds)``: whether a request then is let through."""
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
             View.throttle_scope: f"{LIMIT}/minute"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    client = uuid.uuid4().hex  # as the client's address: this test's own counters
    request = APIRequestFactory().post("/", REMOTE_ADDR=client)
    request.user = None
    last = {}

    def ask(window: int, seconds: float) -> bool:
        throttle = ScopedRateThrottle()
        throttle.timer = Clock(window, seconds)
        last["throttle"] = throttle
        return throttle.allow_request(request, View())

    ask.last = last
    return ask


def test_a_window_lets_the_rate_through_then_refuses(ask):
    assert [ask(1000, 10 + second) for second in range(LIMIT + 2)] == [True] * LIMIT + [False] * 2


def test_across_a_windows_end_the_rate_still_holds(ask):
    """A fixed window would allow twice the rate here: the last seconds of one window,
    the first of the next."""
    assert all(ask(1000, 59) for _request in range(LIMIT))

    assert not ask(1001, 1)  # 1 + 6 x (59/60) > 6
    assert ask(1001, 20)  # 1 + 6 x (40/60) = 5 <= 6


def test_a_refused_request_is_not_counted(ask):
    for _request in range(LIMIT):
        ask(1000, 59)
    for _refused in range(20):
        assert not ask(1001, 1)

    assert ask(1001, 20)  # as if the twenty had not been sent


@pytest.mark.parametrize("seconds", [0.5, 30, 59.5])
def test_retry_after_is_when_the_next_request_is_let_through(ask, seconds):
    for _request in range(LIMIT):
        ask(1000, seconds)
    assert not ask(1000, seconds)
    wait = ask.last["throttle"].wait()

    start = 1000 * MINUTE + seconds
    assert 0 < wait <= 2 * MINUTE
    assert not ask(*divmod(start + wait - 1, MINUTE))
    assert ask(*divmod(start + wait + 0.01, MINUTE))


class ReadingView(View):
    read_with_throttle = ("throttle-test-read", "throttle-test-missing")


def test_the_throttle_reads_what_the_view_names_in_its_round_trip(ask):
    """What it read is what the cache holds; a key that is not there reads None."""
    from django.core.cache import cache

    from api.throttling import read_with_throttle

    value = uuid.uuid4().hex
    cache.set("throttle-test-read", value, 30)
    request = APIRequestFactory().post("/", REMOTE_ADDR=uuid.uuid4().hex)
    request.user = None

    assert ScopedRateThrottle().allow_request(request, ReadingView())

    assert read_with_throttle(request, "throttle-test-read") == value
    assert read_with_throttle(request, "throttle-test-missing") is None
    assert read_with_throttle(APIRequestFactory().post("/"), "throttle-test-read") is None
