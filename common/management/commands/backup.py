from pathlib import Path

from django.core.management.base import BaseCommand

from common.backup import backup


class Command(BaseCommand):
    help = "Dump the PostgreSQL database and copy the private uploads into a new folder, with a manifest."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="a folder that does not exist yet")

    def handle(self, *args, target, **options):
        manifest = backup(target)
        self.stdout.write(
            f"backup: {len(manifest['tables'])} tables, {sum(manifest['tables'].values())} rows, "
            f"{len(manifest['files'])} files → {target}"
        )
