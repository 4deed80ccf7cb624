"""Fixtures of the operations tests: the API's learner and quiz, from tests/api."""

from tests.api.conftest import (  # noqa: F401 - fixtures, found by name
    fresh_api_cache,
    learner,
    learner_api,
    learner_token,
    quiz,
)
