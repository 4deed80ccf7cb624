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


def figure_spec(name: str) -> dict:
    return next(figure for figure in LESSON_YAML["figures"] if figure["name"] == name)


def thrown_step(cliff: dict[str, dict]) -> int:
    """Index of the step that throws the unclipped path off the wall (its longest)."""
    return int(np.argmax(cliff["none"]["step_lengths"]))


def test_the_wall_is_where_the_unstable_fixed_point_crosses_x0():
    """The line b = x_0 - w sigmoid(x_0) the text names: x_T jumps across it."""
    from simulations.engine.activations import sigmoid
    from simulations.engine.cliff import CliffParams, loss_and_gradient

    params = CliffParams(**figure_spec("cliff")["params"])
    for w in (5.0, 6.0, 8.0):
        line = params.initial_state - w * sigmoid(np.array([params.initial_state]))[0]
        below, _, _ = loss_and_gradient(np.array([w]), np.array([line - 1e-3]), params)
        above, _, _ = loss_and_gradient(np.array([w]), np.array([line + 1e-3]), params)
        assert abs(above[0] - below[0]) > 1  # a jump of the loss across a 0.002 band


def test_the_unclipped_path_is_thrown_off_the_wall(lesson_says, cliff):
    plain = cliff["none"]
    thrown = thrown_step(cliff)
    landing = plain["path"][thrown + 1]
    norm = round(plain["grad_norms"][thrown], -3)
    length = round(plain["step_lengths"][thrown], -1)
    ordinal = {9: ("décimo", "tenth")}[thrown]
    lesson_says(
        "12",
        f"no {ordinal[0]} passo, o gradiente tem norma de cerca de {norm:.0f}, e um único "
        f"passo, com cerca de {length:.0f} de comprimento, joga os parâmetros para "
        f"$w \\approx {landing[0]:.0f}$, $b \\approx {landing[1]:.0f}$, muito fora da janela, "
        "onde a perda passa de 100 mil",
        f"at the {ordinal[1]} step the gradient has a norm of about {norm:.0f}, and a single "
        f"step of length about {length:.0f} throws the parameters to "
        f"$w \\approx {landing[0]:.0f}$, $b \\approx {landing[1]:.0f}$, far outside the "
        "window, where the loss exceeds 100,000",
    )
    assert plain["losses"][thrown + 1] > 100_000
    spec = figure_spec("cliff")["params"]
    assert not (spec.get("w_min", 2) <= landing[0] <= spec.get("w_max", 10))


def test_the_clipped_path_cuts_only_the_wall_and_never_steps_beyond_eta_c(lesson_says, cliff):
    plain, clipped = cliff["none"], cliff["norm"]
    params = clipped["params"]
    c, bound = params["clip_threshold"], params["learning_rate"] * params["clip_threshold"]
    thrown = thrown_step(cliff)
    before = clipped["grad_norms"][:thrown]
    clipped_count = sum(norm > c for norm in clipped["grad_norms"])
    count = {9: ("nove", "nine")}[thrown]
    ordinal = {9: ("décimo", "tenth")}[thrown]
    big = round(clipped["grad_norms"][thrown], -3)
    length = round(plain["step_lengths"][thrown], -1)

    def says(language: str) -> dict[str, str]:
        return {"c": localized(c, 2, language), "bound": localized(bound, 2, language),
                "low": localized(min(before), 2, language),
                "high": localized(max(before), 2, language),
                "final": localized(clipped["final_loss"], 2, language),
                "plain": localized(plain["final_loss"], 3, language)}

    pt, en = says("pt-br"), says("en")
    in_math = pt["bound"].replace(",", "{,}")  # LaTeX's decimal comma
    lesson_says(
        "12",
        f"Com a norma limitada a {pt['c']}, logo acima das normas dos {count[0]} primeiros "
        f"passos (de {pt['low']} a {pt['high']}), nenhum passo passa de $\\eta c = {in_math}$: "
        f"no {ordinal[0]} passo, o gradiente de norma {big:.0f} é reescalado para norma "
        f"{pt['c']}, e o passo mede {pt['bound']} em vez de {length:.0f}.",
        f"With the norm capped at {en['c']}, just above the norms of the first {count[1]} steps "
        f"({en['low']} to {en['high']}), no step is longer than $\\eta c = {en['bound']}$: at "
        f"the {ordinal[1]} step the gradient of norm {big:.0f} is rescaled to norm {en['c']}, "
        f"and the step is {en['bound']} long instead of {length:.0f}.",
    )
    lesson_says(
        "12",
        f"o corte só age quando a norma passa de {pt['c']}, em {clipped_count} dos "
        f"{params['descent_steps']} passos, e a perda final é de {pt['final']}, contra "
        f"{pt['plain']} sem clipping.",
        f"clipping acts only when the norm exceeds {en['c']}, at {clipped_count} of the "
        f"{params['descent_steps']} steps, and the final loss is {en['final']}, against "
        f"{en['plain']} without clipping.",
    )
    assert max(before) < c < max(before) + 1  # just above the ordinary steps
    assert np.allclose(clipped["path"][:thrown + 1], plain["path"][:thrown + 1], rtol=0, atol=0)
    assert clipped["step_lengths"][thrown] == pytest.approx(bound, rel=1e-5)
    assert max(clipped["step_lengths"]) <= bound
    assert clipped["clipped_fraction"] == clipped_count / params["descent_steps"]
    assert clipped["final_loss"] < 1 < plain["final_loss"]
    spec = figure_spec("cliff")
    assert f"limitada a {pt['c']}," in spec["caption"]["pt-br"]
    assert f"capped at {en['c']}," in spec["caption"]["en"]


