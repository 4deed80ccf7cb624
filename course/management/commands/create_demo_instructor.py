"""``manage.py create_demo_instructor``: a known instructor login for a local demo only."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

USERNAME = "instructor"
PASSWORD = "gradiente-demo"  # noqa: S105 - local demo only; refused unless DEBUG is on


class Command(BaseCommand):
    help = "Create the demo instructor (instructor / gradiente-demo). Refused unless DEBUG."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo instructor exists only in a local DEBUG set-up.")
        user, created = get_user_model().objects.get_or_create(
            username=USERNAME, defaults={"first_name": "Demo", "last_name": "Instructor"}
        )
        user.is_staff = True
        user.is_superuser = False
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name="Instructors"))
        self.stdout.write(f"Demo instructor {'created' if created else 'ready'}: {USERNAME}")
