"""The one questionnaire engine: question types, conditional display, validation and scoring input.

An instrument's ``definition`` is JSON: ``{"sections": [{"code", "title", "questions": [...]}]}``;
each question has ``code``, ``type``, ``text``, ``required`` and type-specific keys (``options`` or
``options_from`` a vocabulary, ``levels`` for scales, ``min``/``max``, ``max_length``) and may have
``show_if`` ``{"question": code, "equals": value}`` or ``{"question": code, "contains": value}``.
Answers are stored as JSON: single → "value", multiple → ["a", "b"], scale → int, number → number,
money → {"amount": n, "currency": "EUR"}, date → "YYYY-MM-DD", text → str, organisations → [ids],
evidence → {"link": url} (files are Evidence rows).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from echos.core.models import Term
from echos.core.uploads import CleanUpload, validate_upload
from echos.questionnaires.i18n import CONTEXT, CONTEXTUAL

TYPES = {
    "single",
    "multiple",
    "scale",
    "number",
    "money",
    "date",
    "text",
    "organisations",
    "evidence",
}
EVIDENCE_EXTENSIONS = {
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "txt",
    "csv",
    "docx",
    "xlsx",
    "odt",
    "ods",
    "pptx",
}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


# Shipped instruments whose texts are listed for the gettext catalogues (each app's generated
# ``*_i18n`` module, registered in its AppConfig.ready()). Other definitions (a consultation's own
# questions) are user content: shown as written.
_catalogued: set[str] = set()


def register_catalogued(codes: Iterable[str]) -> None:
    """Declare instruments (by code) whose texts are translated through the gettext catalogues."""
    _catalogued.update(codes)


def is_catalogued(code: str) -> bool:
    """Whether the instrument ``code`` is shipped with its texts in the catalogues."""
    return code in _catalogued


def catalogued(definition) -> bool:
    """Whether a definition's texts are translated through the catalogues (shipped instruments)."""
    return isinstance(definition, dict) and is_catalogued(definition.get("code", ""))


def translated(text: str) -> str:
    """A shipped English text in the active language, from the catalogue (itself when missing)."""
    return pgettext(CONTEXT, text) if text in CONTEXTUAL else _(text)


def tr(value, catalogue: bool = False) -> str:
    """A label in the active language: definitions may give ``{"en": ..., "fr": ...}`` or plain text.

    In order: the definition's own entry for the active language; with ``catalogue`` (shipped
    instruments), the catalogue's translation of the English; the English; any entry at all.
    """
    if isinstance(value, dict):
        language = (get_language() or "en").split("-")[0]
        if value.get(language):
            return value[language]
        english = value.get("en")
        if english:
            return translated(english) if catalogue else english
        return next((v for v in value.values() if v), "")
    if not value:
        return ""
    return translated(value) if catalogue else value


_VOCABULARY_CACHE: dict[str, list[tuple[str, str]]] = {}


def vocabulary_options(vocabulary: str) -> list[tuple[str, str]]:
    """(code, label) of a vocabulary in the active language; codes read once per process."""
    if vocabulary not in _VOCABULARY_CACHE:
        _VOCABULARY_CACHE[vocabulary] = list(
            Term.objects.of(vocabulary).values_list("code", "label")
        )
    return [(code, _(label)) for code, label in _VOCABULARY_CACHE[vocabulary]]


def clear_vocabulary_cache(**_kwargs) -> None:
    """Forget cached vocabularies (connected to Term saves and deletes)."""
    _VOCABULARY_CACHE.clear()


# Answers to an "organisations" question are ids of the hubs' organisations. Hubs sit above this
# layer, so the app that knows them registers how to name them (assessment's AppConfig.ready()).
OrganisationNames = Callable[[Iterable[int]], dict[int, str]]
_organisation_names: OrganisationNames | None = None


def register_organisation_names(lookup: OrganisationNames) -> None:
    """Declare how to name organisations by id: ``lookup(ids)`` gives {id: name} of those that exist."""
    global _organisation_names
    _organisation_names = lookup


