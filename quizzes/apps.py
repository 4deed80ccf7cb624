from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Exercises")

    def ready(self) -> None:
        from course.importer import LESSON_HOOKS

        from .content import import_lesson_questions

        if import_lesson_questions not in LESSON_HOOKS:
            LESSON_HOOKS.append(import_lesson_questions)
