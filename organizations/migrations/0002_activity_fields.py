from django.db import migrations

FIELD_CODES = [
    "disaster", "crime", "welfare", "health", "childcare", "education",
    "traffic", "environment", "culture", "local_economy", "community",
]


def create_fields(apps, schema_editor):
    Field = apps.get_model("organizations", "Field")
    for order, code in enumerate(FIELD_CODES, start=1):
        Field.objects.update_or_create(code=code, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(create_fields, migrations.RunPython.noop)]
