"""Imports run one way, as docs/architecture.md draws it: an app imports its own layer and
the layers below, never above, and no two apps or files import each other in a circle.

Every module of the project is read with ``ast``, imports inside functions included (a
deferred import is still a dependency; deferring it only hides a circle).
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

INFRA = 0
ROOT_WIRING = 5
LAYER_NAMES = {INFRA: "infra", 1: "bottom", 2: "content", 3: "activity", 4: "top",
               ROOT_WIRING: "root wiring"}
LAYERS = {
    # config's settings and root URLs name every app; no app imports config.
    "config": ROOT_WIRING,
    "api": INFRA, "storage": INFRA, "ops": INFRA,
    # Who the learner is: every app above may ask (accounts imports no app).
    "simulations": 1, "accounts": 1,
    "course": 2,
    "quizzes": 3, "exams": 3, "progress": 3,
    "classroom": 4,
}
# Within one layer, an app may import another, except these (importer, imported).
FORBIDDEN_SIDEWAYS = {("quizzes", "progress"), ("quizzes", "exams"), ("exams", "progress")}
NOT_APPS = {"tests", "benchmarks", "docs", "content", "locale", "static", "templates"}


@dataclasses.dataclass(frozen=True)
class Import:
    path: str  # the importing file, relative to the project: "course/views.py"
    line: int
    module: str  # the imported module, absolute: "quizzes.exercises"

    @property
    def source_app(self) -> str:
        return self.path.split("/")[0]

    @property
    def target_app(self) -> str | None:
        top = self.module.split(".")[0]
        return top if top in LAYERS else None

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.module}"


def module_name(path: str) -> str:
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: str, source: str, known: Iterable[str] = ()) -> list[Import]:
    """Return every import of one file, relative ones made absolute.

    ``from package import name`` counts as importing ``package.name`` when that is one of
    the ``known`` modules, else as importing ``package``.
    """
    known = set(known)
    package = path.split("/")[:-1]
    found = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Import):
            found += [Import(path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                found.append(Import(path, node.lineno,
                                    submodule if submodule in known else module))
    return found


def project_files() -> dict[str, str]:
    """Return {relative path: source} of every Python file of every app."""
    files = {}
    for app in LAYERS:
        for file in sorted((ROOT / app).rglob("*.py")):
            files[file.relative_to(ROOT).as_posix()] = file.read_text(encoding="utf-8")
    return files


def all_imports(files: dict[str, str]) -> list[Import]:
    known = {module_name(path) for path in files}
    return [found for path, source in files.items()
            for found in imports_of(path, source, known)]


def forbidden_imports(imports: Iterable[Import]) -> list[str]:
    """Return one message per import that goes up a layer (or sideways where forbidden)."""
    problems = []
    for found in imports:
        source, target = found.source_app, found.target_app
        if target is None or target == source:
            continue
        upward = LAYERS[target] > LAYERS[source]
        infra_to_app = LAYERS[source] == INFRA and LAYERS[target] != INFRA
        if upward or infra_to_app or (source, target) in FORBIDDEN_SIDEWAYS:
            problems.append(f"{found}: {source} ({LAYER_NAMES[LAYERS[source]]}) may not "
                            f"import {target} ({LAYER_NAMES[LAYERS[target]]})")
    return problems


def cycles(edges: dict[str, dict[str, Import]]) -> list[str]:
    """Return one message per group of nodes that import each other, naming the imports."""
    reach = {node: _reachable(edges, node) for node in edges}
    seen: set[str] = set()
    problems = []
    for node in sorted(edges):
        group = sorted(other for other in reach[node] if node in reach[other])
        if len(group) < 2 or node in seen:
            continue
        seen.update(group)
        links = [str(found) for a in group for b, found in sorted(edges[a].items())
                 if b in group]
        problems.append(f"{' <-> '.join(group)}: " + "; ".join(links))
    return problems


def app_edges(imports: Iterable[Import]) -> dict[str, dict[str, Import]]:
    edges: dict[str, dict[str, Import]] = {}
    for found in imports:
        edges.setdefault(found.source_app, {})
        if found.target_app and found.target_app != found.source_app:
            edges[found.source_app].setdefault(found.target_app, found)
            edges.setdefault(found.target_app, {})
    return edges


def file_edges(files: dict[str, str]) -> dict[str, dict[str, Import]]:
    modules = {module_name(path) for path in files}
    edges: dict[str, dict[str, Import]] = {module: {} for module in modules}
    for found in all_imports(files):
        source = module_name(found.path)
        if found.module in modules and found.module != source:
            edges[source].setdefault(found.module, found)
    return edges


def _reachable(edges: dict[str, dict[str, Import]], start: str) -> set[str]:
    reached, todo = {start}, [start]
    while todo:
        for nxt in edges.get(todo.pop(), {}):
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    return reached


@pytest.fixture(scope="module")
def files():
    return project_files()


def test_every_app_has_a_layer():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    assert packages - NOT_APPS <= set(LAYERS), "give the new app a layer in LAYERS"


def test_no_app_imports_upward(files):
    assert forbidden_imports(all_imports(files)) == []


def test_no_two_apps_import_each_other(files):
    assert cycles(app_edges(all_imports(files))) == []


def test_no_two_files_import_each_other(files):
    assert cycles(file_edges(files)) == []


def test_simulations_import_neither_course_nor_quizzes(files):
    imports = [found for found in all_imports(files) if found.path.startswith("simulations/")]
    assert [str(found) for found in imports if found.target_app in {"course", "quizzes"}] == []


def test_an_upward_import_inside_a_function_is_reported():
    source = "import numpy\n\n\ndef draw():\n    from course.models import Lesson\n"
    assert forbidden_imports(imports_of("simulations/plots/fake.py", source)) == [
        "simulations/plots/fake.py:5 imports course.models: simulations (bottom) may not "
        "import course (content)"]


def test_infra_importing_an_app_and_quizzes_importing_progress_are_reported():
    imports = [*imports_of("api/fake.py", "from course import models\n"),
               *imports_of("quizzes/fake.py", "import progress.services\n"),
               *imports_of("progress/fake.py", "from quizzes.models import Attempt\n")]
    assert [problem.split(":")[0] for problem in forbidden_imports(imports)] == [
        "api/fake.py", "quizzes/fake.py"]


def test_a_relative_import_is_read_as_the_module_it_names():
    found = imports_of("course/views.py", "from .models import Lesson\nfrom . import figures\n",
                       known={"course.models", "course.figures"})
    assert [str(one) for one in found] == [
        "course/views.py:1 imports course.models", "course/views.py:2 imports course.figures"]


def test_a_circle_between_apps_or_files_is_reported():
    files = {"accounts/a.py": "from classroom import b\n",
             "classroom/b.py": "def f():\n    import accounts.a\n",
             "course/c.py": "import course.d\n", "course/d.py": "from . import c\n"}
    assert cycles(app_edges(all_imports(files))) == [
        "accounts <-> classroom: accounts/a.py:1 imports classroom.b; "
        "classroom/b.py:2 imports accounts.a"]
    assert cycles(file_edges(files)) == [
        "accounts.a <-> classroom.b: accounts/a.py:1 imports classroom.b; "
        "classroom/b.py:2 imports accounts.a",
        "course.c <-> course.d: course/c.py:1 imports course.d; course/d.py:1 imports course.c"]
