"""``manage.py refresh_variants``: recompute variants after an engine or question change."""

from django.core.management.base import BaseCommand

from quizzes.learner_variants import refresh_variants


class Command(BaseCommand):
    help = (
        "Recompute every learner variant made by another engine version (or an edited "
        "question); keep the old answers in the variant's history and flag attempts that "
        "the new engine grades differently (Attempt.needs_review)."
    )

    def handle(self, *args, **options):
        report = refresh_variants()
        self.stdout.write(self.style.SUCCESS(
            f"{report['checked']} variant(s) checked, {report['recomputed']} recomputed, "
            f"{report['flagged']} attempt(s) flagged for review."
        ))
