"""The organisation's referrals (drafts and sent, search, filters, pages) and a sent referral's own page."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from casework.models import Case
from casework.selectors import case_status_label_for_referral
from common.virus_scan import ScanStatus
from referrals.filters import ReferralFilterForm
from referrals.models import Draft, EvidenceFile, Referral, Route
from referrals.services import draft_create
from tests.casework.factories import (
    AwaitingRgCaseFactory,
    ChildReferralFactory,
    DutyToNotifyReferralFactory,
    SubmittedDraftFactory,
    SubmittedReferralFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("referrals:list")


@pytest.fixture
def responder(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    return UserFactory(role=Role.FIRST_RESPONDER)


@pytest.fixture
def signed_in(client, responder):
    client.force_login(responder)
    return client


def sent_referral(responder, factory=SubmittedReferralFactory, *, with_case=True, **fields):
    """A referral sent by `responder`'s organisation, with its case (awaiting RG) when it is an NRM referral."""
    draft = SubmittedDraftFactory(organisation=responder.organisation, created_by=responder)
    referral = factory(draft=draft, **fields)
    if with_case and not referral.is_duty_to_notify:
        AwaitingRgCaseFactory(referral=referral)
    return referral


def references_on(response) -> list[str]:
    return [row["referral"].reference for row in response.context["sent"]]


def answered_draft(actor) -> Draft:
    """A draft in which something is answered: one with nothing answered yet is not listed."""
    draft = draft_create(actor=actor)
    Draft.objects.filter(pk=draft.pk).update(answers={**draft.answers, "responder_reference": f"CR/{draft.pk}"})
    return draft


# --- the list -------------------------------------------------------------------------------------------------
def test_the_list_shows_the_organisations_drafts_and_sent_referrals(signed_in, responder):
    draft = draft_create(actor=responder)
    Draft.objects.filter(pk=draft.pk).update(answers={**draft.answers, "responder_reference": "CR/123"})
    child = sent_referral(responder, ChildReferralFactory, responder_reference="MY-REF-1")
    duty = sent_referral(responder, DutyToNotifyReferralFactory)
    page = signed_in.get(LIST_URL).text
    assert f"Draft {draft.pk}" in page
    assert "CR/123" in page
    assert reverse("referrals:task_list", kwargs={"pk": draft.pk}) in page
    assert reverse("referrals:detail", kwargs={"reference": child.reference}) in page
    assert "MY-REF-1" in page
    assert "Child NRM referral" in page
    assert "Awaiting reasonable grounds decision" in page
    assert duty.reference in page
    assert "Duty to Notify sent" in page
    assert 'action="/referrals/drafts/start"' in page or reverse("referrals:start") in page


def test_another_organisation_sees_none_of_it(client, responder):
    answered_draft(responder)
    referral = sent_referral(responder)
    client.force_login(UserFactory(role=Role.FIRST_RESPONDER))
    response = client.get(LIST_URL)
    assert response.context["drafts"] == []
    assert response.context["sent"] == []
    assert referral.reference not in response.text
    assert client.get(f"{LIST_URL}?q={referral.reference}").context["sent"] == []


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.MANAGER, Role.PANEL_MEMBER, Role.ANALYST, Role.ADMIN])
def test_staff_get_404_for_the_list_and_the_referral(client, settings, responder, role):
    settings.NRM_REQUIRE_STAFF_MFA = False
    referral = sent_referral(responder)
    client.force_login(UserFactory(role=role))
    assert client.get(LIST_URL).status_code == 404
    assert client.get(reverse("referrals:detail", kwargs={"reference": referral.reference})).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, responder):
    referral = sent_referral(responder)
    assert client.get(LIST_URL).status_code == 302
    assert client.get(reverse("referrals:detail", kwargs={"reference": referral.reference})).status_code == 302