def organisation_names(ids: Iterable[int]) -> dict[int, str]:
    """{id: name} of the organisations among ``ids`` that exist (none when no lookup is registered)."""
    return _organisation_names(ids) if _organisation_names is not None else {}


class DefinitionError(ValueError):
    """The instrument definition itself is malformed."""


@dataclass
class Question:
    code: str
    type: str
    text: str
    section: str
    required: bool = False
    help: str = ""
    spec: dict = field(default_factory=dict)
    catalogue: bool = False  # a shipped instrument's: labels translated through the catalogues

    @property
    def show_if(self) -> dict | None:
        return self.spec.get("show_if")

    @cached_property
    def options(self) -> list[tuple[str, str]]:
        """(value, label) pairs of a choice question, from the definition or a vocabulary."""
        if self.spec.get("options_from"):
            return vocabulary_options(self.spec["options_from"])
        return [
            (str(o["value"]), tr(o["label"], self.catalogue)) for o in self.spec.get("options", [])
        ]

    @property
    def levels(self) -> list[dict]:
        """Scale levels with label and descriptor in the active language."""
        return [
            {
                **lv,
                "label": tr(lv.get("label"), self.catalogue),
                "descriptor": tr(lv.get("descriptor"), self.catalogue),
            }
            for lv in self.spec.get("levels", [])
        ]

    @property
    def unit(self) -> str:
        """The unit shown after a number answer ("FTE"), in the active language."""
        return tr(self.spec.get("unit"), self.catalogue)

    @property
    def dimension(self) -> str | None:
        return self.spec.get("dimension")


@dataclass
class Section:
    code: str
    title: str
    description: str
    dimension: str | None
    questions: list[Question]


def _is_label(value, where: str) -> bool:
    """Plain text, or text per language ``{"en": ..., "fr": ...}`` in languages the platform offers
    (another is refused naming ``where`` and the code, #17)."""
    if isinstance(value, str):
        return bool(value.strip())
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return False
    offered = {code for code, _name in settings.LANGUAGES}
    for code in set(value) - offered:
        raise DefinitionError(
            _("%(where)s: this platform does not offer the language “%(code)s” (use one of: "
              "%(codes)s)") % {"where": where, "code": str(code)[:20], "codes": ", ".join(sorted(offered))}
        )  # fmt: skip
    return any(v.strip() for v in value.values())


def _check_options(code: str, options) -> None:
    """Options of a choice question: a list of ``{"value": ..., "label": ...}``, values unique."""
    if not isinstance(options, list) or not options:
        raise DefinitionError(
            _('question %(q)s: "options" must be a list of {"value": ..., "label": ...}')
            % {"q": code}
        )
    values = set()
    for n, option in enumerate(options, start=1):
        if not isinstance(option, dict):
            raise DefinitionError(
                _('question %(q)s, option %(n)d: give an object {"value": ..., "label": ...}, '
                  "not %(v)r")
                % {"q": code, "n": n, "v": option}
            )  # fmt: skip
        value = option.get("value")
        if isinstance(value, bool) or not isinstance(value, str | int) or str(value) == "":
            raise DefinitionError(
                _('question %(q)s, option %(n)d: "value" is missing (text or a whole number)')
                % {"q": code, "n": n}
            )
        if not _is_label(option.get("label"), f"question {code}, option {value}"):
            raise DefinitionError(
                _('question %(q)s, option %(v)s: "label" is missing') % {"q": code, "v": value}
            )
        if str(value) in values:
            raise DefinitionError(
                _("question %(q)s: option value %(v)s is repeated") % {"q": code, "v": value}
            )
        values.add(str(value))


