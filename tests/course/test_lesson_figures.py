"""Lesson figures: declared in lesson.yaml, validated on import, embedded with alt text."""

import html
import re
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model

from course.content_files import ContentError
from course.lesson_figures import plan_figure, validate_figure_specs
from simulations import services

CHAPTER = Path(__file__).resolve().parents[2] / "content/redes-neurais/18-backpropagation"
LESSON_88 = "problemas-de-vanishing-e-exploding-gradient"
FIGURE_URL = "/api/v1/simulations/figures/redes-neurais/{lesson}/{name}.{fmt}"


def shipped_figures(folder):
    path = next(CHAPTER.glob(f"{folder}*/lesson.yaml"))
    return {spec["name"]: spec for spec in yaml.safe_load(path.read_text())["figures"]}, path


def figure_results(spec):
    """Return {English label: result data} of every series of a figure."""
    planned = plan_figure(spec, language="en", fmt="png")
    return {label: services.get_result(services.plan_result(
        slug=planned.slug, raw_params=services.normalized(params), seed=planned.seed))
        for label, params in planned.series}


@pytest.mark.parametrize("folder", ["08-", "09-"])
def test_shipped_figure_specs_are_valid(folder):
    figures, path = shipped_figures(folder)
    validate_figure_specs(list(figures.values()), path)


def test_sigmoid_vs_relu_figure_shows_the_sigmoid_gradient_vanishing_and_relu_not():
    results = figure_results(shipped_figures("08-")[0]["sigmoid-vs-relu"])
    sigmoid, relu = results.values()
    assert sigmoid["params"]["depth"] == relu["params"]["depth"]
    assert sigmoid["grad_ratio_first_to_last"] < 1e-6
    assert 0.1 < relu["grad_ratio_first_to_last"] < 10


def test_clipping_figure_shows_a_divergence_that_clipping_prevents():
    without, with_clipping = figure_results(shipped_figures("08-")[0]["clipping"]).values()
    assert without["diverged"] and not with_clipping["diverged"]
    assert with_clipping["final_loss"] < with_clipping["losses"][0] / 10


def test_rnn_vs_lstm_figure_shows_the_lstm_carrying_the_gradient_further():
    rnn, lstm = figure_results(shipped_figures("08-")[0]["rnn-vs-lstm"]).values()
    assert rnn["grad_ratio_first_to_last"] < 1e-6
    assert lstm["grad_ratio_first_to_last"] > 1e3 * rnn["grad_ratio_first_to_last"]


def test_init_variance_figure_shows_a_small_normal_init_collapsing_and_he_keeping_relu():
    tanh, relu = figure_results(shipped_figures("09-")[0]["init-variance"]).values()
    normal = relu["schemes"]["normal"]["preactivation_variances"]
    he = relu["schemes"]["he_normal"]["preactivation_variances"]
    assert normal[-1] < 1e-10 * normal[0]
    assert 0.5 < he[-1] / he[0] < 2
    assert tanh["params"]["init_std"] == 0.01 and tanh["params"]["width"] == 500


def spec(**overrides):
    base = {"name": "f", "simulation": "mlp_gradient_flow",
            "series": [{"label": {"pt-br": "A", "en": "A"}, "params": {"depth": 3}}],
            "caption": {"pt-br": "Legenda.", "en": "Caption."}}
    return {**base, **overrides}


@pytest.mark.parametrize(("figure", "message"), [
    (spec(simulation="mlp"), "unknown simulation 'mlp'"),
    (spec(plot="pie"), "unknown plot 'pie'"),
    (spec(series=[{"label": {"pt-br": "A"}, "params": {"depth": 1000}}]),
     "series 1: depth: Must be at most 60."),
    (spec(params={"activation": "softmax"}), "activation: Must be one of"),
    (spec(series=[]), "'series' must be a non-empty list"),
    (spec(caption={"en": "Only English."}), "'caption' must map languages"),
    (spec(seed=-1), "'seed' must be a whole number"),
    (spec(colour="red"), "unknown key(s) colour"),
    (spec(name="Bad Name"), "needs a 'name'"),
])
def test_invalid_figure_specs_raise_content_errors_naming_the_file(figure, message):
    path = Path("content/x/lesson.yaml")
    with pytest.raises(ContentError) as error:
        validate_figure_specs([figure], path)
    assert message in str(error.value) and str(path) in str(error.value)


