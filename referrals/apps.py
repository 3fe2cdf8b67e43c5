from django.apps import AppConfig
from django.core import checks


class ReferralsConfig(AppConfig):
    name = "referrals"

    def ready(self):
        from common.virus_scan import check_scanner_configured, scanner_reachable_check

        # Uploads (evidence here, case files in casework) are scanned: outside demo mode a process without a
        # scanner configured refuses to start, and `check`/`migrate`/`runserver` fail when it does not answer.
        check_scanner_configured()
        checks.register(scanner_reachable_check, "uploads")
