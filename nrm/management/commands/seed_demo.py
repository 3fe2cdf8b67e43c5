from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts import demo as accounts_demo
from accounts.models import User
from casework import demo as casework_demo
from insights import demo as insights_demo
from insights.refresh import facts_refresh
from notifications import demo as notifications_demo
from panels import demo as panels_demo
from partners import demo as partners_demo
from partners import partnership_demo
from referrals import demo as referrals_demo


class Command(BaseCommand):
    help = "Loads the demo organisations and sign-ins (and, as later apps add them, referrals and cases)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Seed even when NRM_DEMO is off")

    def handle(self, *args, force=False, **options):
        if not (settings.NRM_DEMO or force):
            raise CommandError("Demo data is only loaded when NRM_DEMO is on (or with --force).")
        sign_ins = accounts_demo.seed()
        referrals_demo.seed()
        panels_demo.seed_assurance_panels()  # casework's negative CG under review goes to a panel
        cases = casework_demo.seed()
        panel_cases = panels_demo.seed()  # the regional panel after casework's cases, which it would decide
        history = insights_demo.seed()  # two years of referrals and decisions for the statistics
        api_client = partners_demo.seed()  # the demo police organisation's partner API client
        partnership_demo.seed()  # the West Midlands partnership, its coordinator and local pathway
        # Last: the notifications the steps above caused through the services are the demo's notifications.
        notifications_demo.seed(User.objects.filter(email__in=[email for email, _ in sign_ins]))
        # The load above outruns autovacuum: the planner learns the tables' sizes now, so that the refresh below and
        # the first pages get plans for the rows there are. Without it, in the full suite on PostgreSQL 18, the
        # planner estimated one row a table, and a panel case page took over 15 s (in a transaction, as the tests
        # seed, ANALYZE counts the rows that transaction added).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        facts_refresh()  # the statistics show the demo's figures at once, before the periodic job first runs
        self.stdout.write(f"Demo sign-ins (password: {accounts_demo.DEMO_PASSWORD}):")
        for email, role in sign_ins:
            self.stdout.write(f"  {email:<28} {role}")
        organisation, client_id, client_secret = api_client
        self.stdout.write(f"Demo partner API client of {organisation} (demo only; POST /api/v1/oauth/token):")
        self.stdout.write(f"  client ID {client_id}  secret {client_secret}")
        self.stdout.write(f"Demo cases added: {cases} (each is added once; a second run adds none).")
        self.stdout.write(f"Demo panel cases added: {panel_cases} (likewise).")
        self.stdout.write(f"Demo history for the statistics: {history} referrals added (likewise).")
