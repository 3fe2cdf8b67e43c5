"""The referring organisation's referral page for a case: its served outcomes with their letters, the requests
for information (open and past, with their files), the way to ask for reconsideration, and a fixed query count.

The helpers at the top are shared by the other tests of these pages (test_responder_*.py, test_supported.py,
test_letters.py)."""

from datetime import timedelta

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.models import Case, CaseFile, Decision, InformationRequest, Letter, Policy
from casework.services import information_request_answer, information_request_create, single_competent_authority
from notifications.models import Notification
from tests.casework.factories import case_in_state
from tests.factories import SupportProviderFactory, UserFactory
from tests.uploads.helpers import mark_scanned_clean
from tests.uploads.hostile_files import image_bytes

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = image_bytes("PNG")  # a real image: Pillow reads its header
QUESTION = "Please send the statement taken on 3 March, and say whether an interpreter was present."
ANSWER = "The statement is attached. A Tigrinya interpreter was present throughout."


# --- shared helpers -------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def private_media(settings, tmp_path, monkeypatch):
    """Case files and letters under a temporary directory; staff sign in without an authenticator app."""
    settings.NRM_REQUIRE_STAFF_MFA = False
    storage = FileSystemStorage(location=tmp_path / "private")
    for model in (CaseFile, Letter):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    return storage


