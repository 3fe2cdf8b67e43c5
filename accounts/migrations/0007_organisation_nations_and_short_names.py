"""The first responder organisations of the live service's list get their nation (England, Wales, Scotland or
Northern Ireland; none for UK-wide bodies) and their usual short name, where the admin has not set one."""

from django.db import migrations
from django.utils import timezone


def fill(apps, schema_editor):
    from accounts.reference_data import organisation_nation, organisation_short_name, read_list

    Organisation = apps.get_model("accounts", "Organisation")
    historical = apps.get_model("accounts", "HistoricalOrganisation")
    fields = [field.attname for field in Organisation._meta.concrete_fields]
    now = timezone.now()
    for organisation in Organisation.objects.filter(name__in=read_list("first_responder_organisations.txt")):
        changed = []
        if not organisation.nation and organisation_nation(organisation.name):
            organisation.nation = organisation_nation(organisation.name)
            changed.append("nation")
        if not organisation.short_name and organisation_short_name(organisation.name):
            organisation.short_name = organisation_short_name(organisation.name)
            changed.append("short_name")
        if not changed:
            continue
        organisation.save(update_fields=changed)
        historical.objects.create(
            **{name: getattr(organisation, name) for name in fields},
            history_date=now,
            history_type="~",
            history_change_reason="Nation and short name from the live service's list",
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_invitation")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