def test_drafts_show_their_expiry_date_and_days_left_newest_first(signed_in, responder):
    fresh = answered_draft(responder)
    old = answered_draft(responder)
    Draft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=23))
    rows = signed_in.get(LIST_URL).context["drafts"]
    assert [row["draft"].pk for row in rows] == [fresh.pk, old.pk]
    assert (rows[0]["days_left"], rows[0]["expiring_soon"]) == (28, False)
    assert (rows[1]["days_left"], rows[1]["expiring_soon"]) == (5, True)
    page = signed_in.get(LIST_URL).text
    assert 'govuk-tag--orange">5 days left' in page
    assert rows[1]["expires_at"].date() == (timezone.now() - timedelta(days=23) + timedelta(days=28)).date()


def test_a_draft_shows_its_route_so_far(signed_in, responder):
    draft = answered_draft(responder)
    assert signed_in.get(LIST_URL).context["drafts"][0]["route"] == "Not decided yet"
    Draft.objects.filter(pk=draft.pk).update(answers={"under_18": "no", "consent": "no"})
    assert signed_in.get(LIST_URL).context["drafts"][0]["route"] == "Duty to Notify"


def test_the_empty_list_says_so(signed_in):
    page = signed_in.get(LIST_URL).text
    assert "Start a new referral" in page
    assert 'data-testid="empty-state"' in page


# --- search and filters ---------------------------------------------------------------------------------------
def test_search_matches_either_reference_exactly_or_by_its_start_in_any_case(signed_in, responder):
    first = sent_referral(responder, reference="NRM-2026-100001", responder_reference="Op-Falcon/7")
    second = sent_referral(responder, reference="NRM-2026-100002", responder_reference="CR-55")
    duty = sent_referral(responder, DutyToNotifyReferralFactory, reference="DTN-2026-100003")

    def search(term):
        return set(references_on(signed_in.get(LIST_URL, {"q": term})))

    assert search("NRM-2026-100001") == {first.reference}
    assert search("nrm-2026-10000") == {first.reference, second.reference}
    assert search("dtn") == {duty.reference}
    assert search("op-falcon") == {first.reference}
    assert search("OP-FALCON/7") == {first.reference}
    assert search("cr-55") == {second.reference}
    assert search("falcon") == set()  # the start of a reference, not any part of it
    assert search("%") == set()  # a wildcard is a character like any other
    assert search("  ") == {first.reference, second.reference, duty.reference}


def test_filter_by_status_and_route(signed_in, responder):
    awaiting = sent_referral(responder)
    recovery = sent_referral(responder, ChildReferralFactory)
    Case.objects.filter(referral=recovery).update(status=Case.Status.RECOVERY)
    under_review = sent_referral(responder)
    Case.objects.filter(referral=under_review).update(status=Case.Status.RG_NEGATIVE_REVIEW)
    duty = sent_referral(responder, DutyToNotifyReferralFactory)

    def filtered(**params):
        return set(references_on(signed_in.get(LIST_URL, params)))

    # A negative decision under review is not served yet: the referrer still sees it awaited.
    assert filtered(status="awaiting_rg") == {awaiting.reference, under_review.reference}
    assert filtered(status="recovery") == {recovery.reference}
    assert filtered(status="duty_to_notify_sent") == {duty.reference}
    assert filtered(route=Route.CHILD) == {recovery.reference}
    assert filtered(route=Route.ADULT) == {awaiting.reference, under_review.reference}
    assert filtered(route=Route.ADULT, status="recovery") == set()
    response = signed_in.get(LIST_URL, {"route": Route.ADULT, "status": "recovery"})
    assert 'data-testid="no-matches"' in response.text
    assert "Clear search and filters" in response.text


def status_choices() -> dict[str, str]:
    """The list's status filter, value to label, as the form offers it (without "Any status")."""
    return {value: label for value, label in ReferralFilterForm().fields["status"].choices if value}


def test_status_choices_use_the_words_the_referral_shows():
    """Every status a referrer can see is one choice, labelled as case_status_label_for_referral words it."""
    choices = status_choices()
    for status in Case.Status:
        referral = Referral(route=Route.ADULT)
        referral.case = Case(status=status)
        label = case_status_label_for_referral(referral)
        matching = [value for value, choice_label in choices.items() if choice_label == label]
        assert len(matching) == 1, (status, label)
    assert choices["duty_to_notify_sent"] == case_status_label_for_referral(Referral(route=Route.DUTY_TO_NOTIFY))