def upload(name: str = "statement.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def manager_of_sca():
    return UserFactory(role=Role.MANAGER, organisation=single_competent_authority())


def responder_of(case: Case):
    """The first responder who sent the referral (their organisation is the referring one)."""
    return case.referral.submitted_by


def colleague_of(user, role=Role.FIRST_RESPONDER):
    return UserFactory(role=role, organisation=user.organisation)


def ask(case: Case, *, actor=None, question: str = QUESTION, files=(), due_in_days: int = 10) -> InformationRequest:
    return information_request_create(
        case_id=case.pk,
        actor=actor or manager_of_sca(),
        question=question,
        due_date=timezone.localdate() + timedelta(days=due_in_days),
        uploaded_files=list(files),
    )


def referral_url(case: Case) -> str:
    return reverse("referrals:detail", args=[case.reference])


def answer_url(case: Case, information_request: InformationRequest) -> str:
    return reverse("casework:answer_information_request", args=[case.reference, information_request.pk])


def supported_case_in_state(status: str, *, provider=None, **kwargs) -> Case:
    """A case of an adult who wants support, referred to `provider` (made if not given) at its positive RG."""
    provider = provider or SupportProviderFactory(nation=Nation.ENGLAND)
    Policy.objects.update_or_create(nation=Nation.ENGLAND, defaults={"support_provider": provider})
    answers = {"wants_support": "yes", **kwargs.pop("answers", {})}
    case = case_in_state(status, answers=answers, **kwargs)
    assert case.support_provider == provider
    return case


def count_queries(client, url: str) -> int:
    client.get(url)  # the session is read once before counting
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- the referral's page --------------------------------------------------------------------------------------
def test_the_referral_page_shows_each_served_outcome_with_its_letter(client):
    case = case_in_state(Case.Status.RECOVERY)
    decision = case.decisions.get()
    client.force_login(responder_of(case))
    response = client.get(referral_url(case))
    page = response.text
    assert response.status_code == 200
    assert [d.pk for d in response.context["case_view"].outcomes.decisions] == [decision.pk]
    assert 'data-testid="decision"' in page
    assert "Reasonable grounds" in page
    assert 'govuk-tag--green">Positive' in page
    assert timezone.localtime(decision.served_at).strftime("%-d %B %Y") in page
    assert reverse("casework:letter", args=[decision.letter.pk]) in page
    assert "Recovery period ends" in page
    assert 'data-testid="reconsideration"' not in page  # nothing negative to reconsider


def test_the_referrer_is_told_of_each_served_decision_by_reference_only():
    case = case_in_state(Case.Status.RG_NEGATIVE_SERVED, answers={"first_name": "Amina", "last_name": "Tesfaye"})
    told = Notification.objects.filter(kind=Notification.Kind.DECISION_SERVED, recipient=responder_of(case))
    assert told.count() == 1
    notification = told.get()
    assert (notification.reference, notification.subject) == (case.reference, case)
    assert "Amina" not in str(notification.__dict__)
    assert "Tesfaye" not in str(notification.__dict__)
    # Nobody outside the authority was told of the proposal that went to review before it was served.
    assert not Notification.objects.filter(kind=Notification.Kind.REVIEW_NEEDED, recipient=responder_of(case))


@pytest.mark.parametrize("status", [Case.Status.RG_NEGATIVE_REVIEW, Case.Status.CG_NEGATIVE_REVIEW])
def test_a_decision_under_review_is_internal(client, status):
    case = case_in_state(status, opened_days_ago=40)
    client.force_login(responder_of(case))
    page = client.get(referral_url(case)).text
    assert "Negative" not in page
    assert 'data-testid="reconsideration"' not in page
    if status == Case.Status.RG_NEGATIVE_REVIEW:
        assert 'data-testid="no-decisions"' in page
        assert "Awaiting reasonable grounds decision" in page
    else:  # the positive RG before it is served, the proposed CG is not
        assert page.count('data-testid="decision"') == 1
        assert "Awaiting conclusive grounds decision" in page


def test_a_served_negative_decision_offers_reconsideration_until_the_last_date(client):
    case = case_in_state(Case.Status.RG_NEGATIVE_SERVED)
    decision = case.decisions.get()
    client.force_login(responder_of(case))
    page = client.get(referral_url(case)).text
    assert 'govuk-tag--red">Negative' in page
    assert 'data-testid="reconsideration"' in page
    assert reverse("casework:responder_reconsideration", args=[case.reference]) in page
    assert f"The last date to ask is <strong>{decision.reconsideration_deadline:%-d %B %Y}</strong>" in page

    Decision.objects.filter(pk=decision.pk).update(reconsideration_deadline=timezone.localdate() - timedelta(days=1))
    page = client.get(referral_url(case)).text
    assert "You can still ask, but you will need to explain the exceptional circumstances" in page


def test_the_page_lists_open_and_past_requests_with_their_files(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    manager = manager_of_sca()
    answered = ask(case, actor=manager, question="What is their preferred language?")
    responder = responder_of(case)
    information_request_answer(request_id=answered.pk, actor=responder, answer="Tigrinya", uploaded_files=[upload()])
    open_request = ask(case, actor=manager, files=[upload("letter from school.pdf")])
    InformationRequest.objects.filter(pk=open_request.pk).update(due_date=timezone.localdate() - timedelta(days=2))
    mark_scanned_clean()
    client.force_login(colleague_of(responder))
    response = client.get(referral_url(case))
    page = response.text
    assert [item.pk for item in response.context["case_view"].open_requests] == [open_request.pk]
    assert [item.pk for item in response.context["case_view"].past_requests] == [answered.pk]
    assert page.count('data-testid="information-request"') == 2
    assert "Please send the statement taken on 3 March" in page
    assert page.count('data-testid="overdue"') == 1
    assert answer_url(case, open_request) in page
    assert answer_url(case, answered) not in page  # answered: nothing more to do
    assert "letter from school.pdf" in page
    question_file = open_request.files.get()
    assert reverse("casework:file", args=[question_file.pk]) in page
    assert "Tigrinya" in page
    assert reverse("casework:file", args=[answered.files.get(is_answer=True).pk]) in page


def test_a_duty_to_notify_or_a_case_without_requests_says_so(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    client.force_login(responder_of(case))
    page = client.get(referral_url(case)).text
    assert 'data-testid="no-information-requests"' in page
    assert 'data-testid="no-decisions"' in page


def test_the_referral_page_makes_the_same_queries_however_many_requests_and_files(client):
    case = case_in_state(Case.Status.AWAITING_RG)
    manager = manager_of_sca()
    client.force_login(responder_of(case))
    ask(case, actor=manager, files=[upload()])
    few = count_queries(client, referral_url(case))
    for number in range(4):
        answered = ask(case, actor=manager, files=[upload(), upload("photo.png", PNG_BYTES)])
        information_request_answer(
            request_id=answered.pk, actor=responder_of(case), answer=f"Answer {number}", uploaded_files=[upload()]
        )
    assert count_queries(client, referral_url(case)) == few


def test_the_referral_page_makes_the_same_queries_however_many_reconsiderations(client):
    from casework.services import reconsideration_decline, reconsideration_request

    case = case_in_state(Case.Status.RG_NEGATIVE_SERVED)
    responder = responder_of(case)
    client.force_login(responder)
    none_yet = count_queries(client, referral_url(case))
    manager = manager_of_sca()
    for number in range(3):
        request = reconsideration_request(
            case_id=case.pk, actor=responder, grounds=["new_evidence"], details=f"New statement {number}."
        )
        reconsideration_decline(reconsideration_id=request.pk, actor=manager, reasons="Nothing new in it.")
    assert count_queries(client, referral_url(case)) == none_yet
    page = client.get(referral_url(case)).text
    assert page.count('data-testid="reconsideration-row"') == 3
    assert "Nothing new in it." in page
    assert 'data-testid="reconsideration"' in page  # declined: it can be asked again
