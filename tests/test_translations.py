"""zh-Hans is the portal's first language: every message must be translated and compiled."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_has_no_fuzzy_entries(language):
    po = polib.pofile(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_every_message_is_translated_to_chinese():
    po = polib.pofile(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert po.percent_translated() == 100


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_compiled_catalogue_matches_the_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    source = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(folder / "django.po").translated_entries()}
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(folder / "django.mo") if e.msgid}
    assert compiled == source, "run `make messages` to recompile the .mo files"