def test_value_clipping_turns_the_step_and_norm_clipping_does_not(lesson_says, angles):
    from simulations.engine.training import TrainingParams, draw_network

    by_value = [a for a in angles["value"]["clip_angles"] if a is not None]
    largest, mean = round(max(by_value)), round(float(np.mean(by_value)))
    threshold = angles["norm"]["params"]["clip_threshold"]
    lesson_says(
        "12",
        f"com um limite de propósito muito baixo ({localized(threshold, 2, 'pt-br')}), que corta "
        "o gradiente em todos os passos. Com clipping pela norma, o ângulo entre o gradiente "
        "cortado e o original fica em zero, a menos de erros de arredondamento (abaixo de "
        "$10^{-12}$ graus em todos os passos). Com clipping por valor e o mesmo limite, o passo "
        f"chega a girar cerca de {largest} graus, e o giro médio ao longo dos 100 passos é de "
        f"cerca de {mean} graus.",
        f"with a deliberately low threshold ({localized(threshold, 2, 'en')}) that clips the "
        "gradient at every step. With norm clipping, the angle between the clipped gradient and "
        "the unclipped one is zero up to round-off (below $10^{-12}$ degrees at every step). "
        "With value clipping at the same threshold, the step turns by as much as about "
        f"{largest} degrees, and by about {mean} degrees on average over the 100 steps.",
    )
    assert angles["norm"]["clipped_fraction"] == angles["value"]["clipped_fraction"] == 1.0
    assert max(angles["norm"]["clip_angles"]) < 1e-12
    assert len(by_value) == 100
    # The caption: the number of entries value clipping bounds, and its much longer steps.
    spec = figure_spec("clip-angle")
    params = TrainingParams(**{**spec["params"], "clipping": "value"})
    weights, biases = draw_network(params, np.random.default_rng(0))
    entries = sum(array.size for array in (*weights, *biases))
    assert f"cada uma das {entries} componentes" in spec["caption"]["pt-br"]
    assert f"each of the {entries} entries" in spec["caption"]["en"]
    assert min(angles["value"]["clipped_grad_norms"]) > 10 * threshold


def test_percentiles_of_the_default_runs_gradient_norm(lesson_says):
    declaration = registry.get("training_dynamics")
    result = declaration.run(declaration.validate({}), 0).to_dict()
    assert result["params"]["steps"] == 200 and not result["diverged"]
    figure = figure_spec("clip-angle")["params"]  # "the same network as the figure"
    differs = {key for key, value in figure.items() if result["params"][key] != value}
    assert differs == {"steps", "clip_threshold"} and result["params"]["clipping"] == "none"
    norms = np.array(result["grad_norms"])
    median, p90, top = np.median(norms), np.percentile(norms, 90), norms.max()
    above = np.flatnonzero(norms > p90)
    lesson_says(
        "12",
        f"Na mesma rede da figura, treinada sem clipping por {len(norms)} passos, a norma do "
        f"gradiente tem mediana de {localized(median, 2, 'pt-br')}, percentil 90 de "
        f"{localized(p90, 2, 'pt-br')} e máximo de {localized(top, 2, 'pt-br')}. Um limite em "
        f"torno de {localized(p90, 2, 'pt-br')} deixaria intocados nove de cada dez passos; os "
        "passos que ele cortaria estão todos entre os trinta primeiros, enquanto a rede se "
        f"afasta da inicialização (o máximo, {localized(top, 2, 'pt-br')}, é o do primeiro "
        "passo).",
        f"In the same network as the figure, trained for {len(norms)} steps without clipping, "
        f"the gradient norm has a median of {localized(median, 2, 'en')}, a 90th percentile of "
        f"{localized(p90, 2, 'en')} and a maximum of {localized(top, 2, 'en')}. A threshold "
        f"around {localized(p90, 2, 'en')} would leave nine steps out of ten untouched; the "
        "steps it would cut are all among the first thirty, while the network leaves its "
        f"initialization (the maximum, {localized(top, 2, 'en')}, is the very first step).",
    )
    assert np.mean(norms <= p90) >= 0.9
    assert 20 <= above.max() < 30 and int(np.argmax(norms)) == 0


def cliff_variants():
    question = QUESTIONS["maior-passo-com-clipping"]
    for values in itertools.product(*question["vary"].values()):
        yield {**question["fixed"], **dict(zip(question["vary"], values, strict=True))}


@pytest.mark.parametrize("raw", list(cliff_variants()))
def test_longest_clipped_step_is_eta_c_and_the_slips_are_marked_wrong(raw):
    """Every variant clips from the first step (the prompt's 'about 5.6' at the start,
    above every threshold); forgetting η, or answering the unclipped step, or the first
    step's unclipped length, falls outside rtol."""
    question = QUESTIONS["maior-passo-com-clipping"]
    declaration = registry.get("rnn_cliff")
    for seed in (0, 1):  # the seed is not used: every learner of a variant gets one answer
        result = declaration.run(declaration.validate(raw), seed).to_dict()
        answer = result["largest_step"]
        start = result["grad_norms"][0]
        assert start > max(question["vary"]["clip_threshold"])
        assert f"cerca de {localized(start, 2, 'pt-br')}." in question["prompt"]["pt-br"]
        assert f"about {localized(start, 2, 'en')}." in question["prompt"]["en"]
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
