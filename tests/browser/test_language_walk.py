"""The main pages in Greek, Polish and Irish show no English interface text (issue #17 item 5).

Three languages with different scripts and plural rules. Each page is opened under its language
prefix (/el/…); every visible text node, the document title, and the `title`, `aria-label`,
`placeholder`, `alt` and button-value attributes are collected, leaving out what the page marks as
not interface text: an element with `translate="no"` (names of people and organisations, codes) or
with a `lang` other than the page's (content in its own language, the language menu). A text is
English interface text when

(a) it is an English msgid of our catalogue or Django's whose translation in the language differs
    (or is missing: untranslated, fuzzy), or
(b) all its words are common interface words of English ("Show", "Next", "of"…) none of which is
    also a word of the language (a word its catalogue uses in translations of other words).

Strings the code uses that are not in the committed catalogues yet (wrapped since the last
`make messages`) cannot be translated until the catalogues are regenerated: the walk does not count
them against the page, and `test_every_string_of_the_code_is_in_the_catalogues` lists them instead
(the lead clears that list by running `make messages` and translating). Once they are in the
catalogues the walk is strict about them too."""

import gettext
import os
import re
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import django
import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from echos.library import services as library
from echos.participation import services as participation
from tests.browser.test_responsive_pages import data  # noqa: F401 (the fixture)
from tests.browser.test_responsive_pages import pages as responsive_pages
from tests.conftest import PASSWORD

SRC = Path(settings.BASE_DIR)
LOCALE = SRC / "locale"
WALKED = ["el", "pl", "ga"]
COMMON_WORDS = {
    *"Show Hide Filter Filters Next Previous Back Search Save Cancel Edit Delete Remove Add".split(),
    *"Download Upload Export Import Close Open Menu More Less All None Yes No Submit Send".split(),
    *"Apply Reset Clear Change Continue Done Select Choose View Details Page Print Loading".split(),
    *"Sign Home Help Error Warning Total Results Map Table Chart Date Time Name Language".split(),
    *"of and or the to for with from by on at in is are new more less per".split(),
}
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

# What the browser collects: [kind, text] for every visible text node and interface attribute.
COLLECT = r"""() => {
  const lang = document.documentElement.lang, out = [['title', document.title]];
  const skipped = el => el.closest('script, style, noscript, template, code, kbd, samp, [translate="no"]')
    || (el.closest('[lang]') && el.closest('[lang]').lang.split('-')[0] !== lang);
  const shown = el => el.checkVisibility({visibilityProperty: true}) ||
    (el.closest('select') && el.closest('select').checkVisibility());
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || skipped(el) || !shown(el)) continue;
    out.push(['text', node.textContent]);
  }
  const buttons = 'input[type=submit], input[type=button], input[type=reset]';
  for (const el of document.body.querySelectorAll('[title], [aria-label], [placeholder], [alt], ' + buttons)) {
    if (skipped(el) || !(shown(el) || el.closest('.visually-hidden'))) continue;
    for (const name of ['title', 'aria-label', 'placeholder', 'alt']) {
      if (el.hasAttribute(name)) out.push([name, el.getAttribute(name)]);
    }
    if (el.matches(buttons)) out.push(['value', el.value]);
  }
  return out;
}"""


def normal(text: str) -> str:
    return " ".join(text.split())


@cache
def entries(code: str) -> dict[tuple[str | None, str], str]:
    """(context, English msgid) → what our catalogue shows for it ("" untranslated or fuzzy)."""
    shown: dict[tuple[str | None, str], str] = {}
    with (LOCALE / code / "LC_MESSAGES" / "django.po").open("rb") as f:
        for m in read_po(f):
            if not m.id:
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            texts = m.string if isinstance(m.string, tuple) else (m.string,)
            for msgid in ids:
                shown[(m.context, normal(msgid))] = "" if m.fuzzy else normal(texts[0] or "")
    return shown


@cache
def catalogue(code: str) -> dict[str, str]:
    """English msgid → what the language shows for it ("" when untranslated or fuzzy): ours, then
    Django's own catalogues for the messages it writes itself (forms, auth)."""
    shown: dict[str, str] = {}
    for mo in sorted(Path(django.__file__).parent.glob(f"**/locale/{code}/LC_MESSAGES/django.mo")):
        with mo.open("rb") as f:
            for key, text in gettext.GNUTranslations(f)._catalog.items():
                if isinstance(key, str) and key:
                    shown[normal(key.split("\x04")[-1])] = normal(text)
    for (_context, msgid), text in entries(code).items():
        shown[msgid] = text
    return shown


@cache
def translations(code: str) -> frozenset[str]:
    return frozenset(text for text in catalogue(code).values() if text)


@cache
def words_of(code: str) -> frozenset[str]:
    """Words the language's catalogue uses in translations of messages that do not contain them."""
    seen: Counter[str] = Counter()
    with (LOCALE / code / "LC_MESSAGES" / "django.po").open("rb") as f:
        for m in read_po(f):
            msgid = " ".join(m.id) if isinstance(m.id, tuple) else m.id
            english = {w.lower() for w in WORD.findall(msgid)}
            texts = m.string if isinstance(m.string, tuple) else (m.string,)
            for word in {w.lower() for t in texts for w in WORD.findall(t or "")} - english:
                seen[word] += 1
    return frozenset(word for word, n in seen.items() if n >= 3)


