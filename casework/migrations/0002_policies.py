from django.db import migrations

# domain.md's defaults; every other timescale takes the model's default. Copied here on purpose: a migration
# must not change when the model's constants do.
RECOVERY_DAYS = {"england": 30, "wales": 30, "scotland": 90, "northern_ireland": 45}


def create_policies(apps, schema_editor):
    Policy = apps.get_model("casework", "Policy")
    for nation, recovery_days in RECOVERY_DAYS.items():
        Policy.objects.get_or_create(nation=nation, defaults={"recovery_days": recovery_days})


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]
    operations = [migrations.RunPython(create_policies, migrations.RunPython.noop)]
