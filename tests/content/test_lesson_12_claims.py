"""The numbers lesson 18.12 states about its figures (the cliff of a one-unit RNN, the
angle of a clipped step) and about the default training run, recomputed from the engine
at the configurations lesson.yaml and the text declare, quoting both languages."""

import itertools
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulations import registry
from simulations.plots.common import number

LESSON = next((Path(__file__).resolve().parents[2] / "content" / "redes-neurais"
               / "18-backpropagation").glob("12-*"))
LESSON_YAML = yaml.safe_load((LESSON / "lesson.yaml").read_text(encoding="utf-8"))
QUESTIONS = {q["key"]: q for q in yaml.safe_load(
    (LESSON / "questions.yaml").read_text(encoding="utf-8"))["questions"]}


def run_series(name: str) -> dict[str, dict]:
    """Run every series of the named figure; return the results by clipping rule."""
    spec = next(figure for figure in LESSON_YAML["figures"] if figure["name"] == name)
    declaration = registry.get(spec["simulation"])
    results = {}
    for item in spec["series"]:
        params = declaration.validate({**spec["params"], **item["params"]})
        results[params.clipping] = declaration.run(params, spec["seed"]).to_dict()
    return results


def localized(value: float, digits: int, language: str) -> str:
    from django.utils import translation

    with translation.override(language):
        return number(value, digits)


@pytest.fixture(scope="module")
def cliff() -> dict[str, dict]:
    return run_series("cliff")


@pytest.fixture(scope="module")
def angles() -> dict[str, dict]:
    return run_series("clip-angle")


def test_the_unclipped_path_is_thrown_off_the_wall(lesson_says, cliff):
    plain = cliff["none"]
    thrown = int(np.argmax(plain["step_lengths"]))
    landing = plain["path"][thrown + 1]
    norm = round(plain["grad_norms"][thrown], -3)
    length = round(plain["step_lengths"][thrown], -1)
    ordinal = {9: ("décimo", "tenth")}[thrown]
    lesson_says(
        "12",
        f"no {ordinal[0]} passo, o gradiente tem norma de cerca de {norm:.0f} e um único "
        f"passo, de comprimento cerca de {length:.0f}, joga os parâmetros para perto de "
        f"$w \\approx {landing[0]:.0f}$, $b \\approx {landing[1]:.0f}$, muito fora da janela, "
        "onde a perda passa de 100 mil",
        f"at the {ordinal[1]} step the gradient has a norm of about {norm:.0f}, and a single "
        f"step, about {length:.0f} long, throws the parameters to around "
        f"$w \\approx {landing[0]:.0f}$, $b \\approx {landing[1]:.0f}$, far outside the "
        "window, where the loss exceeds 100 thousand",
    )
    assert plain["losses"][thrown + 1] > 100_000
    spec = LESSON_YAML["figures"][0]["params"]
    assert not (spec.get("w_min", 2) <= landing[0] <= spec.get("w_max", 10))


def test_the_clipped_path_never_steps_beyond_eta_c(lesson_says, cliff):
    clipped = cliff["norm"]
    params = clipped["params"]
    bound = params["learning_rate"] * params["clip_threshold"]
    in_math = localized(bound, 2, "pt-br").replace(",", "{,}")  # LaTeX's decimal comma
    lesson_says("12", f"nenhum passo passa de $\\eta c = {in_math}$",
                f"no step is longer than $\\eta c = {localized(bound, 2, 'en')}$")
    assert max(clipped["step_lengths"]) <= bound
    assert clipped["clipped_fraction"] > 0


def test_value_clipping_turns_the_step_and_norm_clipping_does_not(lesson_says, angles):
    by_value = [a for a in angles["value"]["clip_angles"] if a is not None]
    largest, mean = round(max(by_value)), round(float(np.mean(by_value)))
    lesson_says(
        "12",
        "fica em zero a menos de arredondamento (abaixo de $10^{-12}$ graus em todos os passos). "
        f"Com clipping por valor e o mesmo limite, o passo chega a girar cerca de {largest} "
        f"graus, e o giro médio ao longo dos 100 passos é de cerca de {mean} graus.",
        "is zero up to round-off (below $10^{-12}$ degrees at every step). With value clipping "
        f"at the same threshold, the step turns by up to about {largest} degrees, and by about "
        f"{mean} degrees on average over the 100 steps.",
    )
    assert angles["norm"]["clipped_fraction"] == 1.0
    assert max(angles["norm"]["clip_angles"]) < 1e-12
    assert len(by_value) == 100


def test_percentiles_of_the_default_runs_gradient_norm(lesson_says):
    declaration = registry.get("training_dynamics")
    result = declaration.run(declaration.validate({}), 0).to_dict()
    assert result["params"]["steps"] == 200 and not result["diverged"]
    norms = np.array(result["grad_norms"])
    median, p90, top = np.median(norms), np.percentile(norms, 90), norms.max()
    lesson_says(
        "12",
        f"a norma do gradiente tem mediana de {localized(median, 2, 'pt-br')}, percentil 90 de "
        f"{localized(p90, 2, 'pt-br')} e máximo de {localized(top, 2, 'pt-br')}. Um limite em "
        f"torno de {localized(p90, 2, 'pt-br')} deixaria intocados nove de cada dez passos",
        f"the gradient norm has a median of {localized(median, 2, 'en')}, a 90th percentile of "
        f"{localized(p90, 2, 'en')} and a maximum of {localized(top, 2, 'en')}. A threshold "
        f"around {localized(p90, 2, 'en')} would leave nine steps out of ten untouched",
    )
    assert np.mean(norms <= p90) >= 0.9


def cliff_variants():
    question = QUESTIONS["maior-passo-com-clipping"]
    for values in itertools.product(*question["vary"].values()):
        yield {**question["fixed"], **dict(zip(question["vary"], values, strict=True))}


@pytest.mark.parametrize("raw", list(cliff_variants()))
def test_longest_clipped_step_is_eta_c_and_the_slips_are_marked_wrong(raw):
    """Every variant clips (the prompt's 'exceeds 5'); forgetting η, or answering the
    unclipped step, or the first step's unclipped length, falls outside rtol."""
    question = QUESTIONS["maior-passo-com-clipping"]
    declaration = registry.get("rnn_cliff")
    for seed in (0, 1):  # the seed is not used: every learner of a variant gets one answer
        result = declaration.run(declaration.validate(raw), seed).to_dict()
        answer = result["largest_step"]
        assert result["largest_grad_norm"] > 5
        assert answer == pytest.approx(raw["learning_rate"] * raw["clip_threshold"], rel=1e-5)
        unclipped = declaration.run(declaration.validate({**raw, "clipping": "none"}), seed)
        slips = [raw["clip_threshold"], unclipped.to_dict()["largest_step"],
                 raw["learning_rate"] * result["grad_norms"][0]]
        for slip in slips:
            assert abs(slip - answer) > question["rtol"] * abs(answer)


def test_only_value_clipping_turns_the_step_at_every_threshold():
    question = QUESTIONS["quais-preservam-a-direcao"]
    declaration = registry.get("training_dynamics")
    ends = question["vary"]["clip_threshold"]
    for threshold, seed in itertools.product((ends["min"], ends["max"]), (0, 3)):
        raw = {**question["fixed"], "clip_threshold": threshold}
        largest = {rule: declaration.run(declaration.validate({**raw, "clipping": rule}),
                                         seed).to_dict()["largest_clip_angle"]
                   for rule in ("none", "norm", "value")}
        assert largest["none"] == 0 and largest["norm"] < 1e-10 and largest["value"] > 1
