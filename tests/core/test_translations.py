"""The shipped translations: every catalogue compiles, the committed .mo files match their .po
sources, and pages come out in the visitor's language."""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdifr]|%[sdif]")


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_is_complete_and_its_mo_is_up_to_date(code, tmp_path):
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert po.exists() and mo.exists(), "run `make messages`"
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext (msgfmt) is not installed")
    fresh = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(fresh), str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    stats = result.stderr
    translated = int(re.search(r"(\d+) translated", stats).group(1))
    untranslated = re.search(r"(\d+) untranslated", stats)
    missing = int(untranslated.group(1)) if untranslated else 0
    fuzzy = re.search(r"(\d+) fuzzy", stats)
    # Every string of the interface is translated in every language (issue #17): a new string
    # fails here until its translations are written; a fuzzy guess from `makemessages` counts as
    # missing, since gettext does not use it.
    assert missing == 0 and not fuzzy, (
        f"{code}: {stats.strip()} (translate them, then `make messages`)"
    )
    assert translated > 0, stats
    with fresh.open("rb") as a, mo.open("rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog, (
            f"{mo} is older than {po}: run `make messages`"
        )


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_every_placeholder(code):
    mo = LOCALE / code / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as f:
        catalogue = gettext.GNUTranslations(f)._catalog
    plurals = {}
    for key, text in catalogue.items():
        if isinstance(key, tuple):
            plurals.setdefault(key[0], []).append(text)
        elif key:
            assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(key)), key
    for msgid, forms in plurals.items():
        wanted = set(PLACEHOLDER.findall(msgid))
        for text in forms:
            # A form for "one" may spell the number out; it may not invent a placeholder.
            assert set(PLACEHOLDER.findall(text)) <= wanted | {"%(count)s", "%(n)s"}, msgid


@pytest.mark.parametrize("code", LANGUAGES)
def test_pages_come_out_in_the_visitors_language(db, client, code):
    """Each of the 26 languages (issue #17): the calendar in that language says "Sign in" in it."""
    with translation.override(code):
        expected = translation.gettext("Sign in")
    assert expected != "Sign in", f"{code}: 'Sign in' is not translated"
    english = client.get("/events/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get("/events/", HTTP_ACCEPT_LANGUAGE=code).content.decode()
    assert f'<html lang="{code}"' in page
    assert expected in page and expected not in english
