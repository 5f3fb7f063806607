"""Shipped questionnaire texts go through the gettext catalogues; user-written ones are shown as written.

The catalogues have no translation of these texts yet (translators work on the .po files after the
lead re-extracts them), so the translations here come from a temporary catalogue (fake_catalogue).
"""

import importlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

from echos.questionnaires import engine, i18n
from tests.questionnaires import fake_catalogue

SRC = Path(__file__).parents[2] / "src" / "echos"
MODULES = [
    ("assessment", "instruments_i18n"),
    ("events", "questions_i18n"),
    ("participation", "questions_i18n"),
]
SHIPPED_FILES = sorted(
    str(p.relative_to(SRC)) for p in SRC.glob("*/data/**/*.json") if '"sections"' in p.read_text()
)


def shipped_definitions():
    for app, module in MODULES:
        listed = importlib.import_module(f"echos.{app}.{module}")
        for source in listed.SOURCES:
            yield json.loads((SRC / app / source).read_text(encoding="utf-8"))


# --- the generated lists ---------------------------------------------------------------------


@pytest.mark.parametrize(("app", "module"), MODULES)
def test_generated_list_matches_the_data_files(app, module):
    """Editing a data file without ``python -m echos.<app>.<module>`` fails here."""
    listed = importlib.import_module(f"echos.{app}.{module}")
    path = i18n.module_path(app, module)
    assert path.read_text(encoding="utf-8") == i18n.render(app, module, listed.SOURCES), (
        f"run: python -m echos.{app}.{module}"
    )
    definitions = [json.loads((SRC / app / s).read_text(encoding="utf-8")) for s in listed.SOURCES]
    expected = list(dict.fromkeys(t for d in definitions for t in i18n.shown_texts(d)))
    assert listed.TEXTS == expected
    assert listed.INSTRUMENTS == tuple(d["code"] for d in definitions)


def test_every_shipped_questionnaire_file_is_listed():
    listed = sorted(
        f"{app}/{source}"
        for app, module in MODULES
        for source in importlib.import_module(f"echos.{app}.{module}").SOURCES
    )
    assert SHIPPED_FILES and listed == SHIPPED_FILES


def test_shown_texts_take_every_kind_of_text_and_the_english_of_a_dict():
    definition = {
        "code": "x",
        "title": "Title",
        "description": "About",
        "sections": [
            {
                "code": "s",
                "title": {"en": "Section", "de": "Abschnitt"},
                "description": "Section about",
                "questions": [
                    {"code": "a", "type": "number", "text": "How many?", "help": "Count", "unit": "FTE"},
                    {"code": "b", "type": "single", "text": "Pick",
                     "options": [{"value": "1", "label": {"en": "One", "fr": "Un"}}]},
                    {"code": "c", "type": "scale", "text": "Rate",
                     "levels": [{"value": 1, "label": "Low", "descriptor": "Hardly"}]},
                    {"code": "d", "type": "single", "text": "Pick", "options_from": "objectives"},
                ],
            }
        ],
    }  # fmt: skip
    assert i18n.shown_texts(definition) == [
        "Title", "About", "Section", "Section about", "How many?", "Count", "FTE", "Pick", "One",
        "Rate", "Low", "Hardly",
    ]  # fmt: skip


def test_every_text_the_engine_shows_of_a_shipped_questionnaire_is_listed(db, monkeypatch):
    """Each listed text translated (marked): then every text shown is marked, none left English."""
    listed = {
        t for app, module in MODULES for t in importlib.import_module(f"echos.{app}.{module}").TEXTS
    }
    marked = {t: f"«{t}»" for t in listed}
    marked.update({fake_catalogue.CONTEXT_KEY + t: f"«{t}»" for t in i18n.CONTEXTUAL & listed})
    fake_catalogue.install(monkeypatch, {"es": marked})
    with translation.override("es"):
        for definition in shipped_definitions():
            shown = [
                engine.tr(definition["title"], True),
                engine.tr(definition.get("description"), True),
            ]
            for section in engine.parse(definition):
                shown += [section.title, section.description]
                for q in section.questions:
                    shown += [q.text, q.help, q.unit]
                    if not q.spec.get("options_from"):
                        shown += [label for _v, label in q.options]
                    shown += [lv["label"] for lv in q.levels]
                    shown += [lv["descriptor"] for lv in q.levels]
            unmarked = [s for s in shown if s and not s.startswith("«")]
            assert not unmarked, (definition["code"], unmarked[:5])


def test_shipped_instruments_are_registered_for_the_catalogues():
    for definition in shipped_definitions():
        assert engine.catalogued(definition), definition["code"]


