from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourseConfig(AppConfig):
    name = "course"
    verbose_name = _("Courses")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .api_cache import renew_content_generation
        from .models import Chapter, Course, Lesson

        # Cached API bodies name the content generation: a change renews it.
        for signal in (post_save, post_delete):
            suffix = "saved" if signal is post_save else "deleted"
            for model in (Course, Chapter, Lesson):
                signal.connect(renew_content_generation, sender=model,
                               dispatch_uid=f"api-cache-{model.__name__}-{suffix}")
