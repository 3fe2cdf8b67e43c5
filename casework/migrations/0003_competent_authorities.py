from django.db import migrations

# The same names as the demo seed (accounts/demo.py), which updates these rows rather than adding others.
COMPETENT_AUTHORITIES = [
    ("Single Competent Authority", "SCA"),
    ("Immigration Enforcement Competent Authority", "IECA"),
]


def create_competent_authorities(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    for name, short_name in COMPETENT_AUTHORITIES:
        Organisation.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "kind": "competent_authority"}
        )


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_policies"), ("accounts", "0002_reference_data")]
    operations = [migrations.RunPython(create_competent_authorities, migrations.RunPython.noop)]
