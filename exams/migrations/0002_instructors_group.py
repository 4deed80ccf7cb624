"""Let the Instructors group see and edit chapter exams, and see learners' attempts.

Attempts are the learners' record: instructors read them (the admin shows them read-only)
and never add, change or delete them.
"""

import importlib

from django.db import migrations

# The course app's migration holds the one implementation of the grant.
_course_grant = importlib.import_module("course.migrations.0002_instructors_group")

EXAM_MODELS = {"exams": {"exam": ["view", "change"], "examattempt": ["view"],
                         "examitem": ["view"]}}


def grant_exam_permissions(apps, schema_editor):
    _course_grant.grant_instructor_permissions(apps, schema_editor, models_by_app=EXAM_MODELS)


def revoke_exam_permissions(apps, schema_editor):
    _course_grant.revoke_instructor_permissions(apps, "exams", EXAM_MODELS["exams"])


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0001_initial"),
        ("course", "0002_instructors_group"),
    ]

    operations = [migrations.RunPython(grant_exam_permissions, revoke_exam_permissions)]
