"""The case page: who may open it (404 for everyone else), what it shows, the actions it offers, the access log
and its query count."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from casework.models import AccessLogEntry, Case, CaseEvent
from casework.services import (
    case_add_note,
    case_assign,
    case_release,
    information_request_answer,
    information_request_create,
)
from tests.casework.views.helpers import PDF_BYTES, answered_case, staff
from tests.factories import UserFactory
from tests.panels.factories import panel_with_members

pytestmark = pytest.mark.django_db


def action_urls(case: Case) -> dict[str, str]:
    """Every page of the case for its authority's staff (ids of rows that exist or not: scope comes first)."""
    names = [
        "case", "assign", "release", "add_note", "referral_pdf", "rg_decision", "cg_decision",
        "request_information", "request_reconsideration", "suspend", "resume", "withdraw", "transfer",
        "mark_duplicate", "disqualify",
    ]  # fmt: skip
    urls = {name: reverse(f"casework:{name}", args=[case.reference]) for name in names}
    urls["review_decision"] = reverse("casework:review_decision", args=[case.reference, 1])
    urls["withdraw_information_request"] = reverse("casework:withdraw_information_request", args=[case.reference, 1])
    urls["decide_reconsideration"] = reverse("casework:decide_reconsideration", args=[case.reference, 1])
    return urls


# Who may open it ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.MANAGER])
def test_the_authoritys_staff_open_the_case_page(client, sca, case, role):
    client.force_login(staff(sca, role))
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert case.reference in response.content.decode()


def other_users(case: Case, ieca) -> dict:
    return {
        "ieca caseworker": staff(ieca, Role.CASEWORKER),
        "ieca manager": staff(ieca, Role.MANAGER),
        "the referring first responder": case.referral.submitted_by,
        "panel member": UserFactory(role=Role.PANEL_MEMBER),
        "panel chair": UserFactory(role=Role.PANEL_CHAIR),
        "support provider": UserFactory(role=Role.SUPPORT_PROVIDER),
        "analyst of the same authority": UserFactory(role=Role.ANALYST, organisation=case.authority),
        "administrator": UserFactory(role=Role.ADMIN),
    }


def test_every_case_page_is_not_found_for_anyone_else(client, ieca, case):
    for who, user in other_users(case, ieca).items():
        client.force_login(user)
        for name, url in action_urls(case).items():
            codes = {client.get(url).status_code, client.post(url, {"version": case.version}).status_code}
            assert 404 in codes, (who, name)  # and 405 for the method a page does not take
            assert codes <= {404, 405}, (who, name)
    assert not AccessLogEntry.objects.exists()
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_RG
    assert case.notes.count() == 0


def test_an_ieca_case_is_not_found_for_sca_staff_and_opens_for_ieca_staff(client, sca, ieca, manager):
    ieca_caseworker = staff(ieca)
    ieca_case = answered_case(caseworker=ieca_caseworker, manager=staff(ieca, Role.MANAGER))
    client.force_login(manager)
    assert client.get(ieca_case.get_absolute_url()).status_code == 404
    client.force_login(ieca_caseworker)
    assert client.get(ieca_case.get_absolute_url()).status_code == 200


