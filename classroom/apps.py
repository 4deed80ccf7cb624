from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassroomConfig(AppConfig):
    name = "classroom"
    verbose_name = _("Classroom")

    def ready(self) -> None:
        """Connect the signals that keep the API's cached lessons current (``api_cache``).

        The cache is this app's; the models it depends on are below it, so it listens
        to them rather than have them call up.
        """
        from django.db.models.signals import post_delete, post_save

        from course.models import Chapter, Course, Lesson
        from quizzes.models import Attempt, Choice, Question, Variant

        from .api_cache import renew_content_generation, renew_learner_generation

        for signal in (post_save, post_delete):
            suffix = "saved" if signal is post_save else "deleted"
            for model in (Course, Chapter, Lesson, Question, Choice):
                signal.connect(renew_content_generation, sender=model,
                               dispatch_uid=f"api-cache-{model.__name__}-{suffix}")
            for model in (Attempt, Variant):
                signal.connect(renew_learner_generation, sender=model,
                               dispatch_uid=f"api-cache-{model.__name__}-{suffix}")
