from django.db import migrations


def grant_subsidy_permissions(apps, schema_editor):
    from core.permissions_data import sync_role_groups

    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_role_groups"),
        ("subsidies", "0001_initial"),
    ]
    operations = [migrations.RunPython(grant_subsidy_permissions, migrations.RunPython.noop)]
