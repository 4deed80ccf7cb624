from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Progress and certificates")

    def ready(self) -> None:
        from exams.services import EXAM_SUBMITTED_HOOKS
        from quizzes.services import ATTEMPT_RECORDED_HOOKS

        from .services import complete_lesson_after_attempt, issue_after_exam

        # Quizzes stores answers and knows nothing of progress: it calls this hook, in
        # the answer's transaction, once an attempt is stored.
        if complete_lesson_after_attempt not in ATTEMPT_RECORDED_HOOKS:
            ATTEMPT_RECORDED_HOOKS.append(complete_lesson_after_attempt)
        # Likewise exams: a passed exam may be what completes the course.
        if issue_after_exam not in EXAM_SUBMITTED_HOOKS:
            EXAM_SUBMITTED_HOOKS.append(issue_after_exam)
