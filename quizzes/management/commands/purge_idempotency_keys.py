"""``manage.py purge_idempotency_keys``: forget the API's idempotency keys older than a day."""

from django.core.management.base import BaseCommand

from quizzes.idempotency import KEY_TTL, purge_expired_keys


class Command(BaseCommand):
    help = (
        f"Delete the Idempotency-Key records older than {KEY_TTL} (run it daily, e.g. from "
        "cron). Until then an expired key is treated as new when it is met; an attempt "
        "keeps its key, so even then a retry never records it twice."
    )

    def handle(self, *args, **options):
        deleted = purge_expired_keys()
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"{deleted} expired key(s) deleted."))