def _check_levels(code: str, levels) -> None:
    """Levels of a scale: a list of ``{"value": whole number, "label": ...}``, values unique."""
    if not isinstance(levels, list) or not levels:
        raise DefinitionError(_("question %(q)s: a scale needs levels") % {"q": code})
    values = set()
    for n, level in enumerate(levels, start=1):
        if not isinstance(level, dict):
            raise DefinitionError(
                _('question %(q)s, level %(n)d: give an object {"value": 1, "label": ...}, '
                  "not %(v)r")
                % {"q": code, "n": n, "v": level}
            )  # fmt: skip
        value = level.get("value")
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value)  # "3" is read as 3, as when answers are checked
        if isinstance(value, bool) or not isinstance(value, int):
            raise DefinitionError(
                _('question %(q)s, level %(n)d: "value" must be a whole number')
                % {"q": code, "n": n}
            )
        if not _is_label(level.get("label"), f"question {code}, level {value}"):
            raise DefinitionError(
                _('question %(q)s, level %(v)d: "label" is missing') % {"q": code, "v": value}
            )
        if "descriptor" in level and not (
            level["descriptor"] in ("", None)
            or _is_label(level["descriptor"], f"question {code}, level {value}")
        ):
            raise DefinitionError(
                _('question %(q)s, level %(v)d: "descriptor" must be text')
                % {"q": code, "v": value}
            )
        if value in values:
            raise DefinitionError(
                _("question %(q)s: level %(v)d is repeated") % {"q": code, "v": value}
            )
        values.add(value)


def _check_question(q, seen: set) -> tuple[str, str]:
    """The code and type of one question, after checking its shape; DefinitionError names it."""
    if not isinstance(q, dict):
        raise DefinitionError(_("each question must be an object, not %(v)r") % {"v": q})
    code, kind = q.get("code"), q.get("type")
    if not isinstance(code, str) or not code.strip() or code in seen:
        raise DefinitionError(f"question code missing or repeated: {code!r}")
    if kind not in TYPES:
        raise DefinitionError(f"question {code}: unknown type {kind!r}")
    for key in ("text", "help"):
        if key in q and q[key] not in ("", None) and not _is_label(q[key], f"question {code}"):
            raise DefinitionError(_('question %(q)s: "%(k)s" must be text') % {"q": code, "k": key})
    cond = q.get("show_if")
    if cond and (not isinstance(cond, dict) or cond.get("question") not in seen):
        raise DefinitionError(f"question {code}: show_if must refer to an earlier question")
    if kind in {"single", "multiple"}:
        if q.get("options_from"):
            if not isinstance(q["options_from"], str):
                raise DefinitionError(
                    _('question %(q)s: "options_from" must name a vocabulary') % {"q": code}
                )
        else:
            _check_options(code, q.get("options"))
    if kind == "scale":
        _check_levels(code, q.get("levels"))
    for key in ("min", "max", "max_length", "max_choices"):
        value = q.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise DefinitionError(
                _('question %(q)s: "%(k)s" must be a number') % {"q": code, "k": key}
            )
    return code, kind


def parse(definition: dict) -> list[Section]:
    """Sections and questions of a definition, checked for the mistakes an author can make."""
    if not isinstance(definition, dict):
        raise DefinitionError(_("the definition must be a JSON object"))
    sections: list = []
    seen: set[str] = set()
    catalogue = catalogued(definition)
    found = definition.get("sections", [])
    if not isinstance(found, list):
        raise DefinitionError(_('"sections" must be a list'))
    for n, s in enumerate(found, start=1):
        if not isinstance(s, dict) or not isinstance(s.get("code"), str) or not s["code"]:
            raise DefinitionError(_('section %(n)d: give an object with a "code"') % {"n": n})
        if not isinstance(s.get("questions", []), list):
            raise DefinitionError(_('section %(s)s: "questions" must be a list') % {"s": s["code"]})
        qs = []
        for q in s.get("questions", []):
            code, kind = _check_question(q, seen)
            seen.add(code)
            extra = {
                k: v for k, v in q.items() if k not in {"code", "type", "text", "required", "help"}
            }
            if s.get("dimension") and kind == "scale":
                extra.setdefault("dimension", s["dimension"])
            qs.append(
                Question(
                    code=code,
                    type=kind,
                    text=tr(q.get("text"), catalogue) or code,
                    section=s["code"],
                    required=bool(q.get("required")),
                    help=tr(q.get("help", ""), catalogue),
                    spec=extra,
                    catalogue=catalogue,
                )
            )
        sections.append(
            Section(
                code=s["code"],
                title=tr(s.get("title"), catalogue) or s["code"],
                description=tr(s.get("description", ""), catalogue),
                dimension=s.get("dimension"),
                questions=qs,
            )
        )
    return sections