# Pages join translated pieces ("Report · English · Hub"): each piece is looked up on its own too.
PIECES = re.compile(r"\s*(?:[·,;:()\[\]|—–]|\s-\s)\s*")


def english_interface_text(code: str, kind: str, text: str, pending: frozenset[str]) -> str:
    """Why a collected text is English interface text in `code` ("" when it is not)."""
    text = normal(text)
    if not text or text in pending:
        return ""
    shown, own = catalogue(code), translations(code)
    for piece in dict.fromkeys([text, *PIECES.split(text)]):
        if piece in own:
            continue  # a word of the language that is also English: Polish "Data" (date), "Role"
        if piece and piece not in pending and piece in shown and shown[piece] != piece:
            why = "untranslated in the catalogue" if not shown[piece] else "an English msgid"
            return why if piece == text else f"{why} ({piece!r})"
    if text in translations(code):
        return ""  # "Menu" is Polish for "Menu"
    # Codes in capitals ("NO" for Norway, "EUR") are not words.
    words = [w for w in WORD.findall(text) if not (w.isupper() and len(w) > 1)]
    if words and all(w in COMMON_WORDS or w.capitalize() in COMMON_WORDS for w in words):
        if not any(w.lower() in words_of(code) for w in words):
            return "common English words"
    return ""


def extract_source_msgids(tmp: Path) -> frozenset[tuple[str | None, str]]:
    """The msgids the code uses today: `makemessages` run on a copy of the package (never into
    src/echos/locale)."""
    copy = tmp / "echos"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("locale", "static", "__pycache__"))
    (copy / "locale").mkdir()
    here = os.getcwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command(
                "makemessages", locale=["el"], no_obsolete=True, no_location=True, verbosity=0
            )
    finally:
        os.chdir(here)
    with (copy / "locale" / "el" / "LC_MESSAGES" / "django.po").open("rb") as f:
        found = set()
        for m in read_po(f):
            for msgid in m.id if isinstance(m.id, tuple) else (m.id,):
                if msgid:
                    found.add((m.context, normal(msgid)))
    return frozenset(found)


@pytest.fixture(scope="module")
def source_msgids(tmp_path_factory):
    if shutil.which("xgettext") is None:
        pytest.skip("GNU gettext (xgettext) is not installed")
    return extract_source_msgids(tmp_path_factory.mktemp("makemessages"))


def pending_msgids(source: frozenset[tuple[str | None, str]]) -> frozenset[str]:
    """Strings of the code (with their context) not in every walked catalogue yet."""
    return frozenset(
        msgid for key in source for msgid in [key[1]] if any(key not in entries(c) for c in WALKED)
    )


@pytest.fixture
def walk_data(data, personas):  # noqa: F811 (the fixture imported above)
    """The responsive pages' data plus a proposal and a library resource; Norway's coordinator also
    coordinates the network, so that one sign-in opens the hub's pages and the network's."""
    norway = data["norway"]
    personas["coord_no"].is_network_coordinator = True
    personas["coord_no"].save(update_fields=["is_network_coordinator"])
    proposal = participation.submit_proposal(
        hub=norway,
        title="More screening buses in rural Vestland",
        body="Screening buses reach villages far from the hospital.",
        user=personas["member_no"],
        display_name="Kari",
    )
    data["proposal"] = proposal
    library.create_resource(
        actor=personas["coord_no"],
        hub=norway,
        title="Guide to citizen dialogues",
        description="How to run a citizen dialogue on screening.",
        language="en",
        type="report",
        tags=[],
        url="https://example.invalid/guide",
    )
    return data


def walk_pages(fixtures) -> tuple[dict[str, str], dict[str, str]]:
    """(public pages, pages of Norway's coordinator): name → path without the language prefix."""
    norway = fixtures["norway"].pk
    base = responsive_pages(fixtures)
    public = {
        "home": "/",
        "hub directory": "/hubs/",
        "hub page": base["hub page"],
        "calendar": "/events/",
        "month": base["month grid"],
        "event page": base["event page"],
        "registration": base["registration"],
        "consultations": "/participate/",
        "consultation": base["consultation"],
        "proposals": "/participate/proposals/",
        "synergies": "/synergies/",
        "synergy matrix": "/synergies/matrix/",
        "gap dashboard": "/events/gap/",
        "library": "/library/",
        "exchange": "/exchange/",
        "search": "/search/?q=screening",
        "privacy": "/privacy/",
        "accessibility": "/accessibility/",
        "login": "/accounts/login/",
    }
    if "proposal" in fixtures:
        public["proposal"] = fixtures["proposal"].get_absolute_url()
    coordinator = {
        "hub maturity": f"/assessment/hubs/{norway}/",
        "network view": "/assessment/network/",
        "mapping": "/assessment/mapping/",
        "check-in": base["check-in"],
        "team": f"/hubs/{norway}/team/",
        "continuity": f"/continuity/hubs/{norway}/",
        "engagement network": f"/engagement/hubs/{norway}/network/",
    }
    return public, coordinator


