# Owned by one part of issue 14 (see the header of /tmp/h/brief.md); operations are added by hand from
# `manage.py makemigrations partners --dry-run -v 3`, taking only this part's own models.
# Part D: webhooks (partners/models/webhooks.py).
import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_api_referrals")]

    operations = [
        migrations.CreateModel(
            name="WebhookEndpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("url", models.URLField(help_text="HTTPS only", max_length=500)),
                ("secret", models.CharField(editable=False, max_length=100)),
                (
                    "events",
                    django.contrib.postgres.fields.ArrayField(
                        base_field=models.CharField(max_length=60),
                        blank=True,
                        default=list,
                        help_text="Empty: every kind of change",
                        size=None,
                    ),
                ),
                ("active", models.BooleanField(default=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("deleted_at", models.DateTimeField(blank=True, null=True)),
                (
                    "client",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="webhook_endpoints",
                        to="partners.apiclient",
                    ),
                ),
            ],
            options={
                "verbose_name": "webhook endpoint",
                "ordering": ["created_at", "pk"],
                "indexes": [models.Index(fields=["client", "active"], name="partners_we_client__64c9f8_idx")],
            },
        ),
        migrations.CreateModel(
            name="WebhookDelivery",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "event_id",
                    models.CharField(help_text="The change's id: the receiver's de-duplication key", max_length=100),
                ),
                ("event", models.CharField(max_length=60)),
                ("payload", models.JSONField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting to be sent"),
                            ("delivered", "Delivered"),
                            ("failed", "Failed: no more attempts"),
                        ],
                        default="pending",
                        max_length=20,
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("last_status_code", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("last_error", models.CharField(blank=True, max_length=200)),
                ("last_attempt_at", models.DateTimeField(blank=True, null=True)),
                ("next_try_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, editable=False)),
                ("delivered_at", models.DateTimeField(blank=True, null=True)),
                (
                    "endpoint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="deliveries",
                        to="partners.webhookendpoint",
                    ),
                ),
            ],
            options={
                "verbose_name": "webhook delivery",
                "verbose_name_plural": "webhook deliveries",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["endpoint", "-created_at"], name="partners_we_endpoin_0b171e_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("endpoint", "event_id"), name="webhook_delivery_once_per_endpoint")
                ],
            },
        ),
    ]