def localised(definition: dict) -> dict:
    """Every text of a definition in the active language, as plain strings (API and exports).

    ``{"title", "description", "sections": [{"code", "title", "description", "questions":
    [{"code", "type", "required", "text", "help", "unit", "options": [{"value", "label"}],
    "levels": [{"value", "label", "descriptor"}]}]}]}``; options and levels are None where the
    type has none.
    """
    catalogue = catalogued(definition)
    out_sections = []
    for section in parse(definition):
        out_questions = []
        for q in section.questions:
            item: dict = {
                "code": q.code,
                "type": q.type,
                "required": q.required,
                "text": str(q.text),
                "help": str(q.help),
                "unit": q.unit,
                "options": None,
                "levels": None,
            }
            if q.type in {"single", "multiple"}:
                item["options"] = [{"value": v, "label": str(label)} for v, label in q.options]
            if q.type == "scale":
                item["levels"] = [
                    {
                        "value": int(lv["value"]),
                        "label": lv["label"],
                        "descriptor": lv["descriptor"],
                    }
                    for lv in q.levels
                ]
            out_questions.append(item)
        out_sections.append(
            {
                "code": section.code,
                "title": section.title,
                "description": section.description,
                "questions": out_questions,
            }
        )
    return {
        "title": tr(definition.get("title"), catalogue),
        "description": tr(definition.get("description"), catalogue),
        "sections": out_sections,
    }


def questions(definition: dict) -> list[Question]:
    """Every question, in order."""
    return [q for s in parse(definition) for q in s.questions]


def is_visible(question: Question, answers: dict) -> bool:
    """Whether a conditional question applies given the other answers."""
    cond = question.show_if
    if not cond:
        return True
    value = answers.get(cond["question"])
    if "equals" in cond:
        return value is not None and str(value) == str(cond["equals"])
    if "contains" in cond:
        return isinstance(value, list) and str(cond["contains"]) in [str(v) for v in value]
    return True


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def validate(definition: dict, answers: dict, *, complete: bool) -> tuple[dict, dict[str, str]]:
    """Clean answers and collect errors by question code; ``complete`` also checks required ones.

    Answers to questions hidden by their condition are dropped, so they never count.
    """
    cleaned: dict = {}
    errors: dict[str, str] = {}
    known = {q.code for q in questions(definition)}
    for code in answers:
        if code not in known:
            errors[code] = _("This question is not part of the instrument.")
    for q in questions(definition):
        if not is_visible(q, cleaned):
            continue
        value = answers.get(q.code)
        if _empty(value):
            if complete and q.required:
                errors[q.code] = _("Answer this question: %(q)s") % {"q": q.text}
            continue
        try:
            value = _clean(q, value)
        except ValueError as exc:
            errors[q.code] = str(exc)
            continue
        if _empty(value):
            # Spaces only are no answer, for required questions and for stored drafts alike.
            if complete and q.required:
                errors[q.code] = _("Answer this question: %(q)s") % {"q": q.text}
            continue
        cleaned[q.code] = value
    return cleaned, errors


def _number(value, q: Question) -> float | int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(_("Enter a number.")) from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(_("Enter a number."))
    if q.spec.get("integer") or q.type == "scale":
        if not float(number).is_integer():
            raise ValueError(_("Enter a whole number."))
        number = int(number)
    low, high = q.spec.get("min"), q.spec.get("max")
    if low is not None and number < low:
        raise ValueError(_("Enter a value of at least %(min)s.") % {"min": low})
    if high is not None and number > high:
        raise ValueError(_("Enter a value of at most %(max)s.") % {"max": high})
    return number


