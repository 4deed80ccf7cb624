from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("Chapter exams")

    def ready(self) -> None:
        from course.importer import CHAPTER_HOOKS

        from .content import import_chapter_exam

        # The course importer reads chapter.yaml; the exam it declares is this app's.
        if import_chapter_exam not in CHAPTER_HOOKS:
            CHAPTER_HOOKS.append(import_chapter_exam)
