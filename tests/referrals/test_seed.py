"""The demo referrals of `seed_demo`: drafts and sent referrals of every route per demo organisation, once."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts import demo as accounts_demo
from accounts.models import User
from casework import demo as casework_demo
from casework.models import Case
from insights import demo as insights_demo
from notifications.models import Notification
from panels import demo as panels_demo
from referrals import demo
from referrals.models import Draft, Referral, Route
from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import missing_answers

pytestmark = pytest.mark.django_db

RESPONDERS = ["responder@police.example", "responder@ngo.example", "responder@council.example"]


def counts() -> tuple[int, int, int, int]:
    return (
        Draft.objects.filter(submitted_at__isnull=True).count(),
        Referral.objects.count(),
        Case.objects.count(),
        Notification.objects.count(),
    )


def test_each_demo_organisation_gets_drafts_and_referrals_of_every_route_once(mailoutbox):
    accounts_demo.seed()
    assert demo.seed() == 9
    for email in RESPONDERS:
        organisation = User.objects.get(email=email).organisation
        referrals = Referral.objects.filter(organisation=organisation)
        assert sorted(referrals.values_list("route", flat=True)) == sorted(Route.values)
        assert all(referral.answers["organisation"] == organisation.name for referral in referrals)
        assert Case.objects.filter(referral__organisation=organisation).count() == 2  # not the Duty to Notify
        assert Draft.objects.filter(organisation=organisation, submitted_at__isnull=True).count() == 2
    first = counts()
    assert first == (6, 9, 6, 10)  # a notification of each referral sent, and one of the demo request to join

    assert demo.seed() == 0  # safe to run again
    assert counts() == first
    assert not Notification.objects.exclude(email_state=Notification.EmailState.SENT).exists()
    assert mailoutbox == []


def test_the_drafts_are_part_done_and_the_list_and_referral_pages_show_the_seed(client):
    accounts_demo.seed()
    demo.seed()
    responder = User.objects.get(email="responder@police.example")
    drafts = Draft.objects.filter(organisation=responder.organisation, submitted_at__isnull=True)
    sizes = sorted(len(draft.answers["_visited"]) for draft in drafts)
    assert 0 < sizes[0] < sizes[1]  # one half done, one nearly complete
    for draft in drafts:
        assert missing_answers(QUESTIONNAIRE, draft.answers, frozenset(draft.answers["_visited"]))

    client.force_login(responder)
    listing = client.get(reverse("referrals:list"))
    assert len(listing.context["drafts"]) == 2
    assert len(listing.context["sent"]) == 3
    for row in listing.context["sent"]:
        assert (
            client.get(reverse("referrals:detail", kwargs={"reference": row["referral"].reference})).status_code == 200
        )


def test_seed_demo_runs_twice_with_the_same_counts(settings):
    settings.NRM_DEMO = True
    call_command("seed_demo", stdout=None)
    first = counts()
    call_command("seed_demo", stdout=None)
    assert counts() == first
    # The demo cases, the demo panel cases and the statistics' history come with referrals of their own.
    demo_referrals = len(casework_demo.DEMO_CASES) + len(panels_demo.DEMO_PANEL_CASES) + insights_demo.REFERRALS
    assert first[1] == 9 + demo_referrals
