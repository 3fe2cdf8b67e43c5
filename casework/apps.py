from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"

    def ready(self):
        from casework.referral_cases import CaseworkReferralCases
        from referrals import case_view

        # referrals reads its referrals' cases through its own port, never by importing casework (docs/adr/0010).
        case_view.install(CaseworkReferralCases())