def test_every_status_choice_finds_its_referrals(signed_in, responder):
    referral = sent_referral(responder)
    for value, label in status_choices().items():
        if value in ("duty_to_notify_sent", "information_requested"):  # not case statuses
            continue
        status = next(status for status in Case.Status if status.label == label)
        Case.objects.filter(referral=referral).update(status=status)
        assert references_on(signed_in.get(LIST_URL, {"status": value})) == [referral.reference], value


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "99999"},
        {"page": "-1"},
        {"page": "0"},
        {"page": "1.5"},
        {"page": "9" * 40},
        {"status": "nonsense"},
        {"route": "<script>"},
        {"q": "x" * 5000},
        {"q": "NRM\x00"},
        {"q": "'; DROP TABLE referrals_referral; --"},
        {"status": ["awaiting_rg", "recovery"]},
    ],
)
def test_bad_parameters_give_a_sensible_page(signed_in, responder, params):
    sent_referral(responder)
    response = signed_in.get(LIST_URL, params)
    assert response.status_code == 200
    assert Referral.objects.count() == 1


def test_an_unknown_filter_value_is_reported_and_ignored(signed_in, responder):
    referral = sent_referral(responder)
    response = signed_in.get(LIST_URL, {"status": "nonsense", "route": Route.ADULT})
    assert "There is a problem" in response.text
    assert 'href="#status"' in response.text
    assert "Select a status from the list" in response.text
    assert references_on(response) == [referral.reference]


# --- pages ----------------------------------------------------------------------------------------------------
def test_sent_referrals_come_25_a_page_newest_first_with_the_filters_kept(signed_in, responder):
    now = timezone.now()
    referrals = [
        sent_referral(responder, with_case=False, submitted_at=now - timedelta(minutes=number)) for number in range(30)
    ]
    first = signed_in.get(LIST_URL, {"route": Route.ADULT})
    assert references_on(first) == [referral.reference for referral in referrals[:25]]
    assert 'class="govuk-pagination"' in first.text
    assert 'href="?route=adult&amp;page=2#sent"' in first.text
    second = signed_in.get(LIST_URL, {"route": Route.ADULT, "page": 2})
    assert references_on(second) == [referral.reference for referral in referrals[25:]]
    assert references_on(signed_in.get(LIST_URL, {"page": 99999})) == references_on(second)


# --- queries --------------------------------------------------------------------------------------------------
def fill(responder, count: int) -> None:
    """`count` sent referrals of every route, a few statuses, and a few drafts changed by different people."""
    for number in range(count):
        factory = [SubmittedReferralFactory, ChildReferralFactory, DutyToNotifyReferralFactory][number % 3]
        referral = sent_referral(responder, factory, responder_reference=f"REF-{number}")
        if number % 4 == 0 and not referral.is_duty_to_notify:
            Case.objects.filter(referral=referral).update(status=Case.Status.RECOVERY)
    for _ in range(min(count, 10)):
        colleague = UserFactory(role=Role.FIRST_RESPONDER, organisation=responder.organisation)
        answered_draft(colleague)


# Every signed-in page makes 3: the session, the user with their organisation (read afresh on every request: whether
# it requires an authenticator app may change while they are signed in), and the header's unread count. The session's
# expiry and usersessions' last seen are written at most once a minute, so not by the measured request after the first
# (tests/accounts/test_quiet_gets.py). The list adds 4: the policy, the drafts with who changed them, the count of
# sent referrals and their page with their cases. The referral's page adds 4: the referral with its case and sender,
# its evidence files, and its case's served decisions (with letters) and requests for information (their files only
# when there are some; tests/casework/test_responder.py counts the case's side).
# 9: with what is waiting at the top (the questions to answer) and the page's rows' open questions, one each.
LIST_QUERIES = 9
DETAIL_QUERIES = 7


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_makes_the_same_queries_however_many_rows(signed_in, responder, django_assert_num_queries, count):
    fill(responder, count)
    signed_in.get(LIST_URL)  # the session is read once before counting
    with django_assert_num_queries(LIST_QUERIES):
        response = signed_in.get(LIST_URL)
    assert len(response.context["sent"]) == min(count, 25)
    with django_assert_num_queries(LIST_QUERIES):
        signed_in.get(LIST_URL, {"q": "ref-", "status": "awaiting_rg", "route": Route.CHILD, "page": 2})


