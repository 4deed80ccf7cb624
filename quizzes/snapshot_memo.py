"""One question's snapshots, kept while the question is reused unchanged.

The API keeps the question an answer is for until the course content changes
(``classroom.api_views``); :func:`quizzes.services.record_attempt` then takes its
snapshot from here instead of making it again for every answer.
"""

from __future__ import annotations

from collections.abc import Callable

from . import grading
from .learner_variants import LearnerVariant


class SnapshotMemo:
    """One question's snapshots, each made once per language and variant values.

    For a question read once and reused unchanged: the API keeps the question an answer
    is for until the course content changes (``classroom.api_views``), and its snapshot
    is then the same for every learner shown the same values, as is the dict stored with
    each attempt. Both are shared by the requests (and threads) that get them: callers
    must not change them.
    """

    LIMIT = 256  # values of a varied question's parameters remembered at once

    def __init__(self) -> None:
        self._made: dict[tuple[str, str], tuple[grading.QuestionSnapshot, dict]] = {}

    def get(self, language: str, variant: LearnerVariant | None,
            make: Callable[[], grading.QuestionSnapshot]
            ) -> tuple[grading.QuestionSnapshot, dict]:
        # repr, not the values: 0.0 == -0.0 and 1 == 1.0, but they read differently.
        params = variant.answer.params if variant else {}
        key = (language, repr(sorted(params.items())))
        found = self._made.get(key)
        if found is None:
            if len(self._made) >= self.LIMIT:
                self._made.clear()
            snapshot = make()
            found = self._made[key] = (snapshot, snapshot.to_dict())
        return found
