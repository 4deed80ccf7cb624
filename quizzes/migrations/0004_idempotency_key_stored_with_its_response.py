"""An idempotency key is now written with its response, in one transaction: no row is
ever "being answered" (a request in flight is marked in the cache instead)."""

from django.db import migrations, models


def forget_unanswered_keys(apps, schema_editor):
    # A claim left by the old two-step flow: its request recorded nothing (or its
    # attempt keeps the key), so a retry may claim the key anew.
    IdempotencyKey = apps.get_model("quizzes", "IdempotencyKey")
    IdempotencyKey.objects.filter(state="processing").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("quizzes", "0003_attempt_answered_at_idempotency_keys"),
    ]

    operations = [
        migrations.RunPython(forget_unanswered_keys, migrations.RunPython.noop),
        migrations.RemoveField(model_name="idempotencykey", name="state"),
        migrations.AlterField(
            model_name="idempotencykey", name="status_code",
            field=models.PositiveSmallIntegerField(verbose_name="response status"),
        ),
        migrations.AlterField(
            model_name="idempotencykey", name="response",
            field=models.JSONField(verbose_name="response body"),
        ),
    ]
