"""Chapter exams for instructors: the exam's settings, and learners' attempts read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .draw import exam_length
from .models import Exam, ExamAttempt, ExamItem


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = ("title", "chapter", "page", "pass_percent", "questions_per_lesson",
                    "is_published")
    list_filter = ("is_published", "chapter__course")
    readonly_fields = ("chapter", "questions")
    fieldsets = (
        (None, {"fields": ("chapter", "page", "is_published")}),
        (_("Texts"), {"fields": ("title_pt_br", "title_en", "intro_pt_br", "intro_en")}),
        (_("Rules"), {"fields": ("pass_percent", "questions_per_lesson", "questions")}),
    )

    def has_add_permission(self, request) -> bool:
        return False  # declared in the chapter's exam.yaml and imported with the course

    @admin.display(description=_("questions per attempt"))
    def questions(self, exam: Exam) -> int:
        return exam_length(exam)


class ExamItemInline(admin.TabularInline):
    model = ExamItem
    fields = ("position", "question", "answer", "answer_text", "is_correct", "score",
              "variant")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ExamAttempt)
class ExamAttemptAdmin(admin.ModelAdmin):
    """Learners' attempts as they happened: nothing here is edited by hand."""

    list_display = ("exam", "user", "number", "started_at", "submitted_at", "percent", "passed")
    list_filter = ("exam", "passed")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    list_select_related = ("exam__chapter", "user")
    readonly_fields = ("exam", "user", "number", "language", "started_at", "submitted_at",
                       "score", "percent", "passed")
    inlines = [ExamItemInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
