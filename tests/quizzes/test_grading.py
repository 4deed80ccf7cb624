"""The one grading function, without a database: every type, tolerance edge and format error."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes import answers, grading, variants
from quizzes.grading import ChoiceSnapshot, QuestionSnapshot, VariantAnswer, grade

CHOICES = (ChoiceSnapshot(1, "A", False, "A é citada no texto."), ChoiceSnapshot(2, "B", True),
           ChoiceSnapshot(3, "C", False))


def single(**fields):
    return QuestionSnapshot(id=1, kind="single", language=fields.pop("language", "pt-br"),
                            prompt="?", explanation="Porque B.", choices=CHOICES, **fields)


def multiple(**fields):
    choices = (ChoiceSnapshot(1, "A", True), ChoiceSnapshot(2, "B", True),
               ChoiceSnapshot(3, "C", False), ChoiceSnapshot(4, "D", False))
    return QuestionSnapshot(id=2, kind="multiple", language="pt-br", prompt="?",
                            choices=choices, **fields)


def numeric(answer=1.0, **fields):
    return QuestionSnapshot(id=3, kind="numeric", language=fields.pop("language", "pt-br"),
                            prompt="?", explanation="E.", answer=answer, **fields)


def test_right_choice_gives_the_seed_sentence_in_portuguese():
    outcome = grade(single(), None, 2)
    assert outcome.correct and outcome.score == 1.0
    assert outcome.feedback == "Você acertou! Parabéns, agora siga para a próxima página"
    assert outcome.explanation == "Porque B."


def test_wrong_choice_offers_retry_in_portuguese_with_the_choice_feedback():
    outcome = grade(single(), None, "1")
    assert not outcome.correct and outcome.score == 0.0
    assert outcome.feedback == "Você errou! Tente novamente."
    assert outcome.choice_feedback == ((1, "A é citada no texto."),)
    assert outcome.explanation == "" and outcome.counts_as_try


def test_feedback_defaults_in_english():
    assert grade(single(language="en"), None, 2).feedback.startswith("You got it right!")
    assert grade(single(language="en"), None, 3).feedback == "That's not right! Try again."


def test_unknown_language_falls_back_to_portuguese():
    assert grade(single(language="de"), None, 3).feedback == "Você errou! Tente novamente."


def test_instructor_feedback_overrides_the_default():
    question = single(feedback_correct="Isso!", feedback_wrong="Não.")
    assert grade(question, None, 2).feedback == "Isso!"
    assert grade(question, None, 1).feedback == "Não."


@pytest.mark.parametrize(("answer", "code"), [
    (None, "no_choice"), ([], "no_choice"), ("", "no_choice"), ([1, 2], "one_choice"),
    (99, "unknown_choice"), ("x", "unknown_choice"),
])
def test_unreadable_choice_is_a_format_error_that_does_not_count(answer, code):
    outcome = grade(single(), None, answer)
    assert outcome.format_error == code and not outcome.counts_as_try
    assert outcome.format_error_message and not outcome.correct


def test_multiple_choice_is_all_or_nothing_by_default():
    assert grade(multiple(), None, [1, 2]).correct
    assert grade(multiple(), None, ["2", "1"]).normalized_answer == (1, 2)
    assert grade(multiple(), None, [1]).score == 0.0
    assert grade(multiple(), None, [1, 2, 3]).score == 0.0


@pytest.mark.parametrize(("ticked", "score"), [
    ([1, 2], 1.0), ([1], 0.5), ([1, 3], 0.0), ([1, 2, 3], 0.5), ([3, 4], 0.0), ([3], 0.0),
])
def test_partial_credit_counts_right_ticks_minus_wrong_ones(ticked, score):
    outcome = grade(multiple(partial_credit=True), None, ticked)
    assert outcome.score == pytest.approx(score)
    assert outcome.correct is (score == 1.0)
    if 0 < score < 1:
        assert "50%" in outcome.feedback


@pytest.mark.parametrize(("typed", "correct"), [
    ("1.01", True), ("0.99", True), ("1.0100001", False), ("0.9899999", False),
    ("1,005", True), ("101e-2", True), ("1.01e0", True),
])
def test_relative_tolerance_includes_its_boundary(typed, correct):
    assert grade(numeric(rtol=0.01), None, typed).correct is correct


def test_tolerance_is_relative_to_the_correct_value_as_in_numpy_isclose():
    assert grade(numeric(answer=2.0, rtol=0.5), None, "1").correct  # |1-2| <= 0.5*2
    assert not grade(numeric(answer=1.0, rtol=0.5), None, "2").correct  # |2-1| > 0.5*1
    assert np.isclose(1, 2, rtol=0.5, atol=0) and not np.isclose(2, 1, rtol=0.5, atol=0)


def test_absolute_tolerance_around_zero():
    question = numeric(answer=0.0, rtol=0.5, atol=1e-3)
    assert grade(question, None, "0.001").correct
    assert grade(question, None, "-0.001").correct
    assert not grade(question, None, "0.0011").correct


def test_exact_answer_needs_exact_value_when_tolerances_are_zero():
    assert grade(numeric(answer=0.05, rtol=0, atol=0), None, "0,05").correct
    assert not grade(numeric(answer=0.05, rtol=0, atol=0), None, "0.0500001").correct


def test_log_scale_compares_orders_of_magnitude():
    question = numeric(answer=1e-5, rtol=0, atol=0.5, log_scale=True)
    assert grade(question, None, "3e-5").correct  # log10 3 = 0.477
    assert grade(question, None, "3.17e-6").correct  # 0.499 decades
    assert not grade(question, None, "4e-5").correct  # 0.602 decades away
    assert not grade(question, None, "1e-3").correct


def test_log_scale_atol_one_means_within_a_factor_of_ten():
    question = numeric(answer=2e-7, rtol=0, atol=1, log_scale=True)
    assert grade(question, None, "2e-6").correct and grade(question, None, "2e-8").correct
    assert not grade(question, None, "2.1e-6").correct


@pytest.mark.parametrize("typed", ["0", "-1e-5"])
def test_log_scale_refuses_a_number_that_is_not_positive(typed):
    outcome = grade(numeric(answer=1e-5, log_scale=True), None, typed)
    assert outcome.format_error == "not_positive" and not outcome.counts_as_try


@pytest.mark.parametrize(("typed", "value"), [
    ("0,05", 0.05), ("5e-2", 0.05), ("5E-2", 0.05), (" 0.05 ", 0.05), ("5×10^-2", 0.05),
    ("5 x 10^{-2}", 0.05), ("10^-3", 1e-3), ("−0.3", -0.3), (".5", 0.5), (7, 7.0),
])
def test_numbers_are_read_as_people_type_them(typed, value):
    assert grading.parse_number(typed) == pytest.approx(value)


@pytest.mark.parametrize(("typed", "code"), [
    ("abc", "not_a_number"), ("", "empty"), ("   ", "empty"), ("1,000.5", "not_a_number"),
    ("1,2,3", "not_a_number"), ("nan", "not_a_number"), ("inf", "not_a_number"),
    ("1e999", "not_finite"), (True, "not_a_number"), ("0.05.1", "not_a_number"),
    ("1.000", "ambiguous"), ("1.000.000,5.5", "not_a_number"),
])
def test_a_typo_is_a_format_error_explained_in_the_learners_language(typed, code):
    outcome = grade(numeric(), None, typed)
    assert outcome.format_error == code and not outcome.counts_as_try
    english = grade(numeric(language="en"), None, typed)
    assert english.format_error_message != outcome.format_error_message


@pytest.mark.parametrize(("language", "shown"), [
    ("pt-br", "1,3 × 10⁻³"), ("en", "1.3 × 10⁻³"), ("pt-br", "1,3\u202f×\u202f10⁻³"),
    ("pt-br", "0,13%"), ("en", "0.13%"), ("pt-br", "1,3e-3"), ("en", "1.3E-3"),
])
def test_a_number_the_lab_displays_is_read_back_by_a_numeric_exercise(language, shown):
    assert grade(numeric(answer=1.3e-3, language=language), None, shown).correct


@pytest.mark.parametrize(("language", "typed", "readings"), [
    ("pt-br", "1.000", ("1000", "1,000")), ("en", "1,000", ("1000", "1.000")),
])
def test_a_thousands_separator_alone_is_a_format_error_offering_both_readings(
        language, typed, readings):
    outcome = grade(numeric(answer=1000.0, language=language), None, typed)
    assert outcome.format_error == "ambiguous" and not outcome.counts_as_try
    assert all(reading in outcome.format_error_message for reading in readings)


@pytest.mark.parametrize(("language", "typed", "value"), [
    ("pt-br", "1,000", 1.0), ("en", "1.000", 1.0), ("pt-br", "1.000,5", 1000.5),
    ("en", "1,000.5", 1000.5), ("pt-br", "0.5", 0.5), ("en", "0,5", 0.5),
])
def test_a_separator_reads_as_the_learners_language_writes_it(language, typed, value):
    assert grading.parse_number(typed, language=language) == value


@pytest.mark.parametrize("language", ["pt-br", "en"])
@given(value=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300))
def test_a_solution_and_a_prompts_values_read_back_as_the_numbers_they_show(language, value):
    """The solution shown after the tries, and a variant's values in the prompt."""
    solution = grading.solution_text(numeric(answer=value, language=language), None)
    for shown in (solution, variants.format_value(value, language)):
        read = grading.parse_number(shown, language=language)
        assert math.isclose(read, value, rel_tol=5e-4, abs_tol=1e-300), shown


