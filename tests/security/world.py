"""Two sides of the service, each with a user of every role and an object of every kind a URL can name, made
through the real services: the security tests (the permission matrix, the hostile-input test) point one side's
users at the other side's objects, or at their own.

Every URL parameter the project's URL conf uses must be known to `candidates_for`: a new page with a new kind of
parameter fails the matrix until it is added here, so the matrix stays generated from the URL conf."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import MembershipRequest, Organisation, User
from accounts.roles import Role
from casework.models import Case, CaseFile, Decision, Letter, Reconsideration
from casework.services import (
    case_add_note,
    information_request_create,
    reconsideration_request,
)
from notifications.models import Notification
from partners.models import ApiClient, Partnership, PathwayContact, WebhookEndpoint
from partners.services.clients import api_client_create
from partners.services.webhooks import webhook_endpoint_create
from referrals.demo_answers import complete_answers
from referrals.models import Draft, EvidenceFile, Route
from referrals.services.drafts import draft_create
from referrals.services.evidence import evidence_add
from tests.casework.factories import DutyToNotifyReferralFactory, case_in_state
from tests.factories import (
    AuthorityFactory,
    FirstResponderOrganisationFactory,
    PanelBodyFactory,
    SupportProviderFactory,
    UserFactory,
)
from tests.fixtures.project_data import ensure_project_data

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def a_pdf(name: str = "statement.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@dataclass
class Side:
    """One organisation of each kind, a user of every role in the organisation that role belongs to, and the
    objects those users work on."""

    label: str
    responder_org: Organisation
    authority: Organisation
    provider: Organisation
    panel_body: Organisation
    users: dict[str, User] = field(default_factory=dict)
    drafts: list[Draft] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    references: list[str] = field(default_factory=list)

    # The objects of each kind on this side, by the id a URL would carry.
    def ids(self, model) -> list[int]:
        scopes = {
            Draft: Draft.objects.filter(organisation=self.responder_org),
            EvidenceFile: EvidenceFile.objects.filter(draft__organisation=self.responder_org),
            CaseFile: CaseFile.objects.filter(case__authority=self.authority),
            Letter: Letter.objects.filter(decision__case__authority=self.authority),
            Decision: Decision.objects.filter(case__authority=self.authority),
            Reconsideration: Reconsideration.objects.filter(case__authority=self.authority),
            Notification: Notification.objects.filter(recipient__in=self.users.values()),
            User: User.objects.filter(organisation=self.responder_org),
            MembershipRequest: MembershipRequest.objects.filter(organisation=self.responder_org),
            ApiClient: ApiClient.objects.filter(organisation=self.responder_org),
            Partnership: Partnership.objects.filter(member_organisations=self.responder_org),
            PathwayContact: PathwayContact.objects.filter(partnership__member_organisations=self.responder_org),
            WebhookEndpoint: WebhookEndpoint.objects.filter(client__organisation=self.responder_org),
        }
        if model.__name__ == "InformationRequest":
            return list(model.objects.filter(case__authority=self.authority).values_list("pk", flat=True))
        return list(scopes[model].order_by("pk").values_list("pk", flat=True))


def organisation_for_role(side: Side, role: str) -> Organisation:
    if role in (Role.CASEWORKER, Role.MANAGER, Role.ANALYST, Role.ADMIN):
        return side.authority
    if role in (Role.PANEL_CHAIR, Role.PANEL_MEMBER):
        return side.panel_body
    if role == Role.SUPPORT_PROVIDER:
        return side.provider
    # First responders and every first responder role added later (the organisation's administrator).
    return side.responder_org


def build_side(label: str) -> Side:
    ensure_project_data()
    side = Side(
        label=label,
        responder_org=FirstResponderOrganisationFactory(name=f"{label} Constabulary", email_domains=[f"{label}.test"]),
        authority=AuthorityFactory(name=f"{label} Competent Authority", short_name=label[:6].upper()),
        provider=SupportProviderFactory(name=f"{label} Support", email_domains=[]),
        panel_body=PanelBodyFactory(name=f"{label} Panel", email_domains=[]),
    )
    for role in Role:
        side.users[role.value] = UserFactory(
            role=role, organisation=organisation_for_role(side, role), email=f"{role.value}@{label.lower()}.test"
        )
    responder = side.users[Role.FIRST_RESPONDER.value]
    caseworker, manager = side.users[Role.CASEWORKER.value], side.users[Role.MANAGER.value]

    draft = draft_create(actor=responder)
    # Every page of an adult's NRM referral applies to it (the number and date questions among them).
    answers = complete_answers(Route.ADULT, organisation_name=side.responder_org.name)
    Draft.objects.filter(pk=draft.pk).update(answers=answers)
    evidence_add(draft_id=draft.pk, actor=responder, uploaded_file=a_pdf(), description="Witness statement")
    side.drafts.append(draft)

    def case(status: str, **kwargs) -> Case:
        made = case_in_state(
            status,
            caseworker=caseworker,
            manager=manager,
            authority=side.authority,
            draft__organisation=side.responder_org,
            draft__created_by=responder,
            **kwargs,
        )
        side.cases.append(made)
        return made

    awaiting = case(Case.Status.AWAITING_RG)
    Case.objects.filter(pk=awaiting.pk).update(assignee=caseworker)
    information_request_create(
        case_id=awaiting.pk,
        actor=caseworker,
        question="Please send the account the person gave at the first meeting.",
        uploaded_files=[a_pdf("questions.pdf")],
    )
    case_add_note(case_id=awaiting.pk, actor=caseworker, text="Spoke to the first responder by phone.")
    case(Case.Status.RG_NEGATIVE_REVIEW)
    served = case(Case.Status.RG_NEGATIVE_SERVED)
    reconsideration_request(
        case_id=served.pk,
        actor=responder,
        grounds=["new_evidence"],
        details="The person has since given a fuller account, attached.",
        uploaded_files=[a_pdf("account.pdf")],
    )
    supported = case(Case.Status.CONFIRMED_VICTIM, opened_days_ago=45)
    Case.objects.filter(pk=supported.pk).update(support_provider=side.provider)
    dtn = DutyToNotifyReferralFactory(
        draft__organisation=side.responder_org, draft__created_by=responder, submitted_at=timezone.now() - timedelta(1)
    )
    side.references = [made.reference for made in side.cases] + [dtn.reference]
    api_client_create(
        actor=side.users[Role.ORGANISATION_ADMIN.value],
        organisation=side.responder_org,
        name=f"{label} case system",
        scopes=["referrals:read"],
    )
    webhook_endpoint_create(
        client=api_client_create(
            actor=side.users[Role.ORGANISATION_ADMIN.value],
            organisation=side.responder_org,
            name=f"{label} webhooks",
            scopes=["referrals:read"],
        ).client,
        url=f"https://hooks.{label.lower()}.example/nrm",
        events=[],
    )
    partnership = Partnership.objects.create(name=f"{label} Anti-Slavery Partnership")
    partnership.member_organisations.set([side.responder_org])
    partnership.coordinators.set([side.users[Role.PARTNERSHIP_COORDINATOR.value]])
    PathwayContact.objects.create(partnership=partnership, kind="ssl", name=f"{label} lead", phone="0121 496 0000")
    asker = UserFactory(role=Role.FIRST_RESPONDER, organisation=None, email=f"asker@{label.lower()}.gov.uk")
    MembershipRequest.objects.create(
        user=asker, organisation=side.responder_org, expires_at=timezone.now() + timedelta(days=30)
    )
    return side


def page_slugs() -> list[str]:
    from referrals.questions import QUESTIONNAIRE

    return [page.slug for section in QUESTIONNAIRE.sections for page in section.pages]


# Parameters that name no one's objects: a statistics table and a download format are the same for everyone who
# may see statistics at all (who may is tests/insights/test_access.py's matrix). Pages taking only these are not
# in the permission matrix; the hostile-input test still fills them.
NAMES_NO_OBJECT = frozenset({"key", "file_format"})


def names_an_object(page) -> bool:
    return bool(set(page.params) - NAMES_NO_OBJECT)


def values_for(param: str, namespace: str, side: Side) -> list:
    """The values of one URL parameter that name `side`'s objects."""
    from casework.models import InformationRequest
    from insights.tables import TABLES

    by_param = {
        "reference": lambda: side.references,
        "pk": lambda: side.ids({"notifications": Notification, "partnerships": Partnership}.get(namespace, Draft)),
        "contact_id": lambda: side.ids(PathwayContact),
        "file_id": lambda: side.ids(EvidenceFile) if namespace == "referrals" else side.ids(CaseFile),
        "letter_id": lambda: side.ids(Letter),
        "decision_id": lambda: side.ids(Decision),
        "request_id": lambda: (
            side.ids(MembershipRequest) if namespace == "organisation" else side.ids(InformationRequest)
        ),
        "member_id": lambda: side.ids(User),
        "api_client_id": lambda: side.ids(ApiClient),
        "reconsideration_id": lambda: side.ids(Reconsideration),
        "webhook_id": lambda: side.ids(WebhookEndpoint),
        "slug": lambda: page_slugs()[:1],
        "key": lambda: [TABLES[0].key],
        "file_format": lambda: ["csv"],
    }
    if param not in by_param:
        raise KeyError(
            f"A URL takes a parameter {param!r} that tests/security/world.py cannot fill: add the objects it names "
            "to the world, so that the permission matrix and the hostile-input test cover the page"
        )
    return list(by_param[param]())


def url_arguments(page, side: Side, limit: int = 40) -> list[dict]:
    """Every combination of `side`'s objects for `page`'s parameters (at most `limit`)."""
    from itertools import islice, product

    namespace = page.name.split(":")[0]
    names = list(page.params)
    choices = [values_for(name, namespace, side) for name in names]
    return [dict(zip(names, values, strict=True)) for values in islice(product(*choices), limit)]


def sign_in(client, user: User) -> None:
    """Signed in as a user who has set up their authenticator app: the MFA gate lets them through, so the page
    itself answers."""
    from accounts.middleware import StaffMfaRequiredMiddleware

    client.force_login(user)
    session = client.session
    session[StaffMfaRequiredMiddleware.SESSION_KEY] = True
    session.save()
