from django.db import migrations


def grant_application_permissions(apps, schema_editor):
    from core.permissions_data import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_role_groups"),
        ("subsidies", "0002_role_permissions"),
        ("subsidies", "0003_applications"),
    ]
    operations = [migrations.RunPython(grant_application_permissions, migrations.RunPython.noop)]
