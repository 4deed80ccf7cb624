import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from course.content_files import ContentError, read_courses
from course.importer import import_courses
from course.models import Chapter, Course, Lesson

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"



@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of the real course files, for breaking them."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _lesson_folder(root: Path, number: int) -> Path:
    return next((root / "redes-neurais" / "18-backpropagation").glob(f"{number:02d}-*"))


def _snapshot():
    return [
        (row.pk, row.slug, row.title_pt_br, row.title_en, row.body_pt_br, row.body_en,
         row.body_html_pt_br, row.reading_minutes_en, row.page)
        for row in Lesson.objects.order_by("pk")
    ]


def test_import_creates_the_course_with_both_languages(imported_course):
    lesson = Lesson.objects.get(chapter__number=18, number=8)
    assert lesson.title_pt_br == (
        "Backpropagation e Treinamento de Redes Neurais: "
        "Problemas de Vanishing e Exploding Gradient"
    )
    assert lesson.title_en.startswith("Backpropagation and Training Neural Networks")
    assert "<h2" in lesson.body_html_pt_br and "<h2" in lesson.body_html_en
    assert lesson.page == 54


def test_lesson_keeps_the_seed_text_without_the_advertising(imported_course):
    body = Lesson.objects.get(chapter__number=18, number=8).body_pt_br
    assert body.startswith("O algoritmo de backpropagation é um método fundamental")
    assert "Estratégias de Mitigação" in body
    for advertising in ("Certificado", "Google Play", "Agora responda", "Você acertou"):
        assert advertising not in body


def test_importing_twice_changes_nothing(imported_course, capsys):
    before = _snapshot()
    report = import_courses(read_courses(CONTENT_DIR))
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged > 0
    assert _snapshot() == before


def test_changed_file_updates_only_that_lesson(db, content_copy):
    import_courses(read_courses(content_copy))
    md = _lesson_folder(content_copy, 9) / "en.md"
    md.write_text(md.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    report = import_courses(read_courses(content_copy))
    assert report.updated == 1
    assert Lesson.objects.get(number=9).body_en.rstrip().endswith("One more sentence.")


def _rewrite_lesson_yaml(**changes):
    """Return a change to lesson.yaml: keys set to new values, or removed when None."""

    def rewrite(folder: Path) -> None:
        path = folder / "lesson.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key, value in changes.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    return rewrite


@pytest.mark.parametrize(
    ("break_it", "file_name", "problem"),
    [
        (lambda folder: (folder / "lesson.yaml").write_text("number: [", encoding="utf-8"),
         "lesson.yaml", "invalid YAML"),
        (_rewrite_lesson_yaml(slug=None), "lesson.yaml", "missing key 'slug'"),
        (lambda folder: (folder / "pt-br.md").unlink(), "pt-br.md", "Portuguese is required"),
        (lambda folder: (folder / "en.md").write_text("no front matter", encoding="utf-8"),
         "en.md", "front matter"),
        (_rewrite_lesson_yaml(slug="Not A Slug"), "lesson.yaml", "slug"),
        (_rewrite_lesson_yaml(number=8), "18-backpropagation", "share the number"),
        (_rewrite_lesson_yaml(page="fifty-five"), "lesson.yaml", "'page'"),
        (_rewrite_lesson_yaml(figures=[{"name": "init-variance",
                                        "simulation": "no_such_simulation"}]),
         "lesson.yaml", "unknown simulation"),
        (_rewrite_lesson_yaml(figures=[]), "pt-br.md",
         "[[figure:init-variance]] is not declared"),
    ],
)
def test_malformed_content_names_the_file_and_imports_nothing(
    db, content_copy, break_it, file_name, problem
):
    break_it(_lesson_folder(content_copy, 9))
    with pytest.raises(CommandError) as error:
        call_command("import_course", str(content_copy), verbosity=0)
    assert file_name in str(error.value)
    assert problem in str(error.value)
    assert not Course.objects.exists()
    assert not Lesson.objects.exists()


def test_a_failure_late_in_the_import_rolls_back_everything(db, content_copy, monkeypatch):
    """The lessons written before the failure are undone: all or nothing."""
    from course import importer

    def fail_on_third_lesson(lesson, files, report):
        if lesson.number == 9:
            raise ContentError(files.folder, "boom")

    monkeypatch.setattr(importer, "LESSON_HOOKS", [*importer.LESSON_HOOKS, fail_on_third_lesson])
    with pytest.raises(ContentError):
        import_courses(read_courses(content_copy))
    assert not Lesson.objects.exists()
    assert not Chapter.objects.exists()


def test_missing_content_folder_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="content folder not found"):
        call_command("import_course", str(tmp_path / "nowhere"), verbosity=0)
