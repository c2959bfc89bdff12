"""Fill the English catalogue: the source strings are English, so an English message is its own
translation. Strings that carry Chinese words (brand names such as 异地就医) are left for a person,
and listed; tests/test_translations.py fails while any entry is untranslated.

    make messages    # makemessages, this command, compilemessages
"""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Copy English source strings into the English catalogue; list those that need a person."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        filled, left = 0, []
        # makemessages guesses a new string's translation from a similar old one and marks it
        # fuzzy: in English the guess is always worse than the string itself.
        for entry in [*catalogue.untranslated_entries(), *catalogue.fuzzy_entries()]:
            if _needs_a_person(entry):
                left.append(entry.msgid)
                continue
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = None
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            filled += 1
        catalogue.save()
        self.stdout.write(f"English catalogue: {filled} filled from the source, {len(left)} need a translation")
        for msgid in left:
            self.stdout.write(f"  {msgid!r}")


def _needs_a_person(entry) -> bool:
    """A Chinese word standing alone in the sentence (not a gloss in brackets after its English)."""
    text = re.sub(r"[（(][^）)]*[）)]", "", entry.msgid + " " + (entry.msgid_plural or ""))
    return bool(re.search(r"[\u3400-\u9fff]", text))
