"""Certificates keep what was passed (lessons, chapter exams) from now on.

Certificates issued before leave this migration as they were: the new column is empty
for them (``Certificate.predates_exam``), and no value of theirs is rewritten or revoked.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('progress', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='certificate',
            name='record',
            field=models.JSONField(blank=True, default=dict, editable=False, help_text='The lessons and chapter exams passed, copied when it was issued. Empty for a certificate issued before the exam existed.', verbose_name='what was passed'),
        ),
        migrations.AlterField(
            model_name='certificate',
            name='study_minutes',
            field=models.PositiveIntegerField(help_text="The course's workload when it was issued: reading, exercises and exam (before exams: reading only).", verbose_name='study time (minutes)'),
        ),
    ]