def collect(page, base: str, code: str, name: str, path: str) -> list[tuple[str, str]]:
    response = page.goto(f"{base}/{code}{path}")
    assert response is not None and response.status == 200, (code, name, path)
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.lang") == code, (code, name)
    # Charts drawn (or failed): a locator, not wait_for_function, whose string predicate the
    # page's Content Security Policy refuses to evaluate when it has to poll.
    expect(page.locator(".vega-chart:not(.vega-ready):not(.vega-failed)")).to_have_count(
        0, timeout=15000
    )
    return [(kind, text) for kind, text in page.evaluate(COLLECT)]


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/en/accounts/login/")
    page.get_by_label("Username").fill("coordinator-no")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url, "sign-in failed"


@pytest.mark.parametrize("code", WALKED)
def test_no_english_interface_text_on_the_main_pages(
    live_server, walk_data, page, code, source_msgids
):
    pending = pending_msgids(source_msgids)
    public, coordinator = walk_pages(walk_data)
    found: list[str] = []
    for signed_in, pages in ((False, public), (True, coordinator)):
        if signed_in:
            sign_in(page, live_server.url)
        for name, path in pages.items():
            for kind, text in collect(page, live_server.url, code, name, path):
                if why := english_interface_text(code, kind, text, pending):
                    found.append(f"{name} ({path}) {kind}: {normal(text)!r}: {why}")
    assert page.js_errors == [], page.js_errors
    assert not found, f"English interface text in {code}:\n" + "\n".join(dict.fromkeys(found))


def test_every_string_of_the_code_is_in_the_catalogues(source_msgids):
    """Fails until the catalogues are regenerated and translated: run `make messages`, translate the
    new strings (the walk above tolerates exactly these until then)."""
    missing = {
        code: sorted(
            f"{context}|{msgid}" if context else msgid
            for context, msgid in source_msgids - entries(code).keys()
        )
        for code in WALKED
    }
    assert not any(missing.values()), (
        "Strings of the code are not in the catalogues yet (run `make messages` and translate them):\n"
        + "\n".join(
            f"{code}: {len(texts)}: {texts[:20]}" for code, texts in missing.items() if texts
        )
    )


# The walk's measure proven on purpose: it finds what it is meant to find, and only that.


def test_the_measure_flags_english_msgids_and_common_words_but_not_translations():
    pl_sign_in = catalogue("pl")["Sign in"]
    assert pl_sign_in and pl_sign_in != "Sign in"
    none: frozenset[str] = frozenset()
    assert english_interface_text("pl", "text", " Sign  in ", none) == "an English msgid"
    assert english_interface_text("pl", "text", pl_sign_in, none) == ""
    assert english_interface_text("el", "aria-label", "Show 3 more", none) == "common English words"
    assert english_interface_text("ga", "text", "Next →", none) == "common English words"
    assert (
        english_interface_text("el", "title", "Hubs · echos", none) == "an English msgid ('Hubs')"
    )
    assert (
        english_interface_text("el", "text", "Αναφορά · English", none)
        == "an English msgid ('English')"
    )
    assert english_interface_text("el", "text", "NO", none) == ""
    assert (
        catalogue("pl")["Data"] != "Data"
        and english_interface_text("pl", "text", "Data", none) == ""
    )
    assert english_interface_text("el", "title", f"{catalogue('el')['Hubs']} · echos", none) == ""
    # User content and words of the language itself.
    assert english_interface_text("pl", "text", "Kreftmisjonshub Norge", none) == ""
    assert (
        catalogue("pl")["Menu"] == "Menu"
        and english_interface_text("pl", "text", "Menu", none) == ""
    )
    assert "to" in words_of("pl") and english_interface_text("pl", "text", "Show to", none) == ""
    assert english_interface_text("el", "text", "Show to", none) == "common English words"
    # A string wrapped since the last `make messages` waits for the catalogues.
    assert english_interface_text("el", "text", "Close", frozenset({"Close"})) == ""


@pytest.fixture
def broken_page(page):
    page.set_content(
        '<html lang="el"><head><title>Calendar · echos</title></head><body>'
        "<h1>Ημερολόγιο</h1><button>Next</button><p>Sign in</p>"
        '<p translate="no">Cancel</p><p lang="en">Delete</p><p hidden>Save</p>'
        '<input type="search" placeholder="Search"><img alt="Map" src="data:,">'
        '<span class="visually-hidden" style="position:absolute;clip:rect(0 0 0 0)">Close</span>'
        "</body></html>"
    )
    return page


def test_the_walk_finds_english_on_a_page_made_to_fail(broken_page):
    none: frozenset[str] = frozenset()
    flagged = [
        (kind, normal(text))
        for kind, text in broken_page.evaluate(COLLECT)
        if english_interface_text("el", kind, text, none)
    ]
    assert flagged == [
        ("title", "Calendar · echos"),
        ("text", "Next"),
        ("text", "Sign in"),
        ("text", "Close"),
        ("placeholder", "Search"),
        ("alt", "Map"),
    ]
