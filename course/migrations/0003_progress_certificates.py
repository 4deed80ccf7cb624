"""Progress and certificates; instructors may see progress and revoke certificates."""

import importlib
import secrets

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The course app's 0002 migration holds the one implementation of the grant.
_course_grant = importlib.import_module("course.migrations.0002_instructors_group")

# What the Instructors group may do: see learners' progress, see certificates and revoke
# them (a change). Certificates are issued by the application only, never added by hand.
INSTRUCTOR_PERMISSIONS = {
    "lessonprogress": ["view"],
    "certificate": ["view", "change"],
}


def new_certificate_code() -> str:
    """Return a code as the model's default did when this migration was written.

    The model has since moved to the progress app (progress.models.new_certificate_code);
    a copy here keeps the course app's history free of imports from above it.
    """
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))


def grant_instructor_permissions(apps, schema_editor):
    _course_grant.grant_instructor_permissions(
        apps, schema_editor, models_by_app={"course": INSTRUCTOR_PERMISSIONS})


def revoke_instructor_permissions(apps, schema_editor):
    _course_grant.revoke_instructor_permissions(apps, "course", INSTRUCTOR_PERMISSIONS)


class Migration(migrations.Migration):

    dependencies = [
        ('course', '0002_instructors_group'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name='Certificate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(default=new_certificate_code, editable=False, max_length=32, unique=True, verbose_name='verification code')),
                ('learner_name', models.CharField(max_length=300, verbose_name="learner's name")),
                ('study_minutes', models.PositiveIntegerField(help_text="The reading times of the course's lessons when it was issued.", verbose_name='study time (minutes)')),
                ('completed_at', models.DateTimeField(verbose_name='completed on')),
                ('issued_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='issued')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                ('revoked_reason', models.TextField(blank=True, help_text='For instructors; never shown publicly.', verbose_name='reason for revoking')),
                ('course', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='certificates', to='course.course', verbose_name='course')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='certificates', to=settings.AUTH_USER_MODEL, verbose_name='learner')),
            ],
            options={
                'verbose_name': 'certificate',
                'verbose_name_plural': 'certificates',
                'ordering': ['-issued_at', '-id'],
                'constraints': [models.UniqueConstraint(fields=('user', 'course'), name='certificate_once_per_course')],
            },
        ),
        migrations.CreateModel(
            name='LessonProgress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='first read')),
                ('completed_at', models.DateTimeField(blank=True, help_text='When every question of the lesson had been answered correctly. Never cleared: a question added later does not undo it.', null=True, verbose_name='completed')),
                ('lesson', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='progress', to='course.lesson', verbose_name='lesson')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lesson_progress', to=settings.AUTH_USER_MODEL, verbose_name='learner')),
            ],
            options={
                'verbose_name': 'lesson progress',
                'verbose_name_plural': 'lesson progress',
                'constraints': [models.UniqueConstraint(fields=('user', 'lesson'), name='lesson_progress_unique')],
            },
        ),
        migrations.RunPython(grant_instructor_permissions, revoke_instructor_permissions),
    ]
