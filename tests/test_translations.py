"""zh-Hans is the portal's first language, English its second: every message must be translated
into both (the English catalogue too, so that a message written in Chinese cannot reach an
English page untranslated) and compiled."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_has_no_fuzzy_entries(language):
    po = polib.pofile(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_every_message_is_translated(language):
    po = polib.pofile(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert [e.msgid for e in po.untranslated_entries()] == [], "run `make messages`, then translate what it lists"
    assert po.percent_translated() == 100


def test_english_pages_carry_chinese_only_as_glosses():
    """An English message may name a Chinese term in brackets after its English, or quote what is
    to be typed in Chinese, but not use Chinese instead of English."""
    import re

    po = polib.pofile(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    bare = [
        e.msgid
        for e in po.translated_entries()
        if re.search(r"[\u3400-\u9fff]", re.sub(r"[（(][^）)]*[）)]|“[^”]*”", "", e.msgstr)) and e.msgid != "异地就医"
    ]
    assert bare == []


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_compiled_catalogue_matches_the_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    source = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(folder / "django.po").translated_entries()}
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(folder / "django.mo") if e.msgid}
    assert compiled == source, "run `make messages` to recompile the .mo files"