def test_each_language_reads_with_the_decimal_separator_django_writes_it_with():
    from django.utils import formats, translation

    for language, separator in answers.DECIMAL_SEPARATORS.items():
        with translation.override(language):
            assert formats.get_format("DECIMAL_SEPARATOR") == separator


def test_format_error_message_quotes_the_typo():
    assert "“abc”" in grade(numeric(), None, "abc").format_error_message


def test_simulated_value_comes_from_the_variant():
    question = numeric(answer=None, rtol=0.1)
    variant = VariantAnswer(params={"depth": 5}, seed=1, engine_version="1", value=3.0)
    assert grade(question, variant, "3.2").correct
    assert not grade(question, variant, "4").correct


@pytest.mark.parametrize("value", [None, math.inf, math.nan])
def test_a_variant_without_a_finite_value_cannot_be_graded(value):
    variant = VariantAnswer(params={}, seed=1, engine_version="1", value=value)
    outcome = grade(numeric(answer=None), variant, "1")
    assert outcome.format_error == "unavailable" and not outcome.counts_as_try


def test_choices_judged_by_the_simulation_follow_the_variant():
    choices = (ChoiceSnapshot(1, "sigmoid", by_simulation=True),
               ChoiceSnapshot(2, "relu", by_simulation=True),
               ChoiceSnapshot(3, "fixed right", is_correct=True))
    question = QuestionSnapshot(id=4, kind="multiple", language="en", prompt="?",
                                choices=choices)
    variant = VariantAnswer(params={}, seed=1, engine_version="1", correct_choices=(2,))
    assert grade(question, variant, [2, 3]).correct
    assert not grade(question, variant, [1, 2, 3]).correct
    other = VariantAnswer(params={}, seed=2, engine_version="1", correct_choices=(1, 2))
    assert grade(question, other, [1, 2, 3]).correct


