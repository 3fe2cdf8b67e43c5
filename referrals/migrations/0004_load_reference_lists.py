"""Loads the live service's reference lists from referrals/reference/*.txt. Admins edit the rows afterwards; the
files are only the starting point. Self-contained (no project imports) so that it keeps working as the code moves."""

from pathlib import Path

from django.db import migrations
from django.utils import timezone

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"

FILES = {
    "Country": "countries.txt",
    "Nationality": "nationalities.txt",
    "UkTown": "uk_towns.txt",
    "UkRegion": "uk_regions.txt",
    "LocalAuthority": "local_authorities.txt",
    "PoliceForce": "police_forces.txt",
}

# The questions allow "Unknown" for nationality, current town and region (the files have it today; keep it so).
ALWAYS = {"Nationality": ["Unknown"], "UkTown": ["Unknown"], "UkRegion": ["Unknown"]}


def read_names(file_name):
    """Non-blank lines, trimmed, first occurrence only (uk_towns.txt repeats a few names, such as Newport)."""
    lines = (REFERENCE_DIR / file_name).read_text(encoding="utf-8").splitlines()
    return list(dict.fromkeys(line.strip() for line in lines if line.strip()))


def load(apps, schema_editor):
    now = timezone.now()
    for model_name, file_name in FILES.items():
        model = apps.get_model("referrals", model_name)
        historical = apps.get_model("referrals", f"Historical{model_name}")
        names = list(dict.fromkeys(read_names(file_name) + ALWAYS.get(model_name, [])))
        existing = set(model.objects.filter(name__in=names).values_list("name", flat=True))
        created = model.objects.bulk_create([model(name=name) for name in names if name not in existing])
        # The rows' first history entry, as the admin would have written it.
        historical.objects.bulk_create(
            historical(
                id=row.pk,
                name=row.name,
                is_active=row.is_active,
                history_date=now,
                history_type="+",
                history_change_reason="Loaded from the live service's list",
            )
            for row in created
        )


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_reference_history")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
