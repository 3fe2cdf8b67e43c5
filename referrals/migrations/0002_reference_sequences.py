from django.db import migrations


class Migration(migrations.Migration):
    """Reference numbers come from PostgreSQL sequences: unique under any concurrency, never reused."""

    dependencies = [("referrals", "0001_initial")]
    operations = [
        migrations.RunSQL(
            "CREATE SEQUENCE referrals_nrm_reference_seq; CREATE SEQUENCE referrals_dtn_reference_seq;",
            "DROP SEQUENCE referrals_nrm_reference_seq; DROP SEQUENCE referrals_dtn_reference_seq;",
        )
    ]
