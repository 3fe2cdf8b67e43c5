from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners: the partner API, its clients, webhooks and partnerships"

    def ready(self) -> None:
        # Part F: the local pathway at the start of a referral (common.notices: referrals never imports partners).
        from common.notices import register
        from partners.notices import referral_start_pathway

        register("referral-start", "partners.local-pathway", referral_start_pathway)

        # Part D: the webhooks' receivers of casework's and referrals' saves.
        import partners.receivers  # noqa: F401