@pytest.mark.parametrize("files", [0, 5])
def test_the_referral_page_makes_the_same_queries_however_many_files(
    signed_in, responder, django_assert_num_queries, private_media, files
):
    referral = sent_referral(responder)
    for number in range(files):
        add_evidence(referral, responder, name=f"statement-{number}.pdf")
    url = reverse("referrals:detail", kwargs={"reference": referral.reference})
    signed_in.get(url)
    with django_assert_num_queries(DETAIL_QUERIES):
        assert signed_in.get(url).status_code == 200


# --- a referral's page ----------------------------------------------------------------------------------------
@pytest.fixture
def private_media(settings, tmp_path, monkeypatch):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    monkeypatch.setattr(EvidenceFile._meta.get_field("file"), "storage", storages["private"])
    return tmp_path / "private"


def add_evidence(referral, responder, *, name="statement.pdf") -> EvidenceFile:
    evidence = EvidenceFile(
        draft=referral.draft,
        original_name=name,
        content_type="application/pdf",
        size=2048,
        description="Witness statement",
        uploaded_by=responder,
        scan_status=ScanStatus.CLEAN,
    )
    evidence.file.save("ignored", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    return evidence


ANSWERS = {
    "responder_reference": "OP-7",
    "organisation": "Test organisation",
    "nation": "england",
    "under_18": "no",
    "consent": "yes",
    "exploitation_types": ["forced_labour", "domestic_servitude"],
    "exploited_in": "uk",
}


def test_the_referral_page_shows_the_answers_by_section_status_sender_pdf_and_files(
    signed_in, responder, private_media
):
    referral = sent_referral(responder, answers=ANSWERS, responder_reference="OP-7")
    evidence = add_evidence(referral, responder)
    response = signed_in.get(reverse("referrals:detail", kwargs={"reference": referral.reference}))
    page = response.text
    assert response.status_code == 200
    assert referral.reference in page
    assert "Adult NRM referral" in page
    assert "Awaiting reasonable grounds decision" in page
    assert responder.full_name in page
    assert timezone.localtime(referral.submitted_at).strftime("%-d %B %Y") in page
    assert reverse("referrals:pdf", kwargs={"reference": referral.reference}) in page
    assert reverse("referrals:evidence_download", kwargs={"file_id": evidence.pk}) in page
    assert "statement.pdf" in page
    assert "Referral details" in page  # a section title
    assert "Forced to work for nothing or almost nothing" in page  # an answer in words
    assert "Domestic servitude" in page
    assert "govuk-summary-list__actions" not in page  # read-only: no change links


def test_a_duty_to_notify_page_has_no_case_status_and_no_evidence_list(signed_in, responder):
    referral = sent_referral(responder, DutyToNotifyReferralFactory)
    page = signed_in.get(reverse("referrals:detail", kwargs={"reference": referral.reference})).text
    assert "Duty to Notify sent" in page
    assert 'data-testid="evidence-files"' not in page


def test_a_colleague_can_open_the_referral_but_another_organisation_cannot(client, responder):
    referral = sent_referral(responder)
    url = reverse("referrals:detail", kwargs={"reference": referral.reference})
    client.force_login(UserFactory(role=Role.FIRST_RESPONDER, organisation=responder.organisation))
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(role=Role.FIRST_RESPONDER))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("reference", ["NRM-2026-999999", "nothing", "%25", "a" * 300, "NRM-2026-000001%00"])
def test_an_unknown_reference_is_not_found(signed_in, reference):
    assert signed_in.get(f"/referrals/{reference}/").status_code == 404


def test_the_referral_page_is_get_only(signed_in, responder):
    referral = sent_referral(responder)
    url = reverse("referrals:detail", kwargs={"reference": referral.reference})
    assert signed_in.post(url).status_code == 405


def test_the_start_page_links_to_the_printable_prompt_sheet(client, settings):
    from accounts.roles import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.FIRST_RESPONDER))
    assert reverse("referrals:prompt_sheet") in client.get(reverse("referrals:list")).text
