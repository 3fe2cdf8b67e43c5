"""The world the panel browser journeys (test_panels.py) start from, and the people who act in it.

The world is written as the services would have written it (the casework journeys' `people()`, panels and seats
from tests/panels/factories.py, cases driven by `case_in_state`, whose proposal routes a negative conclusive
grounds decision to the assurance panel covering England). Every staff member and panel person has an
authenticator (TOTP), as outside demo mode they must: they sign in with their password and then its code.

People act on the pages by what those show (the casework driver's `Person`, `Caseworker` and `Manager`), each at
a browser of their own.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Nation, User
from casework.models import Case, Policy, ReviewRoute
from panels.models import Agency, Membership, Panel, PanelCase
from panels.services import panel_meeting_schedule, panel_review_conclude, panel_view_record
from tests.browser.casework_driver import Caseworker, Manager, Person, path_of
from tests.browser.casework_driver.arrange import (
    People,
    adult_answers,
    load_reference_data,
    people,
    referral_fields,
)
from tests.casework.factories import AwaitingRgCaseFactory, SubmittedReferralFactory, case_in_state
from tests.factories import TEST_PASSWORD
from tests.panels.factories import ChairFactory, MembershipFactory, PanelFactory

# Where screenshots go: under the casework driver's /tmp/casework-shots/ (never the repository).
SHOTS_PREFIX = "panels"
# The region of the regional decision-making panel; the assurance journeys' cases are never staying there.
PANEL_REGION = "South West"
OTHER_REGION = "London"
MFA_PATH = "/accounts/2fa/authenticate/"
ALL_SHOTS = os.environ.get("NRM_PANEL_SHOTS") == "all"
ALWAYS_SHOT = frozenset({"reviews", "review", "review-concluded"})

_secrets: dict[int, str] = {}


def with_authenticator(user: User) -> User:
    """`user` with an activated authenticator app (TOTP), whose secret the browser person types codes from."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    _secrets[user.pk] = secret
    return user