# --- what xgettext and msgfmt make of the lists ----------------------------------------------

XGETTEXT = shutil.which("xgettext")
MSGFMT = shutil.which("msgfmt")
needs_gettext = pytest.mark.skipif(not (XGETTEXT and MSGFMT), reason="GNU gettext not installed")


def extract() -> str:
    """The .pot makemessages would write for the generated lists (Django's xgettext options)."""
    files = [str(i18n.module_path(app, module)) for app, module in MODULES]
    return subprocess.run(
        [XGETTEXT, "-d", "django", "--language=Python", "--keyword=gettext_noop",
         "--keyword=gettext_lazy", "--keyword=ngettext_lazy:1,2", "--keyword=pgettext:1c,2",
         "--keyword=npgettext:1c,2,3", "--keyword=pgettext_lazy:1c,2",
         "--keyword=npgettext_lazy:1c,2,3", "--output=-", "--from-code=UTF-8",
         "--add-comments=Translators", "--no-location", *files],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def entries(pot: str) -> list[dict]:
    out = []
    for block in pot.split("\n\n")[1:]:
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        context = re.search(r'^msgctxt "(.*)"$', block, re.M)
        msgid = "".join(re.findall(r'"(.*)"', block.split("msgid ", 1)[1].split("msgstr", 1)[0]))
        out.append({"flags": flags, "context": context and context.group(1), "msgid": msgid})
    return out


@needs_gettext
def test_makemessages_extracts_every_text_with_its_context_and_no_format_flag():
    found = entries(extract())
    listed = {
        t for app, module in MODULES for t in importlib.import_module(f"echos.{app}.{module}").TEXTS
    }
    assert len(found) == len(listed)
    assert all(e["context"] == "questionnaire" for e in found if e["msgid"] in i18n.CONTEXTUAL)
    assert all(e["context"] is None for e in found if e["msgid"] not in i18n.CONTEXTUAL)
    assert {"Active", "Planned", "Sustained"} <= {e["msgid"] for e in found if e["context"]}
    with_percent = [e for e in found if "%" in e["msgid"]]
    assert with_percent, "the maturity model has a text with 70% in it"
    for e in found:
        assert "python-format" not in e["flags"].replace("no-python-format", ""), e
        assert "python-brace-format" not in e["flags"].replace("no-python-brace-format", ""), e
    assert all("no-python-format" in e["flags"] for e in with_percent)


@needs_gettext
def test_msgfmt_check_accepts_translations_that_write_the_percent_differently(tmp_path):
    """A French "70 %" (or no % at all) must not fail ``msgfmt --check``."""
    pot = extract()
    header, *blocks = pot.split("\n\n")
    header = header.replace("charset=CHARSET", "charset=UTF-8").replace("#, fuzzy\n", "")
    filled = [re.sub(r'msgstr ""$', 'msgstr "traduit 70 % ici"', b.rstrip("\n")) for b in blocks]
    po = tmp_path / "django.po"
    po.write_text("\n\n".join([header, *filled]) + "\n", encoding="utf-8")
    result = subprocess.run(
        [MSGFMT, "--check", "-o", str(tmp_path / "django.mo"), str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


@needs_gettext
def test_msgfmt_check_would_refuse_the_same_text_flagged_as_a_format(tmp_path):
    """The twin of the test above: without the comment, xgettext flags "70% o" and msgfmt fails."""
    source = tmp_path / "m.py"
    source.write_text('_("none providing more than 70% of the budget")\n', encoding="utf-8")
    pot = subprocess.run(
        [XGETTEXT, "--language=Python", "--output=-", "--from-code=UTF-8", str(source)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    header, *blocks = pot.split("\n\n")
    header = header.replace("charset=CHARSET", "charset=UTF-8").replace("#, fuzzy\n", "")
    filled = [
        re.sub(r'msgstr ""$', 'msgstr "plus de septante pour cent du budget"', b.rstrip("\n"))
        for b in blocks
    ]
    po = tmp_path / "django.po"
    po.write_text("\n\n".join([header, *filled]) + "\n", encoding="utf-8")
    result = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(po)], capture_output=True)
    assert result.returncode != 0


# --- the engine's fallback order ----------------------------------------------------------------

CATALOGUE = {
    "es": {
        "Which describes you best?": "¿Qué le describe mejor?",
        "Step-free access": "Acceso sin escalones",
        "Active": "Activo (estado de un registro)",
        fake_catalogue.CONTEXT_KEY + "Active": "Activo (nivel)",
    },
    "de": {"Step-free access": "Barrierefrei (aus dem Katalog)"},
}


@pytest.fixture
def catalogue(monkeypatch):
    fake_catalogue.install(monkeypatch, CATALOGUE)


def test_plain_text_of_a_shipped_instrument_comes_from_the_catalogue(catalogue):
    with translation.override("es"):
        assert engine.tr("Which describes you best?", True) == "¿Qué le describe mejor?"
        assert engine.tr("Not in any catalogue", True) == "Not in any catalogue"  # English
        assert engine.tr("", True) == "" and engine.tr(None, True) == ""
    with translation.override("en"):
        assert engine.tr("Which describes you best?", True) == "Which describes you best?"


def test_user_text_is_never_looked_up(catalogue):
    with translation.override("es"):
        assert engine.tr("Which describes you best?") == "Which describes you best?"
        assert engine.tr({"en": "Step-free access"}) == "Step-free access"


def test_a_dicts_own_entry_wins_over_the_catalogue_then_the_catalogue_then_english(catalogue):
    label = {"en": "Step-free access", "de": "Stufenloser Zugang"}
    with translation.override("de"):
        assert engine.tr(label, True) == "Stufenloser Zugang"  # hand-written entry first
    with translation.override("es"):
        assert engine.tr(label, True) == "Acceso sin escalones"  # catalogue of the English
    with translation.override("it"):  # English when no catalogue has it
        assert (
            engine.tr({"en": "Nowhere translated", "de": "Nirgends"}, True) == "Nowhere translated"
        )
    with translation.override("es"):
        assert engine.tr({"de": "Nur Deutsch"}, True) == "Nur Deutsch"  # any entry at all


def test_a_short_text_that_means_something_else_in_the_interface_takes_its_context(catalogue):
    assert "Active" in i18n.CONTEXTUAL
    with translation.override("es"):
        assert engine.tr("Active", True) == "Activo (nivel)"


def test_parse_translates_a_registered_definition_only(catalogue):
    definition = {
        "code": "event-registration",
        "sections": [
            {
                "code": "welcome",
                "title": "Section",
                "questions": [
                    {"code": "role", "type": "single", "text": "Which describes you best?",
                     "options": [{"value": "a", "label": {"en": "Step-free access"}}]},
                    {"code": "level", "type": "scale", "text": "Level",
                     "levels": [{"value": 1, "label": "Active", "descriptor": "Step-free access"}]},
                ],
            }
        ],
    }  # fmt: skip
    user_written = {**definition, "code": "consultation-20270101-abcd1234"}
    with translation.override("es"):
        role, level = engine.questions(definition)
        assert role.text == "¿Qué le describe mejor?"
        assert role.options == [("a", "Acceso sin escalones")]
        assert level.levels[0]["label"] == "Activo (nivel)"
        assert level.levels[0]["descriptor"] == "Acceso sin escalones"
        role, level = engine.questions(user_written)
        assert role.text == "Which describes you best?"
        assert role.options == [("a", "Step-free access")]
        assert level.levels[0]["label"] == "Active"


def test_a_section_or_question_without_text_shows_its_code_untranslated(catalogue):
    definition = {
        "code": "event-registration",
        "sections": [{"code": "Active", "questions": [{"code": "Active", "type": "text"}]}],
    }
    with translation.override("es"):
        (section,) = engine.parse(definition)
        assert section.title == "Active" and section.questions[0].text == "Active"


def test_localised_gives_plain_strings_in_the_active_language(catalogue):
    definition = {
        "code": "event-registration",
        "title": "Which describes you best?",
        "sections": [
            {"code": "s", "title": {"en": "Step-free access"}, "questions": [
                {"code": "n", "type": "number", "text": "Active", "unit": "Step-free access"},
                {"code": "l", "type": "scale", "text": "Level",
                 "levels": [{"value": "2", "label": "Active"}]},
            ]}
        ],
    }  # fmt: skip
    with translation.override("es"):
        out = engine.localised(definition)
    assert out["title"] == "¿Qué le describe mejor?"
    section = out["sections"][0]
    assert section["title"] == "Acceso sin escalones"
    number, scale = section["questions"]
    assert number["text"] == "Activo (nivel)" and number["unit"] == "Acceso sin escalones"
    assert number["options"] is None and number["levels"] is None
    assert scale["levels"] == [{"value": 2, "label": "Activo (nivel)", "descriptor": ""}]
    strings = json.dumps(out)  # only plain JSON: no lazy object, no dict of languages
    assert "{'en'" not in strings and '"en":' not in strings
