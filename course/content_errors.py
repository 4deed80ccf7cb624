"""The error every check of the course's files raises, named apart so that both readers of
those files (``content_files`` for the text, ``lesson_figures`` for the figures) can raise
it without importing each other."""

from __future__ import annotations

from pathlib import Path


class ContentError(Exception):
    """A content file that cannot be imported; the message names the file."""

    def __init__(self, path: Path, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")
