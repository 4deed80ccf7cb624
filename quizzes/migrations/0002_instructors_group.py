"""Let the Instructors group author questions and choices (and nothing more)."""

import importlib

from django.db import migrations

# The course app's migration holds the one implementation of the grant.
_course_grant = importlib.import_module("course.migrations.0002_instructors_group")

QUIZ_MODELS = {"quizzes": ["question", "choice"]}


def grant_question_permissions(apps, schema_editor):
    _course_grant.grant_instructor_permissions(apps, schema_editor, models_by_app=QUIZ_MODELS)


def revoke_question_permissions(apps, schema_editor):
    _course_grant.revoke_instructor_permissions(apps, "quizzes", QUIZ_MODELS["quizzes"])


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
        ("course", "0002_instructors_group"),
    ]

    operations = [migrations.RunPython(grant_question_permissions, revoke_question_permissions)]
