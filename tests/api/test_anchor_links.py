"""The API carries the lesson's anchors: figures name theirs, and links of question texts
to an anchor (#x) point at the lesson's page, for an app that shows them apart from it."""

LESSON_9_URL = "/{lang}/courses/redes-neurais/inicializacao-de-pesos/"


def test_the_api_gives_figures_their_anchor_and_links_in_question_texts_absolute(
        learner_api, imported_course):
    detail = learner_api.get("/api/v1/courses/redes-neurais/lessons/inicializacao-de-pesos/",
                        HTTP_ACCEPT_LANGUAGE="en").json()
    assert [figure["anchor"] for figure in detail["figures"]] == ["fig-init-variance"]
    assert 'id="fig-init-variance"' in detail["body_html"]
    assert 'id="he"' in detail["body_html"]
    question = next(q for q in detail["questions"] if q["key"] == "inicializacao-para-relu")
    relu_choice = next(c for c in question["choices"] if "He" in c["text"])
    answer = learner_api.post(question["attempts_url"], {"answer": relu_choice["id"]},
                         format="json",
                                HTTP_ACCEPT_LANGUAGE="en", HTTP_IDEMPOTENCY_KEY="anchors-1").json()
    assert "(#he)" in answer["explanation"]
    page_url = "http://testserver" + LESSON_9_URL.format(lang="en")
    assert f'href="{page_url}#he"' in answer["explanation_html"]


def test_the_lesson_detail_shows_a_due_explanation_with_absolute_anchor_links(
        learner_api, imported_course):
    url = "/api/v1/courses/redes-neurais/lessons/inicializacao-de-pesos/"
    question = next(q for q in learner_api.get(url, HTTP_ACCEPT_LANGUAGE="pt-br").json()[
        "questions"] if q["key"] == "inicializacao-para-relu")
    assert question["explanation"] is None
    he = next(c for c in question["choices"] if c["text"].startswith("He"))
    learner_api.post(question["attempts_url"], {"answer": he["id"]}, format="json",
                     HTTP_IDEMPOTENCY_KEY="anchors-2")
    question = next(q for q in learner_api.get(url, HTTP_ACCEPT_LANGUAGE="pt-br").json()[
        "questions"] if q["key"] == "inicializacao-para-relu")
    page_url = "http://testserver" + LESSON_9_URL.format(lang="pt-br")
    assert f'href="{page_url}#he"' in question["explanation_html"]
