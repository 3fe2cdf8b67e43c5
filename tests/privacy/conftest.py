"""A person's whole record, made through the casework services (files written straight to their rows, in a
folder of the test's own), and helpers to age it past the retention periods and to look for what is left."""

import os
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from casework.letters import letter_render
from casework.lifecycle_driver import case_policy_overridden
from casework.models import AccessLogEntry, Case, CaseEvent, CaseFile, Decision, Letter, Reconsideration
from casework.services import (
    access_log_record,
    case_add_note,
    case_assign,
    information_request_answer,
    information_request_create,
    reconsideration_decline,
    reconsideration_request,
)
from notifications.models import Notification
from notifications.services import notify
from referrals.models import EvidenceFile
from tests.casework.factories import case_in_state, make_decision
from tests.factories import UserFactory

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
YEARS_AGO_7 = timedelta(days=7 * 366)


@pytest.fixture
def private_files(tmp_path, monkeypatch):
    """Evidence, case files and letters stored under the test's own folder."""
    storage = FileSystemStorage(location=tmp_path / "private")
    for model in (EvidenceFile, CaseFile, Letter):
        monkeypatch.setattr(model._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def authority_staff(project_data):
    from casework.services import single_competent_authority

    sca = single_competent_authority()
    return (
        UserFactory(role=Role.CASEWORKER, organisation=sca),
        UserFactory(role=Role.MANAGER, organisation=sca),
    )


def answers_of(name: str) -> dict:
    first, last = name.split()
    return {
        "nation": "england",
        "under_18": "no",
        "consent": "yes",
        "first_name": first,
        "last_name": last,
        "date_of_birth": "1990-04-01",
        "gender": "female",
        "nationality": "Albanian",
        "exploitation_types": ["labour"],
        "exploited_in": "uk",
        "how_it_started": f"{name} was offered work by a cousin (PRIVATE-{last})",
        "home_office_reference": "A1234567",
        "responder_reference": f"OP-{last}",
    }


@dataclass
class Person:
    name: str
    marker: str  # text found in every free-text field about them
    case: Case

    @property
    def referral(self):
        return self.case.referral


def stored_file(model, storage, **fields):
    row = model(**fields)
    row.file.save("file", ContentFile(PDF), save=False)
    row.save()
    return row


def _reviewed_by_a_panel(case, *, name: str, marker: str, caseworker: User, manager: User) -> Decision:
    """A negative RG an independent panel reviewed (members' views, a declared conflict, a recommendation to
    reconsider) and the authority maintained: every text of it names the person."""
    from casework.models import PanelResponse
    from casework.services import decision_panel_respond
    from panels.models import Panel
    from panels.services import panel_conflict_declare, panel_review_conclude, panel_view_record
    from tests.panels.factories import MembershipFactory, panel_with_members

    panel, chair, members = panel_with_members(members=2, reviews_negative_rg=True)
    conflicted = MembershipFactory(panel=panel)
    # Each person's decision goes to their own panel: the panels made for earlier people have closed.
    Panel.objects.exclude(pk=panel.pk).update(active_to=timezone.localdate() - timedelta(days=1))
    with case_policy_overridden(case, actor=manager, review_negative_rg=True, negative_rg_review_route="panel"):
        decision = make_decision(case, caseworker, outcome="negative", reasons=f"{name}'s account is thin. {marker}")
    panel_case = decision_panel_case(decision)
    for member in members:
        panel_view_record(
            panel_case_id=panel_case.pk, actor=member.user, opinion="recommend_reconsideration", reasons=marker
        )
    panel_conflict_declare(panel_case_id=panel_case.pk, actor=conflicted.user, details=f"I know {name}. {marker}")
    panel_review_conclude(
        panel_case_id=panel_case.pk,
        actor=chair.user,
        recommendation="recommend_reconsideration",
        reasons=f"{name}'s account was not weighed. {marker}",
    )
    decision_panel_respond(
        decision_id=decision.pk,
        actor=manager,
        response=PanelResponse.MAINTAIN,
        reasons=f"{name}'s account was weighed. {marker}",
    )
    return decision


def decision_panel_case(decision):
    from panels.models import PanelCase

    return PanelCase.objects.get(decision=decision)


def person_with_everything(name: str, *, caseworker: User, manager: User, storage) -> Person:
    """A served negative RG, reviewed by a panel whose recommendation the authority did not follow, whose
    reconsideration was declined (an ended case), with evidence, a note, an answered information request, files
    on both, a letter, notifications and an access log entry."""
    last = name.split()[1]
    marker = f"PRIVATE-{last}"
    case = case_in_state(
        Case.Status.AWAITING_RG,
        caseworker=caseworker,
        manager=manager,
        answers=answers_of(name),
        person_name_key=name.casefold(),
        gender="female",
        nationalities=["Albanian"],
        exploitation_types=["labour"],
        exploited_in="uk",
        home_office_reference="A1234567",
        responder_reference=f"OP-{last}",
    )
    referral = case.referral
    responder = referral.submitted_by
    stored_file(
        EvidenceFile, storage, draft=referral.draft, original_name=f"{name} passport.pdf",
        content_type="application/pdf", size=len(PDF), description=f"Passport of {name} ({marker})",
        uploaded_by=responder,
    )  # fmt: skip
    case_assign(case_id=case.pk, actor=manager, assignee=caseworker)
    information_request = information_request_create(
        case_id=case.pk, actor=caseworker, question=f"Where is {name}? {marker}"
    )
    stored_file(
        CaseFile, storage, case=case, information_request=information_request,
        original_name=f"{name} question.pdf", content_type="application/pdf", size=len(PDF), uploaded_by=caseworker,
    )  # fmt: skip
    information_request_answer(request_id=information_request.pk, actor=responder, answer=f"{name} is safe. {marker}")
    stored_file(
        CaseFile, storage, case=case, information_request=information_request, is_answer=True,
        original_name=f"{name} answer.pdf", content_type="application/pdf", size=len(PDF), uploaded_by=responder,
    )  # fmt: skip
    case_add_note(case_id=case.pk, actor=caseworker, text=f"Spoke to {name}'s support worker. {marker}")
    decision = _reviewed_by_a_panel(case, name=name, marker=marker, caseworker=caseworker, manager=manager)
    letter_render(letter_id=Letter.objects.get(decision=decision).pk)
    reconsideration = reconsideration_request(
        case_id=case.pk,
        actor=responder,
        grounds=[Reconsideration.Ground.NEW_EVIDENCE],
        details=f"New statement from {name}. {marker}",
    )
    stored_file(
        CaseFile, storage, case=case, reconsideration=reconsideration, original_name=f"{name} statement.pdf",
        content_type="application/pdf", size=len(PDF), uploaded_by=responder,
    )  # fmt: skip
    reconsideration_decline(
        reconsideration_id=reconsideration.pk, actor=manager, reasons=f"Nothing new about {name}. {marker}"
    )
    access_log_record(user=caseworker, case=case, what=AccessLogEntry.What.CASE)
    case.refresh_from_db()
    assert case.status == Case.Status.RG_NEGATIVE_SERVED
    assert Decision.objects.get(pk=decision.pk).letter.file
    return Person(name=name, marker=marker, case=case)


def age_case(case: Case, by: timedelta = YEARS_AGO_7) -> None:
    """As if everything on the case had happened `by` ago (what the retention clock reads)."""
    then = timezone.now() - by
    CaseEvent.objects.filter(case=case).update(created_at=then)
    if case.closed_at:
        Case.objects.filter(pk=case.pk).update(closed_at=then)


def rows_mentioning(text: str) -> dict[str, int]:
    """Every table (history tables too) with a text or JSON column holding `text`: {model label: rows}."""
    found = {}
    for model in apps.get_models():
        texts = [f.name for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)]
        jsons = [f.name for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
        rows = model._default_manager.annotate(**{f"_{name}_text": Cast(name, models.TextField()) for name in jsons})
        condition = models.Q()
        for name in texts + [f"_{name}_text" for name in jsons]:
            condition |= models.Q(**{f"{name}__icontains": text})
        if condition and (count := rows.filter(condition).count()):
            found[model._meta.label] = count
    return found


def files_in(storage) -> list[str]:
    root = storage.location
    return [os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names]


def notification_about(case: Case, *, days_old: int) -> Notification:
    notification = notify(recipient=case.assignee, kind=Notification.Kind.CASE_ASSIGNED, subject=case,
                          reference=case.reference)  # fmt: skip
    Notification.objects.filter(pk=notification.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return notification
