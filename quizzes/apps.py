from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Exercises")

    def ready(self) -> None:
        from course.importer import LESSON_HOOKS
        from ops.metrics import count_recorded_answer

        from .content import import_lesson_questions
        from .services import ATTEMPT_RECORDED_HOOKS

        if import_lesson_questions not in LESSON_HOOKS:
            LESSON_HOOKS.append(import_lesson_questions)
        # Answers per minute for the operator (ops/metrics.py), counted once committed.
        if count_recorded_answer not in ATTEMPT_RECORDED_HOOKS:
            ATTEMPT_RECORDED_HOOKS.append(count_recorded_answer)
