"""Create the "Instructors" group: staff who author courses without being superusers."""

from django.db import migrations

INSTRUCTOR_MODELS = {"course": ["course", "chapter", "lesson"]}
ACTIONS = ("add", "change", "delete", "view")


def grant_instructor_permissions(apps, schema_editor, models_by_app=INSTRUCTOR_MODELS):
    """Give the Instructors group the listed actions on the listed models (and only those).

    ``models_by_app`` maps an app label to model names (every action) or to a mapping
    of model name to its actions. Other apps' migrations call this one implementation.
    """
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make them exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Instructors")
    for app_label, models in models_by_app.items():
        actions_by_model = models if isinstance(models, dict) else dict.fromkeys(models, ACTIONS)
        for model_name, actions in actions_by_model.items():
            for action in actions:
                group.permissions.add(Permission.objects.get(
                    content_type__app_label=app_label, codename=f"{action}_{model_name}"
                ))


def revoke_instructor_permissions(apps, app_label, model_names):
    """Take back from the Instructors group every permission on the listed models."""
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Instructors").first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(
            content_type__app_label=app_label, content_type__model__in=list(model_names),
        ))


class Migration(migrations.Migration):
    dependencies = [
        ("course", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant_instructor_permissions, migrations.RunPython.noop)]