def test_two_figures_with_one_name_are_refused():
    with pytest.raises(ContentError, match="two figures are named 'f'"):
        validate_figure_specs([spec(), spec()], Path("lesson.yaml"))


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_lesson_88_embeds_three_figures_with_alt_text(imported_course, client, lang):
    response = client.get(f"/{lang}/courses/redes-neurais/{LESSON_88}/")
    body = response.content.decode()
    figures = re.findall(r"<figure class=\"sim-figure\" id=\"fig-[a-z-]+\">(.*?)</figure>", body,
                         re.DOTALL)
    assert len(figures) == 3
    for figure in figures:
        src, alt = re.search(r'<img src="([^"]+)" alt="([^"]+)"', figure).groups()
        assert "10^" in alt and len(alt) > 80
        image = client.get(html.unescape(src))
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
        assert f"?lang={lang}" in src
        assert f'href="/{lang}/lab/' in figure and "<figcaption>" in figure


def test_lesson_figure_endpoint_serves_png_and_svg_with_etags(imported_course, client):
    url = FIGURE_URL.format(lesson=LESSON_88, name="rnn-vs-lstm", fmt="svg")
    response = client.get(url, {"lang": "en"})
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert client.get(url, {"lang": "en"}, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(url, {"lang": "pt-br"})["ETag"] != response["ETag"]


@pytest.mark.parametrize("name", ["no-such-figure", "clipping.gif"])
def test_unknown_lesson_figures_are_json_404s(imported_course, client, name):
    response = client.get(f"/api/v1/simulations/figures/redes-neurais/{LESSON_88}/{name}.png")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_admin_lesson_page_previews_the_figures(imported_course, client):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw-123456")
    client.force_login(admin)
    from course.models import Lesson

    lesson = Lesson.objects.get(slug=LESSON_88)
    body = client.get(f"/admin/course/lesson/{lesson.pk}/change/").content.decode()
    assert body.count("/api/v1/simulations/figures/redes-neurais/") == 3
    assert body.count('alt="') >= 3


CAPTION_DEFINITIONS = {
    "pt-br": {
        "sigmoid-vs-relu": ["Perda: L = 1/(2B) · Σ_b ‖y_b − t_b‖², metade do erro quadrático",
                            "B = 64 exemplos", "a norma de Frobenius"],
        "clipping": ["Perda: L = 1/(2B) · Σ_b (y_b − t_b)², metade do erro quadrático",
                     "B = 32 exemplos", "Norma global do gradiente"],
        "rnn-vs-lstm": ["Perda: L = 1/(2B) · Σ_b ‖h_T^b − y^b‖²", "B = 16 sequências",
                        "a raiz da média quadrática, sobre o lote"],
    },
    "en": {
        "sigmoid-vs-relu": ["Loss: L = 1/(2B) · Σ_b ‖y_b − t_b‖², half the squared error",
                            "B = 64 examples", "the Frobenius norm"],
        "clipping": ["Loss: L = 1/(2B) · Σ_b (y_b − t_b)², half the squared error",
                     "B = 32 examples", "Global gradient norm"],
        "rnn-vs-lstm": ["Loss: L = 1/(2B) · Σ_b ‖h_T^b − y^b‖²", "B = 16 sequences",
                        "the root mean square over the batch"],
    },
}


@pytest.mark.parametrize("lang", ["pt-br", "en"])
def test_lesson_88_captions_define_the_loss_and_the_norm_in_the_pages_language(
        imported_course, client, lang):
    """The numbers depend on the loss convention: each caption says which one was used."""
    body = html.unescape(
        client.get(f"/{lang}/courses/redes-neurais/{LESSON_88}/").content.decode())
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", body, re.DOTALL)
    for name, fragments in CAPTION_DEFINITIONS[lang].items():
        src = re.escape(f"/{name}.png")
        figure = re.search(rf'<img src="[^"]*{src}[^"]*".*?<figcaption>(.*?)</figcaption>',
                           body, re.DOTALL)
        assert figure is not None and figure.group(1) in captions
        for fragment in fragments:
            assert fragment in figure.group(1), (name, fragment)
