"""The chapter exam in the API: the exam, attempts and their questions; fields listed one
by one. Before an attempt is submitted nothing tells which answer is right."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from course.markdown import render_markdown

from .draw import exam_length
from .sheet import SheetItem


class ExamSerializer(serializers.Serializer):
    chapter = serializers.IntegerField(source="chapter.number", help_text="18 for chapter 18.")
    chapter_slug = serializers.CharField(source="chapter.slug")
    title = serializers.CharField()
    intro = serializers.CharField(help_text="Markdown.")
    intro_html = serializers.SerializerMethodField()
    page = serializers.IntegerField()
    pass_percent = serializers.IntegerField(help_text="The score needed to pass, in percent.")
    questions = serializers.SerializerMethodField(help_text="How many questions an attempt "
                                                             "asks.")
    web_url = serializers.SerializerMethodField(help_text="The exam's page, in this language.")

    def get_intro_html(self, exam) -> str:
        return render_markdown(exam.intro) if exam.intro else ""

    def get_questions(self, exam) -> int:
        return exam_length(exam)

    def get_web_url(self, exam) -> str:
        request = self.context.get("request")
        url = exam.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class AttemptSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="1 for the first attempt.")
    started_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True,
                                             help_text="Null while the attempt is open.")
    score = serializers.FloatField(allow_null=True, help_text="Points (one per question).")
    percent = serializers.IntegerField(allow_null=True, help_text="Rounded down.")
    passed = serializers.BooleanField(allow_null=True)


class ExamChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField(help_text="Markdown.")


class ExamResultSerializer(serializers.Serializer):
    correct = serializers.BooleanField()
    score = serializers.FloatField()
    solution = serializers.CharField(help_text="The correct answer as a learner reads it.")
    correct_choices = serializers.ListField(child=serializers.IntegerField())
    explanation = serializers.CharField(help_text="Markdown.")
    explanation_html = serializers.CharField(
        help_text="Sanitized HTML; its links lead to the lesson's paragraphs.")


class ExamQuestionSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="1, 2, ... in the attempt.")
    lesson = serializers.CharField(source="lesson.full_number", help_text='"18.8".')
    lesson_slug = serializers.CharField(source="lesson.slug")
    kind = serializers.ChoiceField(choices=["single", "multiple", "numeric"])
    prompt = serializers.CharField(source="snapshot.prompt",
                                   help_text="Markdown, with this attempt's values.")
    prompt_html = serializers.CharField()
    choices = serializers.SerializerMethodField()
    answer = serializers.JSONField(source="item.answer", allow_null=True,
                                   help_text="The saved answer: choice ids or a number; null "
                                             "when blank.")
    result = serializers.SerializerMethodField(help_text="Null until the attempt is submitted.")

    @extend_schema_field(ExamChoiceSerializer(many=True))
    def get_choices(self, item: SheetItem) -> list[dict[str, Any]]:
        return [{"id": choice.id, "text": choice.text} for choice in item.snapshot.choices]

    @extend_schema_field(ExamResultSerializer(allow_null=True))
    def get_result(self, item: SheetItem) -> dict[str, Any] | None:
        if not item.submitted:
            return None
        request = self.context.get("request")
        url = item.lesson.get_absolute_url()
        return {
            "correct": bool(item.item.is_correct), "score": item.item.score or 0.0,
            "solution": item.solution, "correct_choices": item.correct_choices,
            "explanation": item.explanation,
            "explanation_html": item.explanation_html(
                request.build_absolute_uri(url) if request else url),
        }


class AttemptDetailSerializer(AttemptSummarySerializer):
    questions = ExamQuestionSerializer(many=True, source="sheet")


class ExamAnswerSerializer(serializers.Serializer):
    answer = serializers.JSONField(
        allow_null=True,
        help_text="A choice id (single), a list of ids (multiple), or a number or the text "
                  "typed (numeric: `0,05` in Portuguese, `0.05` in English, `5e-2`); null or "
                  "an empty string clears the answer.")
