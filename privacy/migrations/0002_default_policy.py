"""The retention policy's one row, with the defaults of the model (docs/adr: retention and subject access)."""

from django.db import migrations


def create_policy(apps, schema_editor):
    RetentionPolicy = apps.get_model("privacy", "RetentionPolicy")
    RetentionPolicy.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(create_policy, migrations.RunPython.noop)]
