"""The tag vocabularies of the library and the languages a resource may be in.

Tags are ``(vocabulary, code)`` pairs. Mission objectives, stakeholder groups and policy areas are
core vocabularies (``core.Term``); maturity dimensions are those of the current maturity model
(``assessment``); lifecycle stages are the hubs' ``Stage``. Codes are checked here, in one place,
for forms, services and the API.
"""

from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from echos.assessment import benchmarks, scoring
from echos.core.exceptions import RuleViolation
from echos.core.languages import language_codes
from echos.core.models import Term
from echos.hubs.models import Stage
from echos.library.models import Vocabulary

TERM_VOCABULARIES: dict[str, str] = {
    Vocabulary.OBJECTIVES: Term.Vocabulary.OBJECTIVES,
    Vocabulary.STAKEHOLDER_GROUPS: Term.Vocabulary.STAKEHOLDER_GROUPS,
    Vocabulary.POLICY_AREAS: Term.Vocabulary.POLICY_AREAS,
}
MAX_TAGS = 40


def dimensions() -> list[tuple[str, str]]:
    """Codes and titles of the maturity dimensions of the current maturity model."""

    return list(scoring.dimension_titles(benchmarks.maturity_definition()).items())


def choices(vocabulary: str) -> list[tuple[str, str]]:
    """``(code, label)`` of one vocabulary, in its own order, labels in the active language."""
    if vocabulary in TERM_VOCABULARIES:
        return [(t.code, t.display) for t in Term.objects.of(TERM_VOCABULARIES[vocabulary])]
    if vocabulary == Vocabulary.DIMENSIONS:
        return dimensions()
    if vocabulary == Vocabulary.STAGES:
        return [(value, str(label)) for value, label in Stage.choices]
    return []


def all_choices() -> dict[str, list[tuple[str, str]]]:
    """Every vocabulary's choices by vocabulary code."""
    return {vocabulary: choices(vocabulary) for vocabulary in Vocabulary.values}


def label(vocabulary: str, code: str, known: dict[str, list[tuple[str, str]]] | None = None) -> str:
    """The label of one tag (its code when the code is no longer known)."""
    return dict((known or {}).get(vocabulary) or choices(vocabulary)).get(code, code)


def parse_tag(text: str, field: str = "tags") -> tuple[str, str]:
    """``"vocabulary:code"`` as a pair; a RuleViolation naming ``field`` when it is malformed."""
    vocabulary, sep, code = (text or "").strip().partition(":")
    if not sep or not vocabulary or not code:
        raise RuleViolation(
            _("Write a tag as vocabulary:code, for example objectives:prevention."), field
        )
    return vocabulary.strip(), code.strip()


def check_tags(tags: Iterable[tuple[str, str]], field: str = "tags") -> list[tuple[str, str]]:
    """The tags, without repeats, each of a known vocabulary and code; else a RuleViolation."""
    unique = list(dict.fromkeys((str(v), str(c)) for v, c in tags))
    if len(unique) > MAX_TAGS:
        raise RuleViolation(_("At most %(n)s tags.") % {"n": MAX_TAGS}, field)
    known: dict[str, set[str]] = {}
    for vocabulary, code in unique:
        if vocabulary not in Vocabulary.values:
            raise RuleViolation(
                _("Unknown tag vocabulary: %(v)s (use one of %(all)s).")
                % {"v": vocabulary[:40], "all": ", ".join(Vocabulary.values)},
                field,
            )
        if vocabulary not in known:
            known[vocabulary] = {c for c, _label in choices(vocabulary)}
        if code not in known[vocabulary]:
            raise RuleViolation(
                _("Unknown tag: %(v)s:%(c)s.") % {"v": vocabulary, "c": code[:40]}, field
            )
    return unique


def check_language(code: str, field: str = "language") -> str:
    """An ISO 639-1 code in lower case; else a RuleViolation naming ``field``."""
    value = (code or "").strip().lower()
    if value not in language_codes():
        raise RuleViolation(
            _("Unknown language: use a two-letter ISO 639-1 code such as pt or pl."), field
        )
    return value


def language_name(code: str) -> str:
    """The name of a language in that language when Django knows it, else its code."""
    try:
        return str(translation.get_language_info(code)["name_local"])
    except KeyError:
        return code
