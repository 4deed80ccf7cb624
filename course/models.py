"""Courses, chapters and lessons: the structure of an ebook, numbered and ordered.

Translatable fields (title, summary, body and what is derived from the body) are
registered in ``translation.py``; django-modeltranslation adds one column per
language (``title_pt_br``, ``title_en``) and reads the active language's value,
falling back to Portuguese. See docs/adr/0001-model-translation.md.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .markdown import render_markdown
from .reading import reading_minutes


class Course(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("course:course_detail", kwargs={"course_slug": self.slug})


class Chapter(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="chapters", verbose_name=_("course")
    )
    number = models.PositiveIntegerField(_("number"))
    slug = models.SlugField(_("slug"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        ordering = ["course", "number"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="chapter_number_unique"),
            models.UniqueConstraint(fields=["course", "slug"], name="chapter_slug_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class LessonQuerySet(models.QuerySet):
    def in_reading_order(self) -> LessonQuerySet:
        """Order lessons as the book does: by chapter number, then lesson number."""
        return self.order_by("chapter__number", "number")


class Lesson(models.Model):
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("chapter")
    )
    number = models.PositiveIntegerField(_("number"), help_text=_("8 for lesson 18.8."))
    slug = models.SlugField(_("slug"), max_length=120)
    page = models.PositiveIntegerField(_("page"), help_text=_("Page number in the ebook."))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body (Markdown)"), blank=True)
    # Derived from ``body`` on save, per language, so a page is read in one query.
    body_html = models.TextField(_("body (HTML)"), blank=True, editable=False)
    reading_minutes = models.PositiveIntegerField(_("reading time (minutes)"), default=0,
                                                  editable=False)
    figures = models.JSONField(
        _("figures"), default=list, blank=True,
        help_text=_("Simulation figures referenced in the body as [[figure:name]]."),
    )
    # Denormalised from the chapter so that a lesson URL resolves with one indexed query.
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="lessons", editable=False,
        verbose_name=_("course"),
    )

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["chapter__number", "number"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.UniqueConstraint(fields=["chapter", "number"], name="lesson_number_unique"),
            models.UniqueConstraint(fields=["course", "slug"], name="lesson_slug_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.full_number}. {self.title}"

    def save(self, *args, **kwargs) -> None:
        self.course_id = self.chapter.course_id
        self.refresh_derived_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        # The lesson's page is the classroom's: text, figures and exercises together.
        return reverse(
            "classroom:lesson_detail",
            kwargs={"course_slug": self.course.slug, "lesson_slug": self.slug},
        )

    @property
    def full_number(self) -> str:
        """Return the book's numbering, e.g. "18.8"."""
        return f"{self.chapter.number}.{self.number}"

    @property
    def subject(self) -> str:
        """Return the title without the chapter's name that every lesson's title repeats
        ("Backpropagation e Treinamento de Redes Neurais: Funções de Perda" -> "Funções de
        Perda"): headings and lists show the chapter once and this beside the number; the
        page title, the certificate and the API keep the full title."""
        prefix = f"{self.chapter.title}: "
        return self.title.removeprefix(prefix) if self.title.startswith(prefix) else self.title

    def refresh_derived_fields(self) -> None:
        """Render every language's body to HTML and compute its reading time."""
        from django.conf import settings
        from modeltranslation.utils import build_localized_fieldname

        for code, _name in settings.LANGUAGES:
            body = getattr(self, build_localized_fieldname("body", code)) or ""
            setattr(self, build_localized_fieldname("body_html", code),
                    render_markdown(body) if body else "")
            setattr(self, build_localized_fieldname("reading_minutes", code),
                    reading_minutes(body))
