# Owned by one part of issue 14 (see the header of /tmp/h/brief.md); operations are added by hand from
# `manage.py makemigrations partners --dry-run -v 3`, taking only this part's own models.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("partners", "0005_partnerships")]

    operations = []
