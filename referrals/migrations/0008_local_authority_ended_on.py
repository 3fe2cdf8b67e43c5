"""Local authorities end: the councils of the list abolished in the reorganisations of 2015 (Northern Ireland's 26
councils into 11) and 2019-2023 (England's new unitary councils) get the day they ceased to exist, and the new
councils that replaced them and were missing from the list are added. Self-contained (no project imports)."""

from datetime import date

from django.db import migrations, models
from django.utils import timezone

# Vesting day: from this day the council no longer exists.
ENDED = {
    date(2015, 4, 1): [
        # Northern Ireland: 26 district councils into 11 (the 11 are in the list already).
        "Castlereagh Borough Council",
        "Ards Borough Council",
        "North Down Borough Council",
        "Carrickfergus Borough Council",
        "Newtownabbey Borough Council",
        "Antrim Borough Council",
        "Lisburn City Council",
        "Banbridge District Council",
        "Craigavon Borough Council",
        "Dungannon and South Tyrone Borough Council",
        "Fermanagh District Council",
        "Omagh District Council",
        "Strabane District Council",
        "Cookstown District Council",
        "Magherafelt District Council",
        "Ballymena Borough Council",
        "Larne Borough Council",
        "Moyle District Council",
        "Ballymoney Borough Council",
        "Coleraine Borough Council",
        "Limavady Borough Council",
        "Derry City Council",
    ],
    date(2019, 4, 1): [
        # Dorset Council; Bournemouth, Christchurch and Poole Council.
        "Dorset County Council",
        "East Dorset District Council",
        "North Dorset District Council",
        "Purbeck District Council",
        "West Dorset District Council",
        "Weymouth and Portland Borough Council",
        "Bournemouth",
        # East Suffolk and West Suffolk councils.
        "Forest Heath District Council",
        "St Edmundsbury Borough Council",
        "Suffolk Coastal District Council",
        "Waveney District Council",
        # Somerset West and Taunton Council.
        "Taunton Deane Borough Council",
        "West Somerset District Council",
    ],
    date(2020, 4, 1): [
        # Buckinghamshire Council.
        "Buckinghamshire County Council",
        "Aylesbury Vale District Council",
        "Chiltern District Council",
        "South Bucks District Council",
        "Wycombe District Council",
    ],
    date(2021, 4, 1): [
        # North Northamptonshire and West Northamptonshire councils.
        "Northamptonshire County Council",
        "Corby Borough Council",
        "Daventry District Council",
        "East Northamptonshire Council",
        "Kettering Borough Council",
        "Northampton Borough Council",
        "South Northamptonshire Council",
        "Wellingborough Borough Council",
    ],
    date(2023, 4, 1): [
        # Cumberland Council; Westmorland and Furness Council.
        "Cumbria County Council",
        "Allerdale Borough Council",
        "Barrow-in-Furness Borough Council",
        "Carlisle City Council",
        "Copeland Borough Council",
        "Eden District Council",
        "South Lakeland District Council",
        # North Yorkshire Council (the county council renamed, the districts abolished).
        "North Yorkshire County Council",
        "Craven District Council",
        "Hambleton District Council",
        "Harrogate Borough Council",
        "Richmondshire District Council",
        "Ryedale District Council",
        "Scarborough Borough Council",
        "Selby District Council",
        # Somerset Council (the county council renamed, the districts abolished).
        "Somerset County Council",
        "Mendip District Council",
        "Sedgemoor District Council",
        "South Somerset District Council",
        "Somerset West and Taunton Council",
    ],
}

SUCCESSORS = [
    "Buckinghamshire Council",
    "North Northamptonshire Council",
    "West Northamptonshire Council",
    "Cumberland Council",
    "Westmorland and Furness Council",
    "North Yorkshire Council",
    "Somerset Council",
]


def _history(historical, row, now, kind, reason):
    historical.objects.create(
        id=row.pk,
        name=row.name,
        is_active=row.is_active,
        ended_on=row.ended_on,
        history_date=now,
        history_type=kind,
        history_change_reason=reason,
    )


def mark_ended(apps, schema_editor):
    LocalAuthority = apps.get_model("referrals", "LocalAuthority")
    historical = apps.get_model("referrals", "HistoricalLocalAuthority")
    now = timezone.now()
    for name in SUCCESSORS:
        row, created = LocalAuthority.objects.get_or_create(name=name)
        if created:
            _history(historical, row, now, "+", "A council created in a reorganisation")
    for ended_on, names in ENDED.items():
        for row in LocalAuthority.objects.filter(name__in=names, ended_on__isnull=True):
            row.ended_on = ended_on
            row.save(update_fields=["ended_on"])
            _history(historical, row, now, "~", "Abolished in a reorganisation")


def unmark_ended(apps, schema_editor):
    LocalAuthority = apps.get_model("referrals", "LocalAuthority")
    names = [name for names in ENDED.values() for name in names]
    LocalAuthority.objects.filter(name__in=names).update(ended_on=None)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0007_upload_scan_status")]

    operations = [
        migrations.AddField(
            model_name="historicallocalauthority",
            name="ended_on",
            field=models.DateField(
                blank=True,
                help_text="The day it ceased to exist (a reorganisation's vesting day). From then on it is not "
                "offered in new referrals; referrals that already name it keep it.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="localauthority",
            name="ended_on",
            field=models.DateField(
                blank=True,
                help_text="The day it ceased to exist (a reorganisation's vesting day). From then on it is not "
                "offered in new referrals; referrals that already name it keep it.",
                null=True,
            ),
        ),
        migrations.RunPython(mark_ended, unmark_ended),
    ]
