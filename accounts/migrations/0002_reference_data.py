from django.db import migrations


def load(apps, schema_editor):
    from accounts.reference_data import first_responder_kind, read_list

    Organisation = apps.get_model("accounts", "Organisation")
    Domain = apps.get_model("accounts", "FirstResponderEmailDomain")
    for name in read_list("first_responder_organisations.txt"):
        Organisation.objects.get_or_create(name=name, defaults={"kind": first_responder_kind(name)})
    for domain in read_list("first_responder_email_domains.txt"):
        Domain.objects.get_or_create(domain=domain.lower(), defaults={"match": "exact"})
    for suffix in read_list("first_responder_email_suffixes.txt"):
        Domain.objects.get_or_create(domain=suffix.lower().lstrip("."), defaults={"match": "suffix"})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
