from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Progress and certificates")

    def ready(self) -> None:
        from quizzes.services import ATTEMPT_RECORDED_HOOKS

        from .services import complete_lesson_after_attempt

        # Quizzes stores answers and knows nothing of progress: it calls this hook, in
        # the answer's transaction, once an attempt is stored.
        if complete_lesson_after_attempt not in ATTEMPT_RECORDED_HOOKS:
            ATTEMPT_RECORDED_HOOKS.append(complete_lesson_after_attempt)
