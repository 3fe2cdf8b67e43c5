"""A first responder whose membership is not verified sees only their own work: none of the organisation's other
referrals, drafts, evidence, cases, information requests, letters, files or notifications about them; once
approved, all of it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.membership import membership_request_approve, membership_request_create
from accounts.roles import Role
from casework.models import Case
from casework.rules import can_answer_information_request, can_request_reconsideration
from casework.selectors import case_files_for, cases_referred_by, letters_for
from casework.services.base import police_recipients, referrer_recipients
from notifications.models import Notification
from referrals.models import EvidenceFile
from referrals.selectors import drafts_for, evidence_files_for, referrals_for
from referrals.services import draft_create, draft_save_page
from tests.casework.factories import AwaitingRgCaseFactory, SubmittedReferralFactory, case_in_state
from tests.casework.test_responder import ask, private_media, upload  # noqa: F401 - private_media is autouse
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleagues_case():
    """A verified colleague's referral with a served decision (a letter), a question with a file, evidence."""
    case = case_in_state(Case.Status.RECOVERY)
    ask(case, files=[upload()])
    EvidenceFile.objects.create(
        draft=case.referral.draft,
        file="evidence/not-stored",
        original_name="statement.pdf",
        content_type="application/pdf",
        size=10,
        description="Statement",
        uploaded_by=case.referral.submitted_by,
    )
    return case


@pytest.fixture
def organisation(colleagues_case):
    return colleagues_case.referral.organisation


@pytest.fixture
def colleagues_draft(colleagues_case):
    return draft_create(actor=colleagues_case.referral.submitted_by)


@pytest.fixture
def newcomer(organisation):
    """Signed up from a shared suffix and asked to join; not approved."""
    user = UserFactory(email="newcomer@borough.shared.example", organisation=None, organisation_verified=False)
    membership_request_create(user=user, organisation=organisation)
    user.refresh_from_db()
    return user


@pytest.fixture
def verified_colleague(organisation):
    return UserFactory(organisation=organisation)


def everything_of_the_organisation(user) -> dict[str, int]:
    return {
        "drafts": drafts_for(user=user).count(),
        "referrals": referrals_for(user=user).count(),
        "evidence": evidence_files_for(user=user).count(),
        "cases": cases_referred_by(user=user).count(),
        "letters": letters_for(user=user).count(),
        "files": case_files_for(user=user).count(),
    }


def test_an_unverified_member_sees_none_of_the_organisations_work(
    newcomer, verified_colleague, colleagues_case, colleagues_draft
):
    assert newcomer.organisation == colleagues_case.referral.organisation
    everything = {"drafts": 1, "referrals": 1, "evidence": 1, "cases": 1, "letters": 1, "files": 1}
    assert everything_of_the_organisation(verified_colleague) == everything
    assert everything_of_the_organisation(newcomer) == dict.fromkeys(everything, 0)


def test_an_unverified_member_sees_and_sends_their_own_work(newcomer, colleagues_case, colleagues_draft):
    own_draft = draft_create(actor=newcomer)
    own_referral = SubmittedReferralFactory(
        draft__organisation=newcomer.organisation, draft__created_by=newcomer, reference="NRM-2026-999001"
    )
    own_case = AwaitingRgCaseFactory(referral=own_referral)

    assert list(drafts_for(user=newcomer)) == [own_draft]
    assert list(referrals_for(user=newcomer)) == [own_referral]
    assert list(cases_referred_by(user=newcomer)) == [own_case]
    draft_save_page(
        draft_id=own_draft.pk,
        actor=newcomer,
        page_slug="under-18",
        page_answers={"under_18": "no"},
        expected_version=own_draft.version,
    )


def test_an_unverified_member_cannot_change_or_act_on_the_organisations_work(
    newcomer, colleagues_case, colleagues_draft
):
    with pytest.raises(PermissionDenied):
        draft_save_page(
            draft_id=colleagues_draft.pk,
            actor=newcomer,
            page_slug="under-18",
            page_answers={"under_18": "no"},
            expected_version=colleagues_draft.version,
        )
    information_request = colleagues_case.information_requests.get()
    assert not can_answer_information_request(newcomer, information_request.case)
    assert not can_request_reconsideration(newcomer, colleagues_case)


def test_every_page_of_the_organisations_work_is_not_found_for_an_unverified_member(
    client, newcomer, colleagues_case, colleagues_draft
):
    case = colleagues_case
    information_request = case.information_requests.get()
    client.force_login(newcomer)
    urls = [
        reverse("referrals:detail", args=[case.reference]),
        reverse("casework:open", args=[case.reference]),
        reverse("casework:letter", args=[case.decisions.get().letter.pk]),
        reverse("casework:file", args=[information_request.files.get().pk]),
        reverse("referrals:evidence_download", args=[case.referral.draft.evidence.get().pk]),
        reverse("casework:answer_information_request", args=[case.reference, information_request.pk]),
        reverse("referrals:task_list", kwargs={"pk": colleagues_draft.pk}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("referrals:list")).text
    assert case.reference not in listing
    assert "Your referrals" in listing


def test_an_unverified_member_hears_nothing_of_the_organisations_referrals(
    newcomer, verified_colleague, colleagues_case
):
    submitter = colleagues_case.referral.submitted_by
    submitter.is_active = False  # left: their colleagues are told instead
    submitter.save()
    colleagues_case.referral.answers = {"police_force": colleagues_case.referral.organisation.name}
    colleagues_case.referral.save()

    assert verified_colleague in referrer_recipients(colleagues_case)
    assert newcomer not in referrer_recipients(colleagues_case)
    assert newcomer not in police_recipients(colleagues_case)
    ask(colleagues_case)
    assert Notification.objects.filter(recipient=verified_colleague, kind="information_requested").exists()
    assert not Notification.objects.filter(recipient=newcomer).exclude(kind__startswith="membership_").exists()


def test_once_approved_the_member_sees_all_the_organisations_work(
    newcomer, colleagues_case, colleagues_draft, organisation
):
    spoc = UserFactory(role=Role.ORGANISATION_ADMIN, organisation=organisation)
    membership_request_approve(request_id=newcomer.membership_requests.get().pk, actor=spoc)
    newcomer.refresh_from_db()
    assert everything_of_the_organisation(newcomer) == {
        "drafts": 1,
        "referrals": 1,
        "evidence": 1,
        "cases": 1,
        "letters": 1,
        "files": 1,
    }
    assert can_answer_information_request(newcomer, colleagues_case)
