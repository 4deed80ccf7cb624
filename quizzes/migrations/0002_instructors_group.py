"""Let the Instructors group author questions and choices (and nothing more)."""

import importlib

from django.db import migrations

# The course app's migration holds the one implementation of the grant.
_course_grant = importlib.import_module("course.migrations.0002_instructors_group")

QUIZ_MODELS = {"quizzes": ["question", "choice"]}


def grant_question_permissions(apps, schema_editor):
    _course_grant.grant_instructor_permissions(apps, schema_editor, models_by_app=QUIZ_MODELS)


def revoke_question_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Instructors").first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(
            content_type__app_label="quizzes",
            content_type__model__in=QUIZ_MODELS["quizzes"],
        ))


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial"),
        ("course", "0002_instructors_group"),
    ]

    operations = [migrations.RunPython(grant_question_permissions, revoke_question_permissions)]
