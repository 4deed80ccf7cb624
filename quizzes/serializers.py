"""Questions as the app reads them: the learner's variant, their state, nothing not yet due.

They serialize :class:`quizzes.learner_questions.LearnerQuestion`, which asks
:func:`quizzes.learner_state.question_view_state` what is due; fields are listed one by
one. The lesson detail (``classroom.serializers``) embeds :class:`QuestionSerializer`:
quizzes sit below the pages that compose them.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from course.markdown import lesson_page_url, render_markdown

from .forms import inline_markdown
from .learner_questions import LearnerQuestion
from .learner_state import LearnerView
from .learner_variants import lab_url
from .models import Question

SOLUTION_HELP = ("Present only once the question's policy lets the solution be shown "
                 "(after a correct answer, or after a number of tries).")


class QuestionChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Send it back in `answer` to choose this option.")
    text = serializers.CharField(help_text="Markdown, with $math$.")
    text_html = serializers.SerializerMethodField(help_text="The text rendered and sanitized.")
    is_correct = serializers.BooleanField(required=False, help_text=SOLUTION_HELP)
    feedback = serializers.CharField(
        required=False, allow_blank=True,
        help_text=f"What this option teaches, shown when it is chosen. {SOLUTION_HELP}",
    )

    def get_text_html(self, choice: dict) -> str:
        return inline_markdown(choice["text"])


class QuestionStateSerializer(serializers.Serializer):
    """Where the learner is with a question (all zero for anonymous learners)."""

    answered = serializers.BooleanField(help_text="At least one answer counted as a try.")
    solved = serializers.BooleanField(help_text="Answered correctly at least once.")
    tries_used = serializers.IntegerField(
        help_text="Answers that counted as tries (not a repeated wrong answer, not one after "
                  "the correct answer, not an unreadable one)."
    )
    tries_left = serializers.IntegerField(allow_null=True, help_text="Null: unlimited.")
    max_tries = serializers.IntegerField(allow_null=True, help_text="Null: unlimited.")
    can_answer = serializers.BooleanField(
        help_text="False once the tries are used up without a correct answer."
    )


def state_data(state: LearnerView) -> dict:
    """Return the fields of :class:`QuestionStateSerializer` (a dict: every answer sends it)."""
    return {"answered": state.answered, "solved": state.solved, "tries_used": state.tries_used,
            "tries_left": state.tries_left, "max_tries": state.max_tries,
            "can_answer": state.can_answer}


class SolutionSerializer(serializers.Serializer):
    """The correct answer, once the question's policy lets it be shown."""

    text = serializers.CharField(help_text="As the learner reads it: the correct option(s) "
                                           "or the value, in the response's language.")
    value = serializers.FloatField(allow_null=True,
                                   help_text="Numeric questions: the correct value.")
    choices = serializers.ListField(child=serializers.IntegerField(), allow_null=True,
                                    help_text="Choice questions: the ids of the correct options.")


class QuestionSerializer(serializers.Serializer):
    """A question as this learner may see it: never with its answer before it is due."""

    id = serializers.IntegerField()
    key = serializers.SlugField(help_text="Stable name within the lesson.")
    number = serializers.IntegerField(help_text="1, 2, ... in the lesson: \"Exercise 1\".")
    kind = serializers.ChoiceField(
        choices=Question.Kind.choices,
        help_text="`single`: send one choice id; `multiple`: a list of ids; `numeric`: a "
                  "number, or the text typed (`0,05`, `5e-2`, `5×10^-2`).",
    )
    prompt = serializers.CharField(help_text="Markdown, with $math$ and the variant's values.")
    prompt_html = serializers.SerializerMethodField(help_text="The prompt rendered and "
                                                              "sanitized.")
    parameters = serializers.DictField(
        help_text="This learner's variant of a simulation-checked question (its values are "
                  "in the prompt already); empty for other questions."
    )
    shown = serializers.CharField(
        allow_blank=True,
        help_text="A token of what was shown. Send it back with the answer: if the question "
                  "changed meanwhile (say, while offline), the answer is not graded and "
                  "`format_error.code` is `changed`.",
    )
    choices = QuestionChoiceSerializer(many=True, help_text="Empty for numeric questions.")
    state = serializers.SerializerMethodField()
    explanation = serializers.CharField(
        allow_null=True,
        help_text="Markdown. Null until due: after a correct answer, or after the number of "
                  "wrong tries the question sets.",
    )
    explanation_html = serializers.SerializerMethodField(allow_null=True)
    solution = SolutionSerializer(allow_null=True, help_text=f"Null until due. {SOLUTION_HELP}")
    lab_mode = serializers.ChoiceField(
        choices=Question.LabMode.choices, source="question.lab_mode",
        help_text="`predict`: until the question is solved or its tries are spent, `lab_url` "
                  "runs a practice configuration: the question's varied parameters drawn again "
                  "and another seed (the learner predicts, then checks); `measure`: it runs "
                  "the learner's exact variant (reading the lab is the skill asked).",
    )
    lab_url = serializers.SerializerMethodField(
        help_text="The web lab running this learner's configuration (see `lab_mode` for "
                  "which); null without a simulation."
    )
    attempts_url = serializers.SerializerMethodField(help_text="POST an answer here.")

    def get_prompt_html(self, question: LearnerQuestion) -> str:
        return self._html(question, question.prompt)

    @extend_schema_field(QuestionStateSerializer)
    def get_state(self, question: LearnerQuestion) -> dict:
        return state_data(question.state)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_explanation_html(self, question: LearnerQuestion) -> str | None:
        text = question.explanation
        return None if text is None else self._html(question, text)

    def _html(self, question: LearnerQuestion, text: str) -> str:
        """Render a text; its links to the lesson's anchors (#x) go to the lesson's page."""
        html = render_markdown(text)
        if 'href="#' not in html:  # most texts: no need to look up the lesson's address
            return html
        return render_markdown(text, page_url=lesson_page_url(
            self.context.get("request"), question.question.lesson))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_lab_url(self, question: LearnerQuestion) -> str | None:
        url = lab_url(question.question, question.variant, question.state)
        return self.context["request"].build_absolute_uri(url) if url else None

    def get_attempts_url(self, question: LearnerQuestion) -> str:
        return reverse("api:question-attempts", kwargs={"question_id": question.id},
                       request=self.context.get("request"))
