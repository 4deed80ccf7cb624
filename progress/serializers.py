"""A learner's progress and certificates as the app reads them; fields listed one by one.

They serialize what :func:`progress.learner_progress.learner_progress` computed (the web page shows
the same objects), so the two can never disagree.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from course.serializers import CourseReferenceSerializer, LessonReferenceSerializer

from .learner_progress import NOT_ISSUED, REVOKED, VALID
from .models import Certificate

NUMBER_HELP = 'As the book numbers it: "18.8".'
CERTIFICATE_VALIDITY = [VALID, REVOKED]  # an issued certificate's status
CERTIFICATE_STATUSES = [NOT_ISSUED, *CERTIFICATE_VALIDITY]  # a course's, in progress


def _absolute(serializer: serializers.Serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class LessonStatusSerializer(serializers.Serializer):
    number = serializers.CharField(source="lesson.full_number", help_text=NUMBER_HELP)
    slug = serializers.SlugField(source="lesson.slug")
    title = serializers.CharField(source="lesson.title")
    read = serializers.BooleanField(help_text="The learner has opened the lesson.")
    completed = serializers.BooleanField(
        help_text="Every question of the lesson answered correctly (or, without questions, "
                  "read)."
    )


class ChapterProgressSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="chapter.number")
    slug = serializers.SlugField(source="chapter.slug")
    title = serializers.CharField(source="chapter.title")
    lessons_total = serializers.IntegerField()
    lessons_completed = serializers.IntegerField()
    percent = serializers.IntegerField(help_text="Share of lessons completed, rounded down.")
    lessons = LessonStatusSerializer(many=True, help_text="In reading order.")


class FirstTrySerializer(serializers.Serializer):
    answered = serializers.IntegerField(help_text="Questions the learner has answered.")
    correct = serializers.IntegerField(help_text="Of those, answered right the first time.")
    percent = serializers.IntegerField(allow_null=True,
                                       help_text="correct / answered, rounded down; null "
                                                 "before the first answer.")


class CertificateSerializer(serializers.Serializer):
    """A certificate as the learner shares it: where anyone can verify it, and its PDF."""

    code = serializers.CharField(help_text="The verification code printed on the certificate.")
    course = CourseReferenceSerializer()
    learner_name = serializers.CharField(help_text="As printed: copied when it was issued.")
    completed_at = serializers.DateTimeField()
    issued_at = serializers.DateTimeField()
    study_minutes = serializers.IntegerField(
        help_text="The course's reading time when it was issued, in minutes."
    )
    status = serializers.SerializerMethodField(help_text="`valid` or `revoked`.")
    revoked_at = serializers.DateTimeField(allow_null=True)
    verification_url = serializers.SerializerMethodField(
        help_text="The public page that says whether the certificate is valid, in the "
                  "request's language."
    )
    pdf_url = serializers.SerializerMethodField(
        help_text="The certificate as an A4 PDF in the request's language. Public like the "
                  "verification page (the code is the secret): no token needed to open it."
    )

    @extend_schema_field(serializers.ChoiceField(choices=CERTIFICATE_VALIDITY))
    def get_status(self, certificate: Certificate) -> str:
        return REVOKED if certificate.is_revoked else VALID

    def get_verification_url(self, certificate: Certificate) -> str:
        return _absolute(self, certificate.get_absolute_url())

    def get_pdf_url(self, certificate: Certificate) -> str:
        return _absolute(self, certificate.get_pdf_url())


class CourseProgressSerializer(serializers.Serializer):
    """How far the learner is in one course."""

    course = CourseReferenceSerializer()
    lessons_total = serializers.IntegerField()
    lessons_completed = serializers.IntegerField()
    lessons_incomplete = serializers.IntegerField()
    lessons_read = serializers.IntegerField(help_text="Lessons the learner has opened.")
    percent = serializers.IntegerField(help_text="Share of lessons completed, rounded down: "
                                                 "100 only when all are.")
    is_complete = serializers.BooleanField()
    next_lesson = LessonReferenceSerializer(
        allow_null=True,
        help_text="Where to continue: the first lesson not completed from the one the "
                  "learner read or completed last; null when every lesson is completed.",
    )
    first_try = FirstTrySerializer(help_text="First-try accuracy over the questions answered.")
    certificate_status = serializers.ChoiceField(choices=CERTIFICATE_STATUSES)
    certificate = CertificateSerializer(allow_null=True)
    chapters = ChapterProgressSerializer(many=True, help_text="In reading order.")


class LessonProgressSerializer(serializers.Serializer):
    """The learner's progress in one lesson, after reporting it read."""

    lesson = LessonReferenceSerializer()
    read_at = serializers.DateTimeField(allow_null=True, help_text="First time it was read.")
    completed_at = serializers.DateTimeField(allow_null=True)
