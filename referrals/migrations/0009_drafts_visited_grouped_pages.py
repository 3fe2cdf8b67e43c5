"""Drafts started before the questions were grouped onto fewer pages (ADR 0016) remember the old pages they
saved: each becomes the page that now holds its questions, so their tasks keep their progress (a grouped page
still needs every required answer before it counts as complete)."""

from django.db import migrations

OLD_TO_NEW = {
    "your-reference": "referral-details",
    "organisation": "referral-details",
    "nation": "referral-details",
    "place-of-birth": "background",
    "family": "background",
    "education": "background",
    "previous-work": "background",
    "situations": "exploitation-start",
    "how-it-started": "exploitation-start",
    "taken-somewhere": "exploitation-start",
    "what-they-were-made-to-do": "what-happened",
    "living-conditions": "what-happened",
    "treatment": "what-happened",
    "still-exploited": "since-the-exploitation",
    "last-contact": "since-the-exploitation",
    "reported-before": "since-the-exploitation",
    "interviews": "indicators",
    "professional-insight": "your-view",
    "credibility": "your-view",
    "other-professionals": "your-view",
    "exploited-in": "locations",
    "current-location": "locations",
    "exploiters-location-known": "exploiters",
    "other-victims": "risk",
    "re-exploitation": "risk",
    "safeguarding": "risk",
    "crime-reference": "police",
    "cooperation": "police",
    "no-consent-reason": "no-consent",
    "cooperation-with-authorities": "no-consent",
    "name": "person",
    "date-of-birth": "person",
    "gender": "person",
    "nationality": "person",
    "children": "more-about-them",
    "interpreter": "more-about-them",
    "communication-help": "more-about-them",
    "home-office-reference": "more-about-them",
    "support": "more-about-them",
    "decision-recipient": "decision",
    "decision-contact": "decision",
    "alternative-contact": "your-details",
}


def rename_visited_pages(apps, schema_editor):
    Draft = apps.get_model("referrals", "Draft")
    for draft in Draft.objects.filter(answers__has_key="_visited").iterator():
        visited = draft.answers.get("_visited") or []
        renamed = sorted({OLD_TO_NEW.get(slug, slug) for slug in visited})
        if renamed != sorted(visited):
            draft.answers["_visited"] = renamed
            draft.save(update_fields=["answers"])


class Migration(migrations.Migration):
    dependencies = [("referrals", "0008_local_authority_ended_on")]

    operations = [migrations.RunPython(rename_visited_pages, migrations.RunPython.noop)]
