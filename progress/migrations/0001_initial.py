"""Progress and certificates, taken over from the course app with their tables and rows.

The models were created by course's 0003 migration; course's 0004 forgot them. Here they
are created in the migration state only, on the tables that already hold their rows
(``db_table`` keeps the names), so nothing is copied or renamed and no row can be lost.
Then their content types move from the ``course`` label to ``progress``: a content type
is a row, and the permissions (and the Instructors group's grants of them, course's 0003)
and admin log entries point at it, so relabelling it moves them all. Without that the
next migrate would create new, ungranted permissions for ``progress`` and instructors
would lose the right to see progress and revoke certificates.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import progress.models

MOVED_MODELS = ("certificate", "lessonprogress")


def relabel_content_types(apps, source: str, target: str) -> None:
    """Give the moved models' content types the ``target`` app label.

    Both exist only when a ``post_migrate`` (a test's flush) created the target's anew
    while this migration was unapplied, then the database was migrated across it: the
    newcomer holds no history, so it goes (with its permissions) and the one the
    Instructors group was granted stays.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        moving = ContentType.objects.filter(app_label=source, model=model)
        if not moving.exists():
            continue
        ContentType.objects.filter(app_label=target, model=model).delete()
        moving.update(app_label=target)
    ContentType.objects.clear_cache()


def move_content_types(apps, schema_editor):
    relabel_content_types(apps, "course", "progress")


def move_content_types_back(apps, schema_editor):
    relabel_content_types(apps, "progress", "course")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("course", "0004_progress_moves_to_its_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Certificate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(default=progress.models.new_certificate_code, editable=False, max_length=32, unique=True, verbose_name='verification code')),
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
                        'db_table': 'course_certificate',
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
                        'db_table': 'course_lessonprogress',
                        'constraints': [models.UniqueConstraint(fields=('user', 'lesson'), name='lesson_progress_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
