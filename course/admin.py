"""Admin for instructors: courses, chapters and lessons with both languages side by side."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

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
    readonly_fields = ("reading_minutes_pt_br", "reading_minutes_en")
    fieldsets = (
        (None, {"fields": ("chapter", "number", "slug", "page")}),
        (_("Text"), {"fields": ("title", "summary", "body")}),
        (_("Computed"), {"fields": ("reading_minutes_pt_br", "reading_minutes_en")}),
        (_("Simulation figures"), {"fields": ("figures",), "classes": ("collapse",)}),
    )
