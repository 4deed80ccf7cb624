"""Cold render time of every figure the course declares: what its first reader would wait.

Reads every lesson under content/ as the import does (so a new lesson's figures are
timed as soon as its folder exists) and, for each figure and language, times, without
any cache (the simulations run and matplotlib draws, as after a deploy before
``manage.py warm_figures``):

- *simulations*: every series' engine run and its ``to_dict()``;
- *drawing*: the plot function and the PNG encoding.

Each number is the median of ``--repeats`` runs, on one BLAS thread, in wall-clock time
(compare figures measured in one run: absolute times drift with the machine's load).

    python benchmarks/figure_cold_render.py [--repeats 3] [--formats png svg] [--lesson 18.7]
        [--layouts wide narrow]

The drawing of the narrow layout (phones) is timed on its own line; its simulations are
the same runs as the wide figure's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _blas import set_blas_threads  # noqa: E402


def cold_render(spec: dict, language: str, fmt: str, layout: str = "wide"
                ) -> tuple[float, float]:
    """Return the seconds to run a figure's simulations and to draw it, with no cache."""
    from course.lesson_figures import plan_figure
    from simulations import plots, registry
    from simulations.engine.core import normalized

    planned = plan_figure(spec, language=language, fmt=fmt)
    declaration = registry.get(planned.slug)
    start = time.perf_counter()
    series = [plots.Series(label, declaration.run(declaration.validate(normalized(params)),
                                                  planned.seed).to_dict())
              for label, params in planned.series]
    ran = time.perf_counter()
    plots.render(declaration, series, kind=planned.kind, fmt=fmt, language=language,
                 layout=layout)
    return ran - start, time.perf_counter() - ran


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--formats", nargs="+", default=["png"], choices=["png", "svg"])
    parser.add_argument("--layouts", nargs="+", default=["wide"], choices=["wide", "narrow"])
    parser.add_argument("--lesson", action="append", default=[],
                        help="Only this lesson (e.g. 18.7); repeat for several.")
    args = parser.parse_args()
    set_blas_threads(1)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark")
    import django

    django.setup()
    from django.conf import settings

    from course.content_files import read_courses

    print(f"cold render of every course figure (no cache; median of {args.repeats}, "
          "wall-clock, one BLAS thread)")
    totals = []
    for course in read_courses(ROOT / "content"):
        for chapter in course.chapters:
            for lesson in chapter.lessons:
                number = f"{chapter.number}.{lesson.number}"
                if args.lesson and number not in args.lesson:
                    continue
                for spec in lesson.figures:
                    for language, _name in settings.LANGUAGES:
                        for fmt, layout in ((f, lay) for f in args.formats
                                            for lay in args.layouts):
                            times = [cold_render(spec, language, fmt, layout)
                                     for _ in range(args.repeats)]
                            run = statistics.median(t[0] for t in times)
                            draw = statistics.median(t[1] for t in times)
                            totals.append(run + draw)
                            print(f"  {number:<5} {spec['name']:<24} {language:<5} {fmt} "
                                  f"{layout:<6}  "
                                  f"simulations {1000 * run:7.1f} ms  "
                                  f"drawing {1000 * draw:6.1f} ms  "
                                  f"total {1000 * (run + draw):7.1f} ms")
    if totals:
        print(f"{len(totals)} images: median {1000 * statistics.median(totals):.1f} ms, "
              f"slowest {1000 * max(totals):.1f} ms, sum {sum(totals):.2f} s")


if __name__ == "__main__":
    main()