def test_signed_out_visitors_are_asked_to_sign_in(client, case):
    response = client.get(case.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_unknown_reference_is_not_found(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("casework:case", args=["NRM-2026-999999"])).status_code == 404


# What it shows -----------------------------------------------------------------------------------------------


def test_the_page_summarises_the_person_from_the_referral(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(case.get_absolute_url())
    person = dict(response.context["page"].person)
    answers = case.referral.answers
    assert person["Name"].startswith(f"{answers['first_name']} {answers['last_name']}")
    born = case.referral.date_of_birth
    assert person["Date of birth"].startswith(f"{born.day} {born:%B %Y} (age ")
    assert person["Child or adult"].startswith("Adult")
    assert person["Nationality"] == ", ".join(case.referral.nationalities)
    assert person["Nation"] == "England"
    assert person["Gender"] in ("Female", "Male", "They do not identify as male or female")
    html = response.content.decode()
    assert "Awaiting reasonable grounds decision" in html
    assert "Casey Worker" in html  # the assignee


def test_the_referral_is_shown_by_section_with_its_pdf_and_evidence(client, caseworker, case):
    from referrals.models import EvidenceFile

    evidence = EvidenceFile(
        draft=case.referral.draft, original_name="statement.pdf", content_type="application/pdf", size=10,
        description="Witness statement", uploaded_by=case.referral.submitted_by, scan_status="clean",
    )  # fmt: skip
    evidence.file.save("ignored", ContentFile(PDF_BYTES))
    client.force_login(caseworker)
    response = client.get(case.get_absolute_url())
    html = response.content.decode()
    titles = [block["section"].title for block in response.context["page"].summary]
    assert "Types of exploitation" in titles
    assert "About the person" in titles
    assert reverse("casework:referral_pdf", args=[case.reference]) in html
    assert reverse("referrals:evidence_download", args=[evidence.pk]) in html
    assert "Witness statement" in html
    assert client.get(reverse("referrals:evidence_download", args=[evidence.pk])).status_code == 200


def test_the_referral_pdf_downloads_and_is_logged(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(reverse("casework:referral_pdf", args=[case.reference]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f'filename="{case.reference}.pdf"' in response["Content-Disposition"]
    entry = AccessLogEntry.objects.get()
    assert (entry.case, entry.user, entry.what) == (case, caseworker, AccessLogEntry.What.REFERRAL_PDF)


def test_each_view_of_the_page_is_written_to_the_access_log(client, caseworker, manager, case):
    client.force_login(caseworker)
    client.get(case.get_absolute_url())
    client.get(case.get_absolute_url())
    client.force_login(manager)
    client.get(case.get_absolute_url())
    entries = list(AccessLogEntry.objects.order_by("pk").values_list("user", "what"))
    assert entries == [(caseworker.pk, "case"), (caseworker.pk, "case"), (manager.pk, "case")]


def test_deadlines_show_days_left_and_overdue_ones_are_highlighted(client, caseworker, manager):
    late = answered_case(caseworker=caseworker, manager=manager, opened_days_ago=12)
    information_request_create(case_id=late.pk, actor=caseworker, question="Who was present?")
    client.force_login(caseworker)
    response = client.get(late.get_absolute_url())
    rows = {deadline.label: deadline for deadline in response.context["page"].deadlines}
    rg = rows["Reasonable grounds decision due"]
    assert rg.overdue
    assert rg.countdown.startswith("Overdue by ")
    information = rows["Information request due"]
    assert not information.overdue
    assert information.countdown.endswith(" days left")
    html = response.content.decode()
    assert '<strong class="govuk-tag govuk-tag--red">Overdue by' in html


def test_the_timeline_tells_each_event_in_words(client, caseworker, manager, case):
    note = case_add_note(case_id=case.pk, actor=caseworker, text="Called the first responder about the interview.")
    information_request = information_request_create(
        case_id=case.pk, actor=caseworker, question="Was an interpreter there?"
    )
    information_request_answer(
        request_id=information_request.pk, actor=case.referral.submitted_by, answer="Yes, in Arabic."
    )
    case_release(case_id=case.pk, actor=caseworker)
    case_assign(case_id=case.pk, actor=manager, assignee=caseworker)
    client.force_login(caseworker)
    response = client.get(case.get_absolute_url())
    timeline = response.context["page"].timeline
    assert [entry.kind for entry in timeline][:5] == [
        CaseEvent.Kind.ASSIGNED,
        CaseEvent.Kind.RELEASED,
        CaseEvent.Kind.INFORMATION_ANSWERED,
        CaseEvent.Kind.INFORMATION_REQUESTED,
        CaseEvent.Kind.NOTE_ADDED,
    ]
    assigned, released, answered, _requested, noted = timeline[:5]
    assert assigned.lines == ("Assigned to Casey Worker",)
    assert assigned.actor == "Morgan Manager"
    assert released.lines == ("Was assigned to Casey Worker",)
    assert answered.link == (
        f"#information-request-{information_request.pk}",
        f"Request due {information_request.due_date:%-d %B %Y}",
    )
    assert noted.lines == (note.text,)
    html = response.content.decode()
    assert "Yes, in Arabic." in html
    assert "Was an interpreter there?" in html


def test_decisions_show_factors_reasons_review_and_the_letter(client, caseworker, manager):
    case = answered_case(Case.Status.RG_NEGATIVE_SERVED, caseworker=caseworker, manager=manager)
    decision = case.decisions.get()
    client.force_login(caseworker)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Negative reasonable grounds decision" in html
    assert decision.reasons in html
    assert reverse("casework:letter", args=[decision.letter.pk]) in html
    assert f"Reconsideration can be asked until {decision.reconsideration_deadline:%-d %B %Y}" in html
    from casework.factors import factor_labels

    for label in factor_labels(decision.factors):
        assert label.replace("'", "&#x27;") in html


def test_possible_duplicates_link_to_cases_in_scope(client, caseworker, manager, ieca):
    first = answered_case(caseworker=caseworker, manager=manager, seed=7)
    second = answered_case(caseworker=caseworker, manager=manager, seed=7)  # the same person, referred again
    Case.objects.filter(pk=first.pk).update(authority=ieca)
    client.force_login(caseworker)
    response = client.get(second.get_absolute_url())
    html = response.content.decode()
    assert "This may be a duplicate" in html
    assert f"{first.reference} (decided by another authority)" in html
    assert reverse("casework:case", args=[first.reference]) not in html
    Case.objects.filter(pk=first.pk).update(authority=second.authority)
    html = client.get(second.get_absolute_url()).content.decode()
    assert reverse("casework:case", args=[first.reference]) in html


# The actions offered -----------------------------------------------------------------------------------------

GATED = [
    "rg_decision", "cg_decision", "request_information", "request_reconsideration", "suspend", "resume",
    "withdraw", "transfer", "mark_duplicate", "disqualify",
]  # fmt: skip


def offered(response) -> set[str]:
    return {action.name for action in response.context["page"].actions}


@pytest.mark.parametrize(
    ("status", "role", "expected"),
    [
        (Case.Status.AWAITING_RG, "assignee",
         {"rg_decision", "request_information", "suspend", "withdraw", "transfer", "mark_duplicate"}),
        # only its caseworker or a manager stops or moves it
        (Case.Status.AWAITING_RG, "colleague", {"mark_duplicate"}),
        (Case.Status.RECOVERY, "assignee",
         {"request_information", "suspend", "withdraw", "transfer", "mark_duplicate"}),
        (Case.Status.RECOVERY, "manager",
         {"request_information", "suspend", "withdraw", "transfer", "mark_duplicate", "disqualify"}),
        (Case.Status.AWAITING_CG, "assignee",
         {"cg_decision", "request_information", "suspend", "withdraw", "transfer", "mark_duplicate"}),
        (Case.Status.RG_NEGATIVE_REVIEW, "manager",
         {"review_decision", "request_information", "suspend", "withdraw", "transfer", "mark_duplicate"}),
        (Case.Status.RG_NEGATIVE_REVIEW, "assignee",
         {"request_information", "suspend", "withdraw", "transfer", "mark_duplicate"}),
        (Case.Status.CG_NEGATIVE_REVIEW, "manager",  # the panel reviews it
         {"request_information", "suspend", "withdraw", "transfer", "mark_duplicate", "disqualify"}),
        (Case.Status.CG_NEGATIVE_SERVED, "assignee", {"request_reconsideration"}),
        (Case.Status.CONFIRMED_VICTIM, "manager", {"suspend", "withdraw", "disqualify"}),
        (Case.Status.SUSPENDED, "assignee", {"resume", "withdraw", "transfer", "mark_duplicate"}),
        (Case.Status.WITHDRAWN, "manager", set()),
        (Case.Status.CLOSED, "manager", set()),
    ],
)  # fmt: skip
def test_the_actions_list_offers_only_legal_moves_and_each_one_opens(
    client, sca, caseworker, manager, status, role, expected
):
    panel_with_members(members=2)  # England's negative CG decisions go to an active panel
    case = answered_case(status, caseworker=caseworker, manager=manager, opened_days_ago=130)
    user = {"assignee": caseworker, "manager": staff(sca, Role.MANAGER), "colleague": staff(sca)}[role]
    client.force_login(user)
    response = client.get(case.get_absolute_url())
    assert offered(response) == expected
    for action in response.context["page"].actions:
        assert client.get(action.url).status_code == 200, action.name
    for name in set(GATED) - expected - {"cg_decision"}:
        response = client.get(reverse(f"casework:{name}", args=[case.reference]))
        assert response.status_code in (302, 404), name  # back to the case saying why, or not this role's page


@pytest.mark.parametrize("name", ["suspend", "withdraw", "transfer"])
def test_a_colleague_is_not_offered_and_cannot_post_a_stop_or_transfer_of_another_caseworkers_case(
    client, sca, ieca, caseworker, manager, name
):
    case = answered_case(Case.Status.AWAITING_RG, caseworker=caseworker, manager=manager)
    case_assign(case_id=case.pk, actor=manager, assignee=caseworker)
    case.refresh_from_db()
    client.force_login(staff(sca))
    assert name not in offered(client.get(case.get_absolute_url()))
    response = client.get(reverse(f"casework:{name}", args=[case.reference]), follow=True)
    assert "is assigned to someone else: ask a manager to reassign it" in response.content.decode()
    data = {"version": case.version, "reason": "Gone.", "to_authority": ieca.pk}
    response = client.post(reverse(f"casework:{name}", args=[case.reference]), data)
    assert response.status_code in (200, 403)
    assert "is assigned to someone else" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.authority) == (Case.Status.AWAITING_RG, sca)
    client.force_login(caseworker)
    assert name in offered(client.get(case.get_absolute_url()))


def test_a_childs_case_cannot_be_withdrawn(client, caseworker, manager):
    case = answered_case(caseworker=caseworker, manager=manager, child=True)
    client.force_login(caseworker)
    assert "withdraw" not in offered(client.get(case.get_absolute_url()))
    response = client.get(reverse("casework:withdraw", args=[case.reference]), follow=True)
    assert "only an adult can withdraw from the NRM" in response.content.decode()


def test_during_the_recovery_period_the_page_says_when_a_conclusive_decision_can_be_made(client, caseworker, manager):
    case = answered_case(Case.Status.RECOVERY, caseworker=caseworker, manager=manager)
    client.force_login(caseworker)
    response = client.get(case.get_absolute_url())
    assert "cg_decision" not in offered(response)
    ends = timezone.localtime(case.recovery_ends_at)
    assert f"once the recovery period ends on {ends:%-d %B %Y}" in response.content.decode()


def test_assignment_buttons_follow_who_has_the_case(client, sca, caseworker, manager, case):
    client.force_login(caseworker)
    page = client.get(case.get_absolute_url()).context["page"]
    assert (page.can_assign_self, page.can_release, page.can_reassign) == (False, True, False)
    client.force_login(staff(sca))
    page = client.get(case.get_absolute_url()).context["page"]
    assert (page.can_assign_self, page.can_release, page.can_reassign) == (False, False, False)
    client.force_login(manager)
    page = client.get(case.get_absolute_url()).context["page"]
    assert (page.can_assign_self, page.can_release, page.can_reassign) == (True, True, True)
    Case.objects.filter(pk=case.pk).update(assignee=None)
    client.force_login(staff(sca))
    response = client.get(case.get_absolute_url())
    page = response.context["page"]
    assert (page.can_assign_self, page.can_release, page.can_reassign) == (True, False, False)
    assert "Assign the case to yourself to make decisions" in response.content.decode()


# Query count -------------------------------------------------------------------------------------------------


def page_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


def grow(case, caseworker, *, notes: int, requests: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for number in range(notes):
        case_add_note(case_id=case.pk, actor=caseworker, text=f"Note {number}")
    for number in range(requests):
        information_request = information_request_create(
            case_id=case.pk,
            actor=caseworker,
            question=f"Question {number}",
            uploaded_files=[SimpleUploadedFile(f"q{number}.pdf", PDF_BYTES)],
        )
        information_request_answer(
            request_id=information_request.pk, actor=case.referral.submitted_by, answer=f"Answer {number}"
        )


def test_the_page_makes_the_same_number_of_queries_for_5_and_50_events(client, caseworker, manager):
    small = answered_case(Case.Status.AWAITING_CG, caseworker=caseworker, manager=manager, seed=2, opened_days_ago=40)
    large = answered_case(Case.Status.AWAITING_CG, caseworker=caseworker, manager=manager, seed=3, opened_days_ago=40)
    grow(small, caseworker, notes=1, requests=1)
    grow(large, caseworker, notes=20, requests=14)
    assert small.events.count() <= 10
    assert large.events.count() >= 50
    client.force_login(caseworker)
    page_queries(client, small)  # warm caches (content types, policy)
    assert page_queries(client, small) == page_queries(client, large)
    assert page_queries(client, large) <= 30


def test_the_page_of_a_case_with_a_request_and_no_decision_reads_each_kind_of_row_once(client, caseworker, manager):
    """The session and the user (2), the case with its referral, the access log row, then one query per kind of
    row: events, notes, decisions, panel work, requests, the people every row names, files, possible duplicates,
    evidence; the unread notifications of the header. No reconsiderations are read for a case with no decision,
    and the panel that decides the case is taken from its panel work rather than asked again."""
    case = answered_case(Case.Status.AWAITING_RG, caseworker=caseworker, manager=manager, seed=4)
    information_request_create(case_id=case.pk, actor=caseworker, question="Where was the person found?")
    client.force_login(caseworker)
    page_queries(client, case)  # warm caches (content types, policy)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert not any("casework_reconsideration" in query["sql"] for query in queries)
    assert not any("panels_panel" in query["sql"] and "LIMIT 1" in query["sql"] for query in queries)
    assert len(queries) == 14
