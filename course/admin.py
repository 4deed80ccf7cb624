"""Admin for instructors: courses, chapters and lessons with both languages side by side."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .lesson_figures import describe_figure
from .models import Chapter, Course, Lesson


class ChapterInline(TranslationTabularInline):
    model = Chapter
    extra = 0
    fields = ("number", "slug", "title")


@admin.register(Course)
class CourseAdmin(TranslationAdmin):
    list_display = ("title", "slug", "order", "is_published")
    list_editable = ("order", "is_published")
    search_fields = ("title_pt_br", "title_en", "slug")
    prepopulated_fields = {"slug": ("title_pt_br",)}
    inlines = [ChapterInline]


@admin.register(Chapter)
class ChapterAdmin(TranslationAdmin):
    list_display = ("__str__", "course")
    list_filter = ("course",)
    search_fields = ("title_pt_br", "title_en")


@admin.register(Lesson)
class LessonAdmin(TranslationAdmin):
    list_display = ("__str__", "course", "page", "reading_minutes")
    list_filter = ("course", "chapter")
    list_select_related = ("chapter", "course")
    search_fields = ("title_pt_br", "title_en", "slug")
    readonly_fields = ("reading_minutes_pt_br", "reading_minutes_en", "figure_preview")
    fieldsets = (
        (None, {"fields": ("chapter", "number", "slug", "page")}),
        (_("Text"), {"fields": ("title", "summary", "body")}),
        (_("Computed"), {"fields": ("reading_minutes_pt_br", "reading_minutes_en")}),
        (_("Simulation figures"), {"fields": ("figure_preview", "figures")}),
    )

    @admin.display(description=_("Preview"))
    def figure_preview(self, lesson: Lesson) -> str:
        """Draw every figure the lesson declares, as the learner will see it."""
        if lesson.pk is None or not lesson.figures:
            return "—"
        items = []
        for spec in lesson.figures:
            figure = describe_figure(lesson, spec, get_language())
            if figure is None:
                items.append(format_html(
                    '<p class="errornote">{}</p>',
                    _("Figure “{name}” is invalid.").format(name=spec.get("name", "?"))))
                continue
            items.append(format_html(
                '<figure style="margin:0 0 1rem"><figcaption><strong>{}</strong></figcaption>'
                '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" '
                'style="max-width:100%;height:auto;border:1px solid #ddd"></figure>',
                spec.get("name"), figure["url"], figure["alt"], figure["width"],
                figure["height"]))
        return format_html_join("", "{}", ((item,) for item in items))