def totp_code(user: User, *, step_offset: int = 0) -> str:
    return format_hotp_value(hotp_value(_secrets[user.pk], int(time.time()) // 30 + step_offset))


class FewScreenshots:
    """Full-page screenshots cost time: the landing page and the review page are always taken (to look at by
    hand), every page when NRM_PANEL_SHOTS=all."""

    def screenshot(self, name: str):
        if ALL_SHOTS or name in ALWAYS_SHOT:
            return super().screenshot(name)
        return None


class SignsInWithAuthenticator:
    """Signs in with the password, then the authenticator app's current code (allauth refuses a code used
    before, so a second sign-in in the same 30 seconds waits for the next one)."""

    def sign_in(self) -> None:
        if path_of(self.page) != "/accounts/login/":
            self.page.goto("/accounts/login/")
        self.page.get_by_label("Email address").fill(self.user.email)
        self.page.get_by_label("Password").fill(TEST_PASSWORD)
        self.press("Sign in")
        self.assert_no_error_summary(f"signing in as {self.user.email}")
        assert path_of(self.page) == MFA_PATH, f"{self.user.email} was not asked for a code: {self.page.url}"
        self.check_accessible("authenticator-code")
        for attempt in range(2):
            self.page.locator('input[name="code"]').fill(totp_code(self.user))
            self.press(self._code_button())
            if path_of(self.page) != MFA_PATH:
                break
            assert attempt == 0, f"{self.user.email}'s authenticator code was refused twice"
            time.sleep(30 - time.time() % 30 + 0.5)  # the code was used already: the next one
        assert path_of(self.page) not in ("/accounts/login/", MFA_PATH), self.page.url

    def _code_button(self) -> str:
        buttons = self.main().get_by_role("button")
        return buttons.first.inner_text().strip()


@dataclass
class PanelPerson(FewScreenshots, SignsInWithAuthenticator, Person):
    """A panel chair or member: their reviews in tabs, the review page, their view, the chair's conclusion and
    decision, meetings."""

    # --- the reviews -----------------------------------------------------------------------------------------
    def on_reviews(self) -> None:
        expect(self.heading()).to_have_text("Your reviews")
        assert path_of(self.page) == reverse("panels:reviews"), self.page.url

    def open_tab(self, label: str) -> None:
        """A tab of their reviews (from another page, by the "Your reviews" back link first)."""
        if path_of(self.page) != reverse("panels:reviews"):
            self.follow(self.page.get_by_role("link", name="Your reviews", exact=True))
            self.on_reviews()
        tab = self.page.get_by_test_id("tabs").get_by_role("link", name=re.compile(rf"^{re.escape(label)} \(\d+\)"))
        self.follow(tab)
        expect(self.page.locator("#reviews").get_by_role("heading", level=2)).to_have_text(label)
        self.seen(f"reviews-{label.lower().replace(' ', '-')}")

    def review_row(self, reference: str):
        return self.page.get_by_test_id("review").filter(has=self.page.get_by_role("link", name=reference))

    def open_review(self, reference: str, *, tab: str) -> None:
        """The review's row in a tab of their reviews, and its link to the review page."""
        self.open_tab(tab)
        self.follow(self.review_row(reference).get_by_role("link", name=reference, exact=True))
        expect(self.heading()).to_have_text(reference)
        self.seen("review")

    def action(self, label: str) -> None:
        self.open_link(label, within=self.page.get_by_test_id("actions"))

    def expect_success(self, text: str) -> None:
        expect(self.page.get_by_role("alert", name="Success")).to_contain_text(text)

    def submit(self, button: str, *, doing: str) -> None:
        self.press(button)
        self.assert_no_error_summary(doing)

    # --- a member's work -------------------------------------------------------------------------------------
    def record_view(self, opinion: str, reasons: str) -> None:
        """From the review page: "Record your view", the opinion chosen by its label, with reasons."""
        self.action("Record your view")
        expect(self.heading()).to_have_text("Your view")
        self.page.get_by_role("group", name=re.compile(r"^(Do you agree|What should)")).get_by_label(
            opinion, exact=True
        ).check()
        self.page.get_by_label("Your reasons").fill(reasons)
        self.seen("record-view")
        self.submit("Save your view", doing="recording a view")
        self.expect_success("Your view is recorded")
        view = self.page.get_by_test_id("view").filter(has_text="Your view")
        expect(view).to_contain_text(opinion)
        expect(view).to_contain_text(reasons)
        self.seen("review-after-view")

    # --- the chair's work ------------------------------------------------------------------------------------
    def conclude(self, recommendation: str, reasons: str) -> None:
        self.action("Conclude the review")
        expect(self.heading()).to_have_text("Conclude the panel's review")
        expect(self.page.get_by_test_id("quorum")).to_have_text("The panel is quorate.")
        self.page.get_by_role("group", name="What is the panel's recommendation?").get_by_label(
            recommendation, exact=True
        ).check()
        self.page.get_by_label("The panel's reasons").fill(reasons)
        self.seen("conclude")
        self.submit("Conclude the review", doing="concluding the review")
        self.expect_success("The panel's review is concluded")
        expect(self.page.get_by_test_id("outcome")).to_contain_text(recommendation)
        expect(self.page.get_by_test_id("outcome")).to_contain_text(reasons)
        self.seen("review-concluded")

    def schedule_meeting(self, *, when, start: str, how: str, where: str, agenda: list[str]) -> None:
        """From the reviews page: "Meetings and your agenda", "Schedule a meeting"."""
        self.open_link("Meetings and your agenda", within=self.page.get_by_test_id("panel-links"))
        expect(self.heading()).to_have_text("Meetings")
        self.seen("meetings")
        self.follow(self.page.get_by_test_id("schedule"))
        expect(self.heading()).to_have_text("Schedule a meeting")
        date = self.page.get_by_role("group", name="Date")
        for label, value in (("Day", when.day), ("Month", when.month), ("Year", when.year)):
            date.get_by_label(label, exact=True).fill(str(value))
        self.page.get_by_label("Start time").fill(start)
        self.page.get_by_role("group", name="How is the meeting held?").get_by_label(how, exact=True).check()
        self.page.get_by_label("Where, or how to join").fill(where)
        cases = self.page.get_by_role("group", name="Which cases are on the agenda?")
        for reference in agenda:
            cases.get_by_label(re.compile(rf"\b{re.escape(reference)}:")).check()
        self.seen("schedule-meeting")
        self.submit("Schedule the meeting", doing="scheduling a meeting")
        self.expect_success("The meeting is scheduled")
        expect(self.heading()).to_have_text(f"Meeting on {when.day} {when:%B %Y}")
        for reference in agenda:
            expect(self.page.get_by_test_id("agenda")).to_contain_text(reference)
        self.seen("meeting")

    def record_attendance(self, names: list[str]) -> None:
        """From the meeting page: "Record who attended", each person ticked by their name."""
        self.open_link("Record who attended", within=self.main())
        expect(self.heading()).to_have_text("Record who attended")
        group = self.page.get_by_role("group", name="Who attended?")
        for name in names:
            group.get_by_label(re.compile(rf"\b{re.escape(name)} \(")).check()
        self.seen("attendance")
        self.submit("Save attendance", doing="recording attendance")
        self.expect_success("Attendance is recorded")
        attendees = self.page.get_by_test_id("attendees")
        for name in names:
            expect(attendees).to_contain_text(name)
        self.seen("meeting-after-attendance")

    def decide(self, outcome: str, reasons: str, *, stage_words: str, negative_reason: str = "") -> None:
        """The panel's decision; a negative one with its main reason (`negative_reason`, the label)."""
        self.action("Record the panel's decision")
        expect(self.heading()).to_have_text(f"Record the panel's decision: {stage_words} decision")
        expect(self.page.get_by_test_id("quorum")).to_have_text("The panel is quorate.")
        self.page.get_by_role("group", name=f"What is the panel's {stage_words} decision?").get_by_label(
            outcome, exact=True
        ).check()
        if outcome == "Negative":
            assert negative_reason, "a negative decision needs its main reason"
            self.page.get_by_role("group", name="What is the main reason for the negative decision?").get_by_label(
                negative_reason, exact=True
            ).check()
        self.page.get_by_label("Reasons for the decision").fill(reasons)
        self.seen("decide")
        self.submit("Record the decision", doing="recording the panel's decision")
        self.expect_success("The panel's decision is recorded and served")
        expect(self.page.get_by_test_id("outcome")).to_contain_text(outcome)
        self.seen("decision-made")


@dataclass
class PanelCaseworker(FewScreenshots, SignsInWithAuthenticator, Caseworker):
    pass


@dataclass
class PanelManager(FewScreenshots, SignsInWithAuthenticator, Manager):
    def respond_to_panel(self, answer: str, *, panel_reasons: str, reasons: str = "") -> None:
        """From the case page: "Respond to the panel's recommendation", `answer` chosen."""
        self.action("Respond to the panel's recommendation")
        expect(self.heading()).to_have_text("Respond to the panel's recommendation")
        expect(self.main()).to_contain_text(panel_reasons)
        self.page.get_by_role(
            "group", name="How does the authority respond to the panel's recommendation?"
        ).get_by_label(answer, exact=True).check()
        if reasons:
            self.page.get_by_label("Reasons").fill(reasons)
        self.seen("respond-to-panel")
        self.submit("Save the response", doing="responding to the panel")


# The world --------------------------------------------------------------------------------------------------------


@dataclass
class Seats:
    panel: Panel
    chair: Membership
    members: list[Membership]


def seats(panel: Panel, *names_and_agencies: tuple[str, str], chair_name: str) -> Seats:
    """The panel's chair and members (panel people with authenticators), named so the pages can be read."""
    chair = ChairFactory(panel=panel, user__full_name=chair_name)
    members = [
        MembershipFactory(panel=panel, agency=agency, user__full_name=name) for name, agency in names_and_agencies
    ]
    for seat in (chair, *members):
        with_authenticator(seat.user)
    return Seats(panel=panel, chair=chair, members=members)


@dataclass
class World:
    cast: People
    answers: dict
    assurance: Seats
    other: Seats

    def review(self) -> PanelCase:
        """A negative conclusive grounds decision proposed on a case of the responder's organisation: casework's
        proposal routes it to the assurance panel covering England."""
        case = case_in_state(
            Case.Status.CG_NEGATIVE_REVIEW,
            opened_days_ago=40,
            caseworker=self.cast.caseworker,
            manager=self.cast.manager,
            authority=self.cast.authority,
            **referral_fields(self.cast.responder, self.answers),
        )
        return PanelCase.objects.get(case=case, state=PanelCase.State.OPEN, panel=self.assurance.panel)


def world() -> World:
    """The SCA's caseworker and manager, a first responder's organisation, the assurance panel covering England
    (a chair and two members) and one covering Wales (a chair and a member): nothing of England's goes there."""
    load_reference_data()
    Policy.objects.filter(nation=Nation.ENGLAND).update(negative_cg_review_route=ReviewRoute.PANEL)
    cast = people()
    for user in (cast.caseworker, cast.manager):
        with_authenticator(user)
    answers = {**adult_answers(cast.responder.organisation), "current_region": OTHER_REGION}
    england = PanelFactory(name="Assurance panel for England")
    assurance = seats(england, ("Priya Police", Agency.POLICE), ("Nia Ngo", Agency.NGO), chair_name="Chris Chair")
    wales = PanelFactory(name="Assurance panel for Wales", nation=Nation.WALES)
    other = seats(wales, ("Wyn Member", Agency.LOCAL_AUTHORITY), chair_name="Gwen Chair")
    return World(cast=cast, answers=answers, assurance=assurance, other=other)


def regional_panel() -> Seats:
    """A regional decision-making panel for the South West: its chair and five members of five agencies, at
    least five of whom must be present to decide."""
    panel = PanelFactory(
        name="South West regional panel",
        kind=Panel.Kind.DECISION_MAKING,
        regions=[PANEL_REGION],
        reviews_negative_cg=False,
        decides_rg=True,
        decides_cg=True,
        quorum_minimum_present=5,
        quorum_requires_chair=False,
    )
    return seats(
        panel,
        ("Paul Police", Agency.POLICE),
        ("Laura Council", Agency.LOCAL_AUTHORITY),
        ("Hana Health", Agency.HEALTH),
        ("Nadia Charity", Agency.NGO),
        ("Umar Visas", Agency.UKVI),
        chair_name="Rhea Regional",
    )


def case_for_the_region(world: World) -> PanelCase:
    """A referral of someone staying in the South West: opening its case sends its reasonable grounds decision
    to the regional panel."""
    answers = {**world.answers, "current_region": PANEL_REGION}
    referral = SubmittedReferralFactory(**referral_fields(world.cast.responder, answers))
    case = AwaitingRgCaseFactory(referral=referral, authority=world.cast.authority)
    return PanelCase.objects.get(case=case, kind=PanelCase.Kind.DECISION)


def panel_person(page, membership: Membership, checked: set[str], shots: str) -> PanelPerson:
    return PanelPerson(page, membership.user, checked, f"{SHOTS_PREFIX}/{shots}")


def record_views(panel_case: PanelCase, members: list[Membership], *, opinion: str) -> None:
    for seat in members:
        panel_view_record(
            panel_case_id=panel_case.pk,
            actor=seat.user,
            opinion=opinion,
            reasons=f"{seat.user.full_name}'s reasons: the decision should be looked at again.",
        )


# Every panel page, for the axe-core test -----------------------------------------------------------------------


@dataclass
class Visit:
    """Someone signed in, the pages they open by address, and the forms they send empty (the error summary)."""

    person: Person
    pages: dict[str, str]
    error_pages: dict[str, tuple[str, str]]


def _url(name: str, *args) -> str:
    return reverse(f"panels:{name}", args=args)


def panel_site(world: World, new_page) -> list[Visit]:
    """A member, the chair, the regional panel's chair and a manager, with an open review (no view yet), a
    review whose panel recommends reconsideration (waiting for the manager), a case the regional panel decides,
    and a meeting of each panel today."""
    regional = regional_panel()
    open_review = world.review()
    recommended = world.review()
    record_views(recommended, world.assurance.members, opinion=PanelCase.Recommendation.RECOMMEND_RECONSIDERATION)
    panel_review_conclude(
        panel_case_id=recommended.pk,
        actor=world.assurance.chair.user,
        recommendation=PanelCase.Recommendation.RECOMMEND_RECONSIDERATION,
        reasons="The decision does not weigh the medical evidence.",
    )
    to_decide = case_for_the_region(world)
    meetings = {}
    for seats_, panel_case in ((world.assurance, open_review), (regional, to_decide)):
        meetings[seats_.panel.pk] = panel_meeting_schedule(
            panel_id=seats_.panel.pk,
            actor=seats_.chair.user,
            starts_at=timezone.now(),
            format="video",
            where="The panel's usual video call",
            panel_case_ids=[panel_case.pk],
        )
    assurance_meeting = meetings[world.assurance.panel.pk].pk
    regional_meeting = meetings[regional.panel.pk].pk
    tabs = {f"reviews-{slug}": f"{_url('reviews')}?tab={slug}" for slug in ("to_review", "awaiting_chair", "concluded")}
    checked: set[str] = set()

    def person(cls, user, name):
        return cls(new_page(), user, checked, f"{SHOTS_PREFIX}/every-page/{name}")

    member = Visit(
        person(PanelPerson, world.assurance.members[0].user, "member"),
        pages={
            "reviews": _url("reviews"),
            "review": _url("case", open_review.pk),
            "record-view": _url("record_view", open_review.pk),
            "conflict": _url("declare_conflict", open_review.pk),
            "meeting": _url("meeting", assurance_meeting),
            "schedule-meeting-not-chair": _url("meeting_new"),
        },
        error_pages={
            "record-view-errors": (_url("record_view", open_review.pk), "Save your view"),
            "conflict-errors": (_url("declare_conflict", open_review.pk), "Declare the conflict"),
        },
    )
    chair = Visit(
        person(PanelPerson, world.assurance.chair.user, "chair"),
        pages={
            **tabs,
            "review": _url("case", open_review.pk),
            "conclude-not-quorate": _url("conclude", open_review.pk),
            "review-concluded": _url("case", recommended.pk),
            "meetings": _url("meetings"),
            "schedule-meeting": _url("meeting_new"),
            "meeting": _url("meeting", assurance_meeting),
            "meeting-agenda": _url("meeting_agenda", assurance_meeting),
            "meeting-attendance": _url("meeting_attendance", assurance_meeting),
            "dashboard": _url("dashboard"),
        },
        error_pages={
            "conclude-errors": (_url("conclude", open_review.pk), "Conclude the review"),
            "schedule-meeting-errors": (_url("meeting_new"), "Schedule the meeting"),
        },
    )
    regional_chair = Visit(
        person(PanelPerson, regional.chair.user, "regional-chair"),
        pages={
            "reviews": _url("reviews"),
            "review-to-decide": _url("case", to_decide.pk),
            "decide": _url("decide", to_decide.pk),
            "meeting": _url("meeting", regional_meeting),
            "meeting-attendance": _url("meeting_attendance", regional_meeting),
            "dashboard": _url("dashboard"),
        },
        error_pages={"decide-errors": (_url("decide", to_decide.pk), "Record the decision")},
    )
    respond = reverse("casework:respond_to_panel", args=[recommended.case.reference])
    manager = Visit(
        person(PanelManager, world.cast.manager, "manager"),
        pages={
            "dashboard": _url("dashboard"),
            "case-with-recommendation": recommended.case.get_absolute_url(),
            "respond-to-panel": respond,
        },
        error_pages={"respond-to-panel-errors": (respond, "Save the response")},
    )
    return [member, chair, regional_chair, manager]
