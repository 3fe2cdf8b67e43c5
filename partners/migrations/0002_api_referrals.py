# Owned by one part of issue 14 (see the header of /tmp/h/brief.md); operations are added by hand from
# `manage.py makemigrations partners --dry-run -v 3`, taking only this part's own models.
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="IdempotencyKey",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=255)),
                ("operation", models.CharField(help_text="For example: referral-create", max_length=100)),
                (
                    "request_hash",
                    models.CharField(help_text="SHA-256 of the request's method, path and content", max_length=64),
                ),
                ("status_code", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("body", models.JSONField(blank=True, null=True)),
                ("location", models.CharField(blank=True, max_length=300)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="idempotency_keys",
                        to="partners.apiclient",
                    ),
                ),
            ],
            options={
                "verbose_name": "partner API idempotency key",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("client", "key"), name="idempotency_key_unique_per_client")
                ],
            },
        ),
    ]
