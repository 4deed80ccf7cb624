"""Per-learner variants: reproducible draws, and answers that agree with the engine itself."""

import math
from collections import Counter

import pytest

from quizzes import variants
from quizzes.expressions import evaluate
from quizzes.variants import ChoiceRule, SimulationSpec, compute_variant, variant_seed
from simulations import registry

MLP = "mlp_gradient_flow"
KINDS = {"depth": "int", "width": "int", "activation": "choice", "init_std": "float",
         "batch_norm": "bool"}


def test_the_same_learner_always_gets_the_same_seed():
    assert variant_seed("c/l/q", "user:7") == variant_seed("c/l/q", "user:7")


def test_learners_and_questions_get_different_seeds():
    seeds = {variant_seed("c/l/q", f"user:{n}") for n in range(1000)}
    assert len(seeds) == 1000
    assert variant_seed("c/l/q", "user:7") != variant_seed("c/l/other", "user:7")
    assert all(0 <= seed < 2**32 for seed in seeds)  # the lab takes these seeds


def test_draws_are_reproducible_and_within_their_ranges():
    vary = {"depth": {"min": 4, "max": 12}, "activation": ["sigmoid", "tanh", "relu"],
            "init_std": {"min": 0.01, "max": 1.0, "log": True}}
    for learner in range(300):
        seed = variant_seed("q", str(learner))
        params = variants.draw_params(vary, seed, KINDS)
        assert params == variants.draw_params(vary, seed, KINDS)
        assert isinstance(params["depth"], int) and 4 <= params["depth"] <= 12
        assert params["activation"] in vary["activation"]
        assert 0.01 <= params["init_std"] <= 1.0
        assert params["init_std"] == float(f"{params['init_std']:.2g}")  # 2 significant digits


def test_draws_cover_the_whole_range_evenly():
    vary = {"depth": {"min": 4, "max": 7}, "activation": ["sigmoid", "relu"]}
    draws = [variants.draw_params(vary, variant_seed("q", str(n)), KINDS) for n in range(800)]
    depths = Counter(d["depth"] for d in draws)
    assert set(depths) == {4, 5, 6, 7} and min(depths.values()) > 150
    assert min(Counter(d["activation"] for d in draws).values()) > 350


def test_log_ranges_spread_over_decades():
    rule = {"min": 0.001, "max": 10.0, "log": True}
    values = [variants.draw_value(rule, "float", u / 100) for u in range(100)]
    assert sum(v < 0.01 for v in values) == pytest.approx(25, abs=2)


def test_step_ranges_stay_on_the_grid():
    rule = {"min": 0.1, "max": 0.5, "step": 0.1}
    values = {variants.draw_value(rule, "float", u / 50) for u in range(50)}
    assert values == {0.1, 0.2, 0.3, 0.4, 0.5}


def test_adding_a_varied_parameter_leaves_the_others_alone():
    seed = variant_seed("q", "ana")
    before = variants.draw_params({"depth": {"min": 4, "max": 40}}, seed, KINDS)
    after = variants.draw_params({"depth": {"min": 4, "max": 40}, "width": [32, 64]}, seed,
                                 KINDS)
    assert after["depth"] == before["depth"]


def test_numeric_answer_agrees_with_a_direct_engine_call():
    spec = SimulationSpec(MLP, fixed={"activation": "sigmoid", "init_std": 0.05},
                          vary={"depth": {"min": 4, "max": 12}, "width": [64, 144]},
                          quantity="hidden_grad_ratio_first_to_last")
    for learner in ("ana", "bruno", "carla"):
        seed = variant_seed("course/lesson/q", learner)
        computed = compute_variant(spec, seed)
        simulation = registry.get(MLP)
        drawn = {name: computed.answer.params[name] for name in ("depth", "width")}
        params = simulation.validate({"activation": "sigmoid", "init_std": 0.05, **drawn})
        result = simulation.run(params, seed).to_dict()
        expected = result["hidden_grad_norms"][0] / result["hidden_grad_norms"][-1]
        assert computed.answer.value == pytest.approx(expected, rel=1e-12)
        assert computed.answer.seed == seed and computed.answer.engine_version
        assert computed.answer.params["activation"] == "sigmoid"


def test_choice_predicates_agree_with_direct_engine_runs():
    predicate = "0.1 <= grad_ratio_first_to_last <= 10"
    rules = (ChoiceRule(1, predicate, {"activation": "sigmoid", "init": "normal"}),
             ChoiceRule(2, predicate, {"activation": "relu", "init": "he_normal"}),
             ChoiceRule(3, predicate, {"activation": "tanh", "init": "normal", "init_std": 1.0}))
    spec = SimulationSpec(MLP, fixed={"width": 64}, vary={"depth": {"min": 8, "max": 14}},
                          choice_rules=rules)
    seed = variant_seed("q", "ana")
    computed = compute_variant(spec, seed)
    simulation = registry.get(MLP)
    expected = []
    for rule in rules:
        raw = {"width": 64, "depth": computed.answer.params["depth"], **rule.params}
        result = simulation.run(simulation.validate(raw), seed).to_dict()
        if evaluate(predicate, result):
            expected.append(rule.choice_id)
    assert list(computed.answer.correct_choices) == expected == [2]


def test_recurrent_simulation_works_too():
    spec = SimulationSpec("recurrent_gradient_flow", fixed={"cell": "lstm", "steps": 20},
                          vary={"spectral_radius": {"min": 0.5, "max": 1.0, "digits": 2}},
                          quantity="first_step_grad_norm / last_step_grad_norm")
    computed = compute_variant(spec, variant_seed("q", "ana"))
    assert math.isfinite(computed.answer.value) and computed.answer.value > 0


def test_fingerprint_changes_with_what_decides_the_answer():
    spec = SimulationSpec(MLP, vary={"depth": {"min": 4, "max": 8}}, quantity="loss")
    assert spec.fingerprint() == SimulationSpec(MLP, vary={"depth": {"min": 4, "max": 8}},
                                                quantity="loss").fingerprint()
    assert spec.fingerprint() != SimulationSpec(MLP, vary={"depth": {"min": 4, "max": 9}},
                                                quantity="loss").fingerprint()


@pytest.mark.parametrize(("language", "text"), [("pt-br", "0,05 e 7 (sim)"),
                                                ("en", "0.05 e 7 (yes)")])
def test_prompt_shows_the_variants_values_in_the_learners_language(language, text):
    params = {"init_std": 0.05, "depth": 7, "batch_norm": True}
    rendered = variants.render_prompt("{init_std} e {depth} ({batch_norm})", params, language)
    assert rendered == text


def test_prompt_keeps_latex_braces_and_unknown_names():
    template = r"$n_{\mathrm{in}}$, $\sqrt{{width}}$, {unknown}"
    rendered = variants.render_prompt(template, {"width": 64}, "en")
    assert rendered == r"$n_{\mathrm{in}}$, $\sqrt{64}$, {unknown}"


def test_corner_cases_cover_every_extreme():
    corners = variants.corner_cases({"depth": {"min": 1, "max": 60}, "act": ["a", "b"]})
    assert {(c["depth"], c["act"]) for c in corners} == {(1, "a"), (1, "b"), (60, "a"),
                                                         (60, "b")}
