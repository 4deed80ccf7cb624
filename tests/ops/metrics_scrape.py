"""Reading a scrape of /metrics as Prometheus does, for the metrics tests."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

LESSON_PAGE = "<lang>/courses/<slug:course_slug>/<slug:lesson_slug>/"
ANSWER_API = "api/v1/questions/<int:question_id>/attempts/"
DURATION_COUNT = "gradiente_http_request_duration_seconds_count"


def parse(text: str) -> dict[tuple[str, frozenset], float]:
    """Return {(sample name, its labels): value} of a scrape in Prometheus's text format."""
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(samples: dict, name: str, **labels: str) -> float:
    """Return one sample's value; 0 when it is absent (a counter not counted yet)."""
    return samples.get((name, frozenset(labels.items())), 0.0)


def requests(samples: dict, route: str, method: str = "GET", status: str = "2xx") -> float:
    return value(samples, DURATION_COUNT, route=route, method=method, status=status)


def label_values(samples: dict, label: str) -> set[str]:
    return {value for (_name, labels) in samples for key, value in labels if key == label}
