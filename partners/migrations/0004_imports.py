# Owned by one part of issue 14 (see the header of /tmp/h/brief.md); operations are added by hand from
# `manage.py makemigrations partners --dry-run -v 3`, taking only this part's own models.
# Part E: ImportedReferral (referrals imported from the GOV.UK service's case payload).
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_webhooks"),
        ("referrals", "0009_drafts_visited_grouped_pages"),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportedReferral",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("external_id", models.UUIDField(help_text="The payload's ExternalId", unique=True)),
                ("kept", models.JSONField(blank=True, default=dict, help_text="Keys without a question, as received")),
                (
                    "through_command",
                    models.BooleanField(default=False, help_text="Imported by manage.py import_gov_uk_referral"),
                ),
                ("imported_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="imports", to="partners.apiclient"
                    ),
                ),
                (
                    "referral",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="govuk_import",
                        to="referrals.referral",
                    ),
                ),
            ],
            options={
                "verbose_name": "imported GOV.UK referral",
                "ordering": ["-imported_at", "-pk"],
            },
        ),
    ]
