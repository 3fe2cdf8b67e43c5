from django.core.management.base import BaseCommand

from privacy.models import RetentionRun
from privacy.services import retention_apply


class Command(BaseCommand):
    help = (
        "Anonymises or deletes ended cases and Duty to Notify reports past the retention policy's periods, and "
        "trims the access log and notifications. With --dry-run, lists what would go and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List and count what would go; change nothing")

    def handle(self, *args, dry_run: bool = False, **options):
        outcome = retention_apply(dry_run=dry_run, trigger=RetentionRun.Trigger.COMMAND)
        self.stdout.write(
            f"{'Dry run' if dry_run else 'Run'} {outcome.run.pk}: {'would remove' if dry_run else 'removed'}"
        )
        for label, count in outcome.rows():
            self.stdout.write(f"  {label}: {count}")
        for kind, references in outcome.references.items():
            for reference in references:
                self.stdout.write(f"    {kind}: {reference}")
