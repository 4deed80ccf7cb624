from course.markdown import render_markdown


def test_headings_and_lists_become_html():
    html = render_markdown("## Estratégias\n\n- **He:** ReLU\n- Glorot\n")
    assert "<h2>Estratégias</h2>" in html
    assert "<li><strong>He:</strong> ReLU</li>" in html


def test_script_in_a_body_never_reaches_the_page():
    html = render_markdown("Olá <script>alert('x')</script>\n\n<img src=x onerror=alert(1)>")
    assert "<script" not in html
    assert "<img" not in html  # shown as text, so onerror is never an attribute


def test_javascript_links_are_dropped_and_others_get_noopener():
    html = render_markdown("[a](javascript:alert(1)) [b](https://example.org)")
    assert "javascript:" not in html.split("[a]")[0]
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "<a href=\"javascript" not in html


def test_latex_becomes_mathml_without_any_script():
    html = render_markdown(
        "Inline $\\sigma'(x) \\le \\frac{1}{4}$.\n\n$$\\mathrm{Var}(w)=\\frac{2}{n}$$"
    )
    assert html.count("<math") == 2
    assert 'display="block"' in html
    assert "<mfrac>" in html
    assert "$" not in html


def test_unparseable_formula_is_shown_as_code_not_an_error():
    html = render_markdown("$\\frac{1}{$")
    assert "<code>" in html or "<math" in html
