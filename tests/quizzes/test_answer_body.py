"""The answer body's quick validation takes what AnswerSerializer takes, as it takes it."""

import math

import pytest

from quizzes.answer_serializers import MAX_CHOICES, MAX_TYPED, AnswerSerializer, plain_answer

COMMON = [
    {"answer": 3},
    {"answer": [1, 4]},
    {"answer": []},
    {"answer": list(range(MAX_CHOICES))},
    {"answer": 0.05},
    {"answer": -2},
    {"answer": "5×10^-2"},
    {"answer": "x" * MAX_TYPED},
    {"answer": ""},
    {"answer": 1, "shown": "a1b2c3"},
    {"answer": 1, "shown": ""},
    {"answer": 1, "shown": "~" * 32},
    {"answer": 2, "score": 1, "user": 9},  # ignored, as by the serializer
]
OTHERS = [
    {},
    {"answer": None},
    {"answer": True},
    {"answer": [True]},
    {"answer": ["1", 2]},
    {"answer": {"choice": 1}},
    {"answer": list(range(MAX_CHOICES + 1))},
    {"answer": "x" * (MAX_TYPED + 1)},
    {"answer": math.inf},
    {"answer": math.nan},
    {"answer": 1, "shown": " a1b2 "},  # the serializer trims it
    {"answer": 1, "shown": "a b"},
    {"answer": 1, "shown": "x" * 33},
    {"answer": 1, "shown": 7},
    {"answer": 1, "shown": None},
    {"answer": 1, "shown": "a\x00"},
    {"answer": 1, "answered_at": "2026-01-02T03:04:05Z"},
    {"answer": 1, "answered_at": None},
    [{"answer": 1}],
    "answer",
]


@pytest.mark.parametrize("body", COMMON)
def test_a_common_body_is_taken_as_the_serializer_takes_it(body):
    serializer = AnswerSerializer(data=body)

    assert serializer.is_valid(), serializer.errors
    assert plain_answer(body) == dict(serializer.validated_data)


@pytest.mark.parametrize("body", OTHERS)
def test_any_other_body_is_left_to_the_serializer(body):
    assert plain_answer(body) is None