def test_explanation_after_n_wrong_tries():
    question = single(explanation_after_tries=2)
    assert grade(question, None, 1, wrong_tries_before=0).explanation == ""
    assert grade(question, None, 1, wrong_tries_before=1).explanation == "Porque B."


@pytest.mark.parametrize(("policy", "after", "correct_shows", "third_wrong_shows"), [
    ("never", None, False, False),
    ("after_correct", None, True, False),
    ("after_tries", 3, True, True),
    ("after_tries", 4, True, False),
])
def test_solution_policy(policy, after, correct_shows, third_wrong_shows):
    question = single(solution_policy=policy, solution_after_tries=after)
    assert bool(grade(question, None, 2).solution) is correct_shows
    third = grade(question, None, 1, wrong_tries_before=2)
    assert (third.solution == "B") is third_wrong_shows


def test_numeric_solution_is_written_in_the_learners_language():
    question = numeric(answer=0.05, solution_policy="after_correct")
    assert grade(question, None, "0.05").solution == "0,05"
    assert grade(numeric(answer=0.05, language="en"), None, "0.05").solution == "0.05"


def test_locked_outcome_says_no_tries_left_and_shows_the_solution_when_due():
    question = single(solution_policy="after_tries", solution_after_tries=3)
    outcome = grading.locked(question, None, tries=3)
    assert outcome.feedback == "Você não tem mais tentativas para este exercício."
    assert outcome.solution == "B" and not outcome.correct


def test_snapshot_survives_a_round_trip_through_json():
    question = single(explanation_after_tries=2)
    assert QuestionSnapshot.from_dict(question.to_dict()) == question


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
tolerance = st.floats(min_value=0, max_value=10, allow_nan=False)


@given(answer=finite, correct=finite, rtol=tolerance, atol=tolerance)
def test_numeric_grading_agrees_with_numpy_isclose(answer, correct, rtol, atol):
    ours = grading.is_close(answer, correct, rtol=rtol, atol=atol, log_scale=False)
    margin = abs(abs(answer - correct) - (atol + rtol * abs(correct)))
    if margin > 1e-6 * (1 + atol + rtol * abs(correct)):  # away from the boundary's slack
        assert ours == bool(np.isclose(answer, correct, rtol=rtol, atol=atol))
