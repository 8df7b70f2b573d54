from django.db import migrations


def grant_plan_permissions(apps, schema_editor):
    from core.permissions_data import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_role_groups"),
        ("plans", "0001_initial"),
    ]
    operations = [migrations.RunPython(grant_plan_permissions, migrations.RunPython.noop)]
