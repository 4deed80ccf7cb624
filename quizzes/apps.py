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
        self._renew_cached_api_bodies()

    def _renew_cached_api_bodies(self) -> None:
        """Connect the signals that keep the API's cached lessons current (course.api_cache)."""
        from django.db.models.signals import post_delete, post_save

        from course.api_cache import renew_content_generation, renew_learner_generation

        from .models import Attempt, Choice, Question, Variant

        for signal in (post_save, post_delete):
            suffix = "saved" if signal is post_save else "deleted"
            for model in (Question, Choice):
                signal.connect(renew_content_generation, sender=model,
                               dispatch_uid=f"api-cache-{model.__name__}-{suffix}")
            for model in (Attempt, Variant):
                signal.connect(renew_learner_generation, sender=model,
                               dispatch_uid=f"api-cache-{model.__name__}-{suffix}")
