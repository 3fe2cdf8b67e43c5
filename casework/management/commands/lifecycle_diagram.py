from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casework.diagram import document

TARGET = Path(settings.BASE_DIR) / "docs" / "lifecycle.md"


class Command(BaseCommand):
    help = "Writes docs/lifecycle.md from casework/lifecycle/table.py's table (--check: fail when it is out of date)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only check that the file is current")

    def handle(self, *args, check: bool = False, **options):
        wanted = document()
        if check:
            if not TARGET.exists() or TARGET.read_text() != wanted:
                raise CommandError(f"{TARGET.name} is out of date: run `manage.py lifecycle_diagram`")
            self.stdout.write(f"{TARGET.name} is current")
            return
        TARGET.write_text(wanted)
        self.stdout.write(f"Wrote {TARGET}")
