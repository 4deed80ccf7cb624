"""Progress and certificates move to the progress app: forget them here, keep the tables.

Only the migration state changes: no table is dropped, no row touched. The progress
app's first migration takes the two tables over under their names, and moves their
content types (and so the Instructors group's permissions) with them.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("course", "0003_progress_certificates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Certificate"),
                migrations.DeleteModel(name="LessonProgress"),
            ],
            database_operations=[],
        ),
    ]
