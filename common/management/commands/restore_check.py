from pathlib import Path

import environ
from django.core.management.base import BaseCommand, CommandError

from common.backup import restore_check


class Command(BaseCommand):
    help = "Restore a backup into an empty database and media folder and compare it with its manifest."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path)
        parser.add_argument("--into", required=True, help="postgres://… of an empty database")
        parser.add_argument("--media", type=Path, required=True, help="a media folder that does not exist yet")

    def handle(self, *args, source, into, media, **options):
        database = environ.Env.db_url_config(into)
        differences = restore_check(source, database=database, media_root=media)
        for line in differences:
            self.stderr.write(line)
        self.stdout.write(f"backup drill: {len(differences)} differences after restore")
        if differences:
            raise CommandError("the restore differs from the backup")
