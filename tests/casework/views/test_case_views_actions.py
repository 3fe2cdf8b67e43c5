"""The other action pages through the views: assignment, notes, information requests, suspension, withdrawal,
transfer, duplicates and disqualification; each happy path, its validation and its refusals."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from casework.models import Case, CaseEvent, CaseNote, InformationRequest
from casework.services import default_due_date, information_request_create
from tests.casework.views.helpers import PDF_BYTES, answered_case, error_summary, messages_of, staff

pytestmark = pytest.mark.django_db


def url(name, case, *args):
    return reverse(f"casework:{name}", args=[case.reference, *args])


# Assignment --------------------------------------------------------------------------------------------------


def test_a_caseworker_assigns_an_unassigned_case_to_themselves(client, sca, case):
    Case.objects.filter(pk=case.pk).update(assignee=None)
    case.refresh_from_db()
    colleague = staff(sca, full_name="Cam Colleague")
    client.force_login(colleague)
    html = client.get(url("assign", case)).content.decode()  # the page a caseworker reaches without the button
    assert f'type="hidden" name="assignee" value="{colleague.pk}"' in html
    data = {"version": case.version, "assignee": colleague.pk}
    response = client.post(url("assign", case), data, follow=True)
    assert messages_of(response) == [f"{case.reference} is assigned to you"]
    case.refresh_from_db()
    assert case.assignee == colleague
    assert response.context["page"].can_release


def test_a_caseworker_cannot_give_a_case_to_someone_else(client, sca, caseworker, case):
    Case.objects.filter(pk=case.pk).update(assignee=None)
    case.refresh_from_db()
    colleague = staff(sca)
    client.force_login(colleague)
    response = client.post(url("assign", case), {"version": case.version, "assignee": caseworker.pk})
    assert response.status_code == 200
    assert error_summary(response) == ["Only a manager can assign a case to someone else"]
    case.refresh_from_db()
    assert case.assignee is None


def test_a_manager_reassigns_from_a_list_of_the_authoritys_staff(client, sca, ieca, caseworker, manager, case):
    other = staff(sca, full_name="Ola Other")
    outsider = staff(ieca, full_name="Ian Outsider")
    gone = staff(sca, full_name="Gone Away", is_active=False)
    client.force_login(manager)
    response = client.get(url("assign", case))
    html = response.content.decode()
    assert "Ola Other (Caseworker)" in html
    assert "Morgan Manager (Manager)" in html
    assert outsider.full_name not in html
    assert gone.full_name not in html
    response = client.post(url("assign", case), {"version": case.version, "assignee": outsider.pk})
    assert error_summary(response) == ["Select someone from your authority"]
    response = client.post(url("assign", case), {"version": case.version, "assignee": other.pk}, follow=True)
    assert messages_of(response) == [f"{case.reference} is assigned to Ola Other"]
    case.refresh_from_db()
    assert case.assignee == other


def test_releasing_puts_the_case_back_in_the_queue(client, caseworker, case):
    client.force_login(caseworker)
    assert client.get(url("release", case)).status_code == 200  # a confirmation page without JavaScript
    response = client.post(url("release", case), {"version": case.version}, follow=True)
    assert messages_of(response) == [f"{case.reference} is back in the queue"]
    case.refresh_from_db()
    assert case.assignee is None
    assert case.events.last().kind == CaseEvent.Kind.RELEASED


def test_release_with_a_stale_version_is_refused(client, caseworker, manager, case):
    client.force_login(manager)
    client.post(url("suspend", case), {"version": case.version, "reason": "Missing from accommodation."})
    client.force_login(caseworker)
    response = client.post(url("release", case), {"version": case.version})
    assert response.status_code == 409
    assert error_summary(response)[0].startswith("Someone else changed this case")
    case.refresh_from_db()
    assert case.assignee == caseworker


# Notes -------------------------------------------------------------------------------------------------------


def test_a_note_is_added_and_shown(client, manager, case):
    client.force_login(manager)
    response = client.post(url("add_note", case), {"text": "Asked the police for the crime report."}, follow=True)
    assert response.redirect_chain == [(f"{case.get_absolute_url()}#notes", 302)]
    assert messages_of(response) == ["Note added"]
    assert "Asked the police for the crime report." in response.content.decode()
    assert case.notes.get().author == manager


def test_an_empty_note_is_refused_on_its_own_page(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(url("add_note", case), {"text": "   "})
    assert response.status_code == 200
    assert error_summary(response) == ["Enter the note"]
    assert "<title>Error: Add a note" in response.content.decode()
    assert not case.notes.exists()


# Information requests ----------------------------------------------------------------------------------------


def test_the_due_date_is_prefilled_with_the_default(client, caseworker, case):
    client.force_login(caseworker)
    html = client.get(url("request_information", case)).content.decode()
    due = default_due_date(case)
    assert f'name="due_date_0" value="{due.day}"' in html
    assert f'name="due_date_1" value="{due.month}"' in html
    assert 'type="file" name="files"' in html
    assert "multiple" in html
    assert 'enctype="multipart/form-data"' in html


def request_data(case, **extra):
    due = default_due_date(case)
    return {
        "version": case.version,
        "question": "Was an interpreter present at the interview?",
        "due_date_0": due.day,
        "due_date_1": due.month,
        "due_date_2": due.year,
        **extra,
    }


def test_information_is_requested_with_several_files(client, caseworker, case):
    client.force_login(caseworker)
    files = [SimpleUploadedFile("letter.pdf", PDF_BYTES), SimpleUploadedFile("form.pdf", PDF_BYTES)]
    response = client.post(url("request_information", case), request_data(case, files=files), follow=True)
    due = default_due_date(case)
    assert messages_of(response) == [f"Information requested from the first responder, due {due:%-d %B %Y}"]
    request = case.information_requests.get()
    assert (request.question, request.due_date, request.state) == (
        "Was an interpreter present at the interview?",
        due,
        InformationRequest.State.OPEN,
    )
    assert sorted(request.files.values_list("original_name", flat=True)) == ["form.pdf", "letter.pdf"]
    html = response.content.decode()
    for case_file in request.files.all():  # not downloadable before the virus scan
        assert reverse("casework:file", args=[case_file.pk]) not in html
    assert html.count("Being checked for viruses") == 2


def test_a_missing_question_keeps_the_due_date_and_asks_for_the_files_again(client, caseworker, case):
    client.force_login(caseworker)
    data = request_data(case, question="", files=[SimpleUploadedFile("letter.pdf", PDF_BYTES)])
    data["due_date_0"] = "9"
    response = client.post(url("request_information", case), data)
    assert error_summary(response) == ["Enter the information you need"]
    html = response.content.decode()
    assert 'name="due_date_0" value="9"' in html
    assert "Select the files again" in html
    assert not case.information_requests.exists()


def test_a_file_of_the_wrong_type_is_refused_by_the_service(client, caseworker, case):
    client.force_login(caseworker)
    data = request_data(case, files=[SimpleUploadedFile("notes.exe", b"MZ\x90\x00 not a document")])
    response = client.post(url("request_information", case), data)
    assert response.status_code == 200
    summary = error_summary(response)
    assert len(summary) == 1
    assert "PDF" in summary[0]
    assert 'href="#id_files"' in response.content.decode()
    assert "Was an interpreter present at the interview?" in response.content.decode()
    assert not case.information_requests.exists()


def test_a_due_date_in_the_past_is_refused(client, caseworker, case):
    client.force_login(caseworker)
    today = timezone.localdate()
    data = request_data(case, due_date_0=today.day, due_date_1=today.month, due_date_2=today.year)
    assert error_summary(client.post(url("request_information", case), data)) == ["The due date must be in the future"]


def test_a_stale_request_keeps_the_question(client, caseworker, manager, case):
    data = request_data(case)
    client.force_login(manager)
    client.post(url("suspend", case), {"version": case.version, "reason": "Missing."})
    client.post(url("resume", case), {"version": case.version + 1})
    client.force_login(caseworker)
    response = client.post(url("request_information", case), data)
    assert response.status_code == 409
    assert "Was an interpreter present at the interview?" in response.content.decode()


def test_an_open_request_can_be_withdrawn(client, caseworker, case):
    information_request = information_request_create(case_id=case.pk, actor=caseworker, question="Who else was there?")
    case.refresh_from_db()
    client.force_login(caseworker)
    withdraw_url = url("withdraw_information_request", case, information_request.pk)
    assert withdraw_url in client.get(case.get_absolute_url()).content.decode()
    assert "Who else was there?" in client.get(withdraw_url).content.decode()
    response = client.post(withdraw_url, {"version": case.version}, follow=True)
    assert messages_of(response) == ["Information request withdrawn"]
    information_request.refresh_from_db()
    assert information_request.state == InformationRequest.State.WITHDRAWN
    html = client.get(withdraw_url).content.decode()
    assert "This request is withdrawn: it cannot be withdrawn." in html
    assert client.post(withdraw_url, {"version": case.version + 1}).status_code == 200  # refused, said why


def test_a_request_of_another_case_is_not_found(client, caseworker, manager, case):
    other = answered_case(caseworker=caseworker, manager=manager, seed=5)
    information_request = information_request_create(case_id=other.pk, actor=caseworker, question="Who else was there?")
    client.force_login(caseworker)
    assert client.get(url("withdraw_information_request", case, information_request.pk)).status_code == 404


# Suspension, withdrawal, transfer, duplicates, disqualification -------------------------------------------------


def test_suspend_and_resume(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(url("suspend", case), {"version": case.version, "reason": ""})
    assert error_summary(response) == ["Enter why the case is being suspended"]
    data = {"version": case.version, "reason": "Missing from their accommodation since Monday."}
    response = client.post(url("suspend", case), data, follow=True)
    assert messages_of(response)[0].startswith("Case suspended")
    case.refresh_from_db()
    assert case.status == Case.Status.SUSPENDED
    assert case.notes.get(kind=CaseNote.Kind.SUSPENSION).text == data["reason"]
    assert {a.name for a in response.context["page"].actions} == {"resume", "withdraw", "transfer", "mark_duplicate"}
    assert data["reason"] in response.content.decode()  # the timeline gives the reason
    response = client.post(url("resume", case), {"version": case.version, "reason": ""}, follow=True)
    assert messages_of(response) == ["Case resumed"]
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_RG


def test_an_adult_case_is_withdrawn_with_a_reason(client, caseworker, case):
    client.force_login(caseworker)
    data = {"version": case.version, "reason": "They asked to leave the NRM."}
    response = client.post(url("withdraw", case), data, follow=True)
    assert messages_of(response) == ["Case withdrawn"]
    case.refresh_from_db()
    assert case.status == Case.Status.WITHDRAWN
    assert response.context["page"].actions == ()


def test_a_childs_case_withdrawal_is_refused_with_the_reason(client, caseworker, manager):
    case = answered_case(caseworker=caseworker, manager=manager, child=True)
    client.force_login(caseworker)
    response = client.post(url("withdraw", case), {"version": case.version, "reason": "Asked to."})
    assert error_summary(response) == [f"{case.reference} is a child's case: only an adult can withdraw from the NRM"]


def test_a_case_is_transferred_to_the_other_authority(client, ieca, caseworker, case):
    client.force_login(caseworker)
    response = client.get(url("transfer", case))
    html = response.content.decode()
    assert "Immigration Enforcement Competent Authority" in html
    assert "checked" in html  # the only other authority is chosen already
    response = client.post(url("transfer", case), {"version": case.version, "to_authority": ieca.pk, "reason": ""})
    assert error_summary(response) == ["Enter why the case is being transferred"]
    data = {"version": case.version, "to_authority": ieca.pk, "reason": "The person is in immigration detention."}
    response = client.post(url("transfer", case), data, follow=True)
    assert response.redirect_chain == [(reverse("casework:queue"), 302)]  # the case is no longer theirs to open
    assert messages_of(response) == ["Case transferred to Immigration Enforcement Competent Authority"]
    case.refresh_from_db()
    assert (case.authority, case.assignee) == (ieca, None)
    assert client.get(case.get_absolute_url()).status_code == 404


def test_a_case_is_marked_as_a_duplicate_of_another(client, caseworker, manager, case):
    surviving = answered_case(caseworker=caseworker, manager=manager, seed=9)
    client.force_login(caseworker)
    data = {"version": case.version, "surviving_reference": "NRM-2026-999999", "reason": "Same person."}
    response = client.post(url("mark_duplicate", case), data)
    assert error_summary(response) == ["Enter the reference of a case of your authority"]
    assert 'href="#id_surviving_reference"' in response.content.decode()
    data["surviving_reference"] = surviving.reference.lower()
    response = client.post(url("mark_duplicate", case), data, follow=True)
    assert messages_of(response) == [f"Case closed as a duplicate of {surviving.reference}"]
    case.refresh_from_db()
    assert (case.status, case.merged_into) == (Case.Status.MERGED, surviving)
    assert "This case is a duplicate of" in response.content.decode()


def test_a_manager_disqualifies_after_a_positive_reasonable_grounds_decision(client, sca, caseworker, manager):
    case = answered_case(Case.Status.RECOVERY, caseworker=caseworker, manager=manager)
    client.force_login(caseworker)
    assert client.get(url("disqualify", case)).status_code == 404
    client.force_login(manager)
    response = client.post(url("disqualify", case), {"version": case.version, "reason": ""})
    assert error_summary(response) == ["Enter the reasons for disqualification"]
    data = {"version": case.version, "reason": "Convicted of a serious offence."}
    response = client.post(url("disqualify", case), data, follow=True)
    assert messages_of(response)[0].startswith("Disqualified on public order grounds")
    case.refresh_from_db()
    assert case.status == Case.Status.DISQUALIFIED


def test_disqualification_before_a_positive_decision_is_refused(client, manager, case):
    client.force_login(manager)
    response = client.get(url("disqualify", case), follow=True)
    assert messages_of(response) == [
        f"You cannot disqualify on public order grounds now: {case.reference} is awaiting its reasonable grounds "
        "decision"
    ]
    response = client.post(url("disqualify", case), {"version": case.version, "reason": "Convicted."})
    assert error_summary(response) == [
        f"You cannot disqualify on public order grounds because {case.reference} is awaiting its reasonable "
        "grounds decision"
    ]