def _clean(q: Question, value):
    if q.type == "single":
        valid = {v for v, _label in q.options}
        if str(value) not in valid:
            raise ValueError(_("Choose one of the listed options."))
        return str(value)
    if q.type == "multiple":
        values = value if isinstance(value, list) else [value]
        valid = {v for v, _label in q.options}
        bad = [v for v in values if str(v) not in valid]
        if bad:
            raise ValueError(_("Unknown option: %(v)s.") % {"v": ", ".join(map(str, bad))})
        limit = q.spec.get("max_choices")
        if limit and len(set(values)) > limit:
            raise ValueError(_("Choose at most %(n)d options.") % {"n": limit})
        return sorted({str(v) for v in values}, key=[v for v, _label in q.options].index)
    if q.type == "scale":
        number = _number(value, q)
        allowed = [int(level["value"]) for level in q.levels]
        if number not in allowed:
            raise ValueError(
                _("Choose a level from %(low)d to %(high)d.")
                % {"low": min(allowed), "high": max(allowed)}
            )
        return number
    if q.type == "number":
        return _number(value, q)
    if q.type == "money":
        if not isinstance(value, dict):
            raise ValueError(_("Give an amount and a currency."))
        amount_rules = {
            "min": q.spec.get("min", 0),
            "max": q.spec.get("max"),
            "integer": q.spec.get("integer"),
        }
        amount = _number(
            value.get("amount"), Question(q.code, "number", q.text, q.section, spec=amount_rules)
        )
        currency = str(value.get("currency") or "").upper()
        if not currency:
            raise ValueError(_("Give the currency of the amount (e.g. EUR)."))
        if pycountry.currencies.get(alpha_3=currency) is None:
            raise ValueError(
                _("Unknown currency %(c)s: use an ISO 4217 code such as EUR.") % {"c": currency}
            )
        return {"amount": amount, "currency": currency}
    if q.type == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if q.type == "text":
        text = str(value).strip()
        limit = q.spec.get("max_length", 5000)
        if len(text) > limit:
            raise ValueError(
                _("Keep this under %(n)d characters (it has %(len)d).")
                % {"n": limit, "len": len(text)}
            )
        return text
    if q.type == "organisations":
        ids = value if isinstance(value, list) else [value]
        try:
            ids = sorted({int(v) for v in ids})
        except (TypeError, ValueError):
            raise ValueError(_("Choose organisations from the list.")) from None
        if len(organisation_names(ids)) != len(ids):
            raise ValueError(_("Choose organisations from the list."))
        return ids
    if q.type == "evidence":
        link = value.get("link") if isinstance(value, dict) else value
        try:
            URLValidator(schemes=["http", "https"])(str(link))
        except ValidationError:
            raise ValueError(_("Enter a web address starting with http:// or https://.")) from None
        return {"link": str(link)}
    raise ValueError(_("Unsupported question type."))


def clean_evidence_file(upload) -> CleanUpload:
    """The name and type to store an evidence file under, its content checked against its type.

    Raises ``RuleViolation`` on ``file`` for a type outside ``EVIDENCE_EXTENSIONS`` (by extension
    and by content), programs, web pages and files past ``EVIDENCE_MAX_BYTES``.
    """
    return validate_upload(upload, allowed=EVIDENCE_EXTENSIONS, max_bytes=EVIDENCE_MAX_BYTES)


def answers_from_post(definition: dict, data) -> dict:
    """Read a questionnaire form (``q_<code>`` fields) into an answers dict."""
    answers: dict = {}
    for q in questions(definition):
        name = f"q_{q.code}"
        if q.type in {"multiple", "organisations"}:
            values = [v for v in data.getlist(name) if v != ""]
            if values:
                answers[q.code] = values
        elif q.type == "money":
            amount, currency = (
                data.get(f"{name}_amount", "").strip(),
                data.get(f"{name}_currency", "").strip(),
            )
            if amount or currency:
                answers[q.code] = {"amount": amount or None, "currency": currency}
        elif q.type == "evidence":
            if data.get(name, "").strip():
                answers[q.code] = {"link": data.get(name).strip()}
        else:
            value = data.get(name, "")
            if str(value).strip() != "":
                answers[q.code] = value.strip() if isinstance(value, str) else value
    return answers
