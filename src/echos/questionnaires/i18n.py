"""Shipped questionnaire texts go through the gettext catalogues like every other interface string.

Each app that ships questionnaire definitions (JSON files under its ``data`` folder) keeps a
generated module listing every English text a person sees in them (titles, descriptions, section
titles, question texts, help, units, option labels, scale levels and descriptors) with
``gettext_noop``, so that ``makemessages`` extracts them; its ``INSTRUMENTS`` are the codes whose
texts the engine translates at display time (see ``engine.tr``). User-written questionnaires
(consultation questions) are user content: their codes are never registered, their texts shown
as written.

Regenerate an app's list after editing its data files, e.g.::

    python -m echos.assessment.instruments_i18n
    python -m echos.events.questions_i18n
    python -m echos.participation.questions_i18n

Texts with ``%`` or braces carry ``# xgettext:no-python-format`` (or ``no-python-brace-format``):
they are not format strings, and ``msgfmt --check`` must not ask translators to keep a "% o".
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

CONTEXT = "questionnaire"
# Short texts that are also interface strings of a different meaning (a maturity level is not the
# status of a record; an adjective may agree with another noun): translated with the context above.
CONTEXTUAL = frozenset(
    {"Active", "Collaborating", "National", "None", "Planned", "Regional", "Sustained"}
)
LINE = 100  # ruff's line length: the generated module is written as ruff format would


def gettext_noop(message: str) -> str:
    """Mark ``message`` for extraction, translated later (needs no settings, unlike Django's)."""
    return message


def pgettext_noop(context: str, message: str) -> str:
    """Mark ``message`` for extraction with its context, translated later (Django has no such)."""
    return message


def english(value) -> str:
    """The English text of a label: plain text, or the ``"en"`` entry of ``{"en": ..., ...}``."""
    if isinstance(value, dict):
        return value.get("en") or ""
    return value if isinstance(value, str) else ""


def shown_texts(definition: dict) -> list[str]:
    """Every English text of a definition a person sees, in order of appearance, once each."""
    found: list[str] = [english(definition.get("title")), english(definition.get("description"))]
    for section in definition.get("sections", []):
        found += [english(section.get("title")), english(section.get("description"))]
        for q in section.get("questions", []):
            found += [english(q.get(key)) for key in ("text", "help", "unit")]
            for item in [*q.get("options", []), *q.get("levels", [])]:
                found += [english(item.get("label")), english(item.get("descriptor"))]
    return list(dict.fromkeys(t for t in found if t.strip()))


def _q(text: str) -> str:
    """A Python string literal in double quotes, as ruff format writes it."""
    return json.dumps(text, ensure_ascii=False)


def _entry(text: str) -> list[str]:
    lines = []
    if "%" in text:
        lines.append("    # xgettext:no-python-format")
    if "{" in text or "}" in text:
        lines.append("    # xgettext:no-python-brace-format")
    call = f"pgettext({_q(CONTEXT)}, {_q(text)})" if text in CONTEXTUAL else f"_({_q(text)})"
    if len(call) + 5 <= LINE:
        return [*lines, f"    {call},"]
    # Wrapped, the comment goes right before the string: xgettext reads it only there.
    head, _sep, rest = call.partition("(")
    return [f"    {head}(", *[f"    {line}" for line in lines], f"        {rest[:-1]}", "    ),"]


def _tuple(name: str, items: list[str]) -> list[str]:
    """``NAME = (...)`` on one line when it fits, one item a line otherwise (as ruff formats it)."""
    one = f"{name} = (" + ", ".join(_q(i) for i in items) + ("," if len(items) == 1 else "") + ")"
    if len(one) <= LINE:
        return [one]
    return [f"{name} = (", *[f"    {_q(i)}," for i in items], ")"]


def render(app: str, module: str, sources: Iterable[str]) -> str:
    """The source of ``echos.<app>.<module>``: the texts of the app's shipped ``sources`` files."""
    sources = list(sources)
    app_dir = Path(__file__).resolve().parent.parent / app
    definitions = [json.loads((app_dir / s).read_text(encoding="utf-8")) for s in sources]
    texts = list(dict.fromkeys(t for d in definitions for t in shown_texts(d)))
    lines = [
        "# ruff: noqa: E501",
        f'"""Texts of the questionnaires {app} ships, listed so that makemessages extracts them.',
        "",
        "Generated from " + ", ".join(f"``{s}``" for s in sources) + " by",
        f"``python -m echos.{app}.{module}``: regenerate after editing them (a test checks).",
        "See echos.questionnaires.i18n: ``_`` and ``pgettext`` only mark texts, under the names",
        "makemessages extracts (``pgettext`` with its context).",
        '"""',
        "",
        "from echos.questionnaires.i18n import gettext_noop as _",
        *(
            ["from echos.questionnaires.i18n import pgettext_noop as pgettext"]
            if CONTEXTUAL.intersection(texts)
            else []
        ),
        "from echos.questionnaires.i18n import regenerate",
        "",
        *_tuple("SOURCES", sources),
        *_tuple("INSTRUMENTS", [d["code"] for d in definitions]),
        "TEXTS = [",
        *[line for t in texts for line in _entry(t)],
        "]",
        "",
        "",
        'if __name__ == "__main__":',
        f"    regenerate({_q(app)}, {_q(module)}, SOURCES)",
        "",
    ]
    return "\n".join(lines)


def module_path(app: str, module: str) -> Path:
    return Path(__file__).resolve().parent.parent / app / f"{module}.py"


def regenerate(app: str, module: str, sources: Iterable[str]) -> None:
    """Rewrite ``echos/<app>/<module>.py`` from the data files (``--check``: exit 1 when stale)."""
    path, text = module_path(app, module), render(app, module, sources)
    if "--check" in sys.argv[1:]:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            sys.exit(f"{path} is out of date: run python -m echos.{app}.{module}")
        return
    path.write_text(text, encoding="utf-8")
