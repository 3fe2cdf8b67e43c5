"""casework's side of referrals.case_view: the facts of a referral's case that the referrals pages need as data,
installed by casework's AppConfig.ready() (docs/adr/0010). Each answer comes from casework's selectors, so the
referrer's statuses exist once (casework.selectors.referrer.REFERRER_STATUSES)."""

from collections.abc import Sequence

from django.db.models import Q, QuerySet

from accounts.models import User
from casework.models import Policy
from casework.selectors.referrer import REFERRER_FILTERS, REFERRER_STATUS_BY_VALUE, case_status_label_for_referral
from casework.selectors.scope import case_list_for
from casework.services.opening import case_possible_duplicate_found
from casework.waiting import questions_to_answer_by_referral, waiting_for_referrer
from common.waiting import Waiting
from referrals.case_view import CaseConfirmation, QuestionsToAnswer
from referrals.models import Referral


class CaseworkReferralCases:
    def status_choices(self) -> Sequence[tuple[str, str]]:
        return [(status.value, status.label) for status in REFERRER_FILTERS]

    def status_filter(self, value: str) -> Q:
        return REFERRER_STATUS_BY_VALUE[value].referrals

    def status_label(self, referral: Referral) -> str:
        return case_status_label_for_referral(referral)

    def confirmation(self, referral: Referral) -> CaseConfirmation | None:
        case = None if referral.is_duty_to_notify else getattr(referral, "case", None)
        if case is None:
            return None
        return CaseConfirmation(
            rg_target_working_days=Policy.for_case(case).rg_target_working_days,
            rg_due_at=case.rg_due_at,
            possible_duplicate=case_possible_duplicate_found(case=case),
        )

    def referral_ids_open_to(self, user: User) -> QuerySet:
        return case_list_for(user=user).values("referral_id")

    def waiting_for(self, user: User) -> list[Waiting]:
        return waiting_for_referrer(user=user)

    def questions_to_answer(self, user: User, referral_ids: Sequence[int]) -> dict[int, QuestionsToAnswer]:
        return questions_to_answer_by_referral(user=user, referral_ids=referral_ids)
