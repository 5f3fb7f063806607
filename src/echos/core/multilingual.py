"""Content in several languages (issue #17, "Content in several languages").

A translatable object (a hub's profile, an event, a consultation, a proposal's answer, a library
resource, an initiative) is written in one **source language** and may carry **translations** of its
text fields into any of the languages the platform offers (``settings.LANGUAGES``)::

    class Event(TranslatableModel):
        TRANSLATABLE = ("title", "description")

stores ``source_language`` ("de") and ``translations`` (``{"fr": {"title": "…"}, "pl": {…}}``)
beside the source text in the model's own fields, and ``search_text``: every text of every
language folded (``core.folding``) for accent- and case-insensitive search on any database.

- :func:`shown` gives the text to show a reader: their language when translated, otherwise the
  source text with ``is_fallback`` set, so that the page marks it ("Shown in German") and sets
  ``lang`` on it (WCAG 3.1.2).
- :func:`clean_source_language` and :func:`clean_translations` are the rules every service applies
  to input from forms, the API and imports: an unknown or unoffered language, an unknown field, a
  text over the field's limit are refused naming the field (``translations.fr.title``).
- :func:`every_language` gives ``{language: text}`` for exports, the API and iCalendar, which
  carry every language, not only the reader's.
- :class:`TranslationsFormMixin` adds the source language and one group of fields per offered
  language to a form; ``core/_translations_fieldset.html`` renders them on the same form.
- :func:`folded_search` filters a queryset of translatable objects by the words of a query.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation
from echos.core.folding import fold, words
from echos.core.languages import LANGUAGE_CODES, language_codes, language_name

MAX_QUERY_WORDS = 8


def offered_languages() -> list[str]:
    """The codes of the languages the platform offers (the interface's 26)."""
    return [code for code, _name in settings.LANGUAGES]


def active_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


# --- the model ------------------------------------------------------------------------------------


class TranslatableModel(models.Model):
    """Abstract base: a source language, translations per field and a folded search text."""

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ()
    # Fields that are never translated (a proper name) but that search should still find.
    SEARCH_ALSO: ClassVar[tuple[str, ...]] = ()
    SEARCH_EXCLUDE: ClassVar[tuple[str, ...]] = ()

    source_language = models.CharField(
        gettext_lazy("written in"),
        max_length=8,
        default="en",
        help_text=gettext_lazy("The language the text was written in."),
    )
    translations = models.JSONField(
        gettext_lazy("translations"),
        default=dict,
        blank=True,
        help_text=gettext_lazy("The text in other languages: {language: {field: text}}."),
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = search_text_of(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & {
            *self.TRANSLATABLE,
            *self.SEARCH_ALSO,
            "translations",
        }:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


def search_text_of(obj: Any) -> str:
    """Every text of ``obj`` in every language, folded, one per line (for ``search_text``), except
    the fields of ``SEARCH_EXCLUDE`` (a text that is not public yet must not be found by a search:
    a consultation's follow-up before it is published)."""
    parts: list[str] = [str(getattr(obj, f, "") or "") for f in getattr(obj, "SEARCH_ALSO", ())]
    fields = [f for f in obj.TRANSLATABLE if f not in getattr(obj, "SEARCH_EXCLUDE", ())]
    for field in fields:
        parts.append(str(getattr(obj, field, "") or ""))
    translations = obj.translations or {}
    for language in sorted(translations):  # one order on every database (jsonb sorts its keys)
        texts = translations[language]
        if isinstance(texts, Mapping):
            parts.extend(str(texts.get(field) or "") for field in fields)
    return fold("\n".join(p for p in parts if p))


def refresh_search_text(objs: Iterable[Any]) -> list[Any]:
    """Fill ``search_text`` on objects about to be written by ``bulk_create`` (which skips save)."""
    objs = list(objs)
    for obj in objs:
        obj.search_text = search_text_of(obj)
    return objs


def fill_search_text(queryset: models.QuerySet, batch: int = 2000) -> int:
    """Fill ``search_text`` of the objects of ``queryset`` by primary key, ``batch`` at a time, so
    that 100,000 rows are done in bounded memory (migrations, restoring an older backup); returns
    how many were."""
    model = queryset.model
    fields = {*model.TRANSLATABLE, *getattr(model, "SEARCH_ALSO", ())}
    qs = queryset.order_by("pk").only("pk", *fields, "translations", "source_language")
    last, done = 0, 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:batch])
        if not chunk:
            return done
        refresh_search_text(chunk)
        model._base_manager.using(qs.db).bulk_update(chunk, ["search_text"], batch_size=500)
        last, done = chunk[-1].pk, done + len(chunk)


def folded_search(queryset: models.QuerySet, query: str, field: str = "search_text"):
    """``queryset`` narrowed to objects whose text holds every word of ``query``, ignoring case and
    accents in every language (``Łódź`` finds "lodz", "Υγεία" finds "υγεια")."""
    for word in words(query)[:MAX_QUERY_WORDS]:
        queryset = queryset.filter(**{f"{field}__contains": word})
    return queryset


# --- what a reader sees ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A text as shown to a reader: the text, its language, and whether it is the source text
    standing in for a missing translation."""

    text: str
    language: str
    is_fallback: bool
    wanted: str

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def lang_attr(self) -> SafeString:
        """`` lang="de"`` when the text is in another language than the page, else nothing."""
        if self.language and self.language != self.wanted:
            return format_html(' lang="{}"', self.language)
        return mark_safe("")

    @property
    def marker(self) -> str:
        """ "Shown in German: not yet translated into French." for a fallback, else ""."""
        if not self.is_fallback:
            return ""
        return _("Shown in %(source)s: not yet translated into %(wanted)s.") % {
            "source": language_name(self.language),
            "wanted": language_name(self.wanted),
        }


def shown(obj: Any, field: str, language: str | None = None) -> Shown:
    """``field`` of ``obj`` in ``language`` (default: the active one) when it exists, otherwise in
    the source language, marked as a fallback (an empty source text is never a fallback)."""
    wanted = (language or active_language()).split("-")[0].lower()
    source_language = getattr(obj, "source_language", "") or settings.LANGUAGE_CODE
    source = str(getattr(obj, field, "") or "")
    if wanted == source_language:
        return Shown(source, source_language, False, wanted)
    translated = ((getattr(obj, "translations", None) or {}).get(wanted) or {}).get(field)
    if translated:
        return Shown(str(translated), wanted, False, wanted)
    return Shown(source, source_language, bool(source), wanted)


def is_translated(obj: Any, language: str | None = None) -> bool:
    """Whether every non-empty source field of ``obj`` has a text in ``language``."""
    return not any(shown(obj, f, language).is_fallback for f in obj.TRANSLATABLE)


def every_language(obj: Any, field: str) -> dict[str, str]:
    """``{language: text}`` of ``field``: the source first, then each translation (exports, API,
    iCalendar)."""
    source_language = getattr(obj, "source_language", "") or settings.LANGUAGE_CODE
    out = {source_language: str(getattr(obj, field, "") or "")}
    for language in sorted(obj.translations or {}):
        text = (obj.translations[language] or {}).get(field)
        if text and language != source_language:
            out[language] = str(text)
    return out


def languages_of(obj: Any) -> list[str]:
    """The source language and the languages of the translations of ``obj``."""
    source_language = getattr(obj, "source_language", "") or settings.LANGUAGE_CODE
    return [source_language] + sorted(
        lang
        for lang, texts in (obj.translations or {}).items()
        if texts and lang != source_language
    )


# --- rules ----------------------------------------------------------------------------------------


def clean_source_language(value: Any, field: str = "source_language") -> str:
    """The source language code, lower case; any ISO 639-1 language of the Member States and
    Associated Countries (content may be written in Turkish or Ukrainian), refused naming
    ``field`` otherwise."""
    code = str(value or "").strip().lower()
    if not code:
        return settings.LANGUAGE_CODE
    if code == "no":
        code = "nb"
    if code not in (LANGUAGE_CODES & language_codes()) | set(offered_languages()):
        raise RuleViolation(
            _("“%(code)s” is not a language code this platform knows (use ISO 639-1, e.g. de).")
            % {"code": code[:20]},
            field,
        )
    return code


def clean_translations(
    value: Any,
    fields: Mapping[str, int],
    source_language: str,
    field: str = "translations",
) -> dict[str, dict[str, str]]:
    """Validated translations ``{language: {field: text}}``.

    ``fields`` maps each translatable field to its maximum length. Blank texts and languages left
    empty are dropped; a language the platform does not offer, the source language itself, a field
    that is not translatable, a text that is not a string or is too long are refused naming the
    field (``translations.fr.title``)."""
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        raise RuleViolation(_("Translations must be an object of languages."), field)
    offered = set(offered_languages())
    out: dict[str, dict[str, str]] = {}
    for language, texts in value.items():
        code = str(language).strip().lower()
        where = f"{field}.{str(language)[:20]}"
        if code not in offered:
            raise RuleViolation(
                _("This platform does not offer “%(code)s”; translations are for: %(codes)s.")
                % {"code": str(language)[:20], "codes": ", ".join(sorted(offered))},
                where,
            )
        if code == source_language:
            raise RuleViolation(
                _("The text is written in this language already; change the source text instead."),
                where,
            )
        if texts in (None, ""):
            continue
        if not isinstance(texts, Mapping):
            raise RuleViolation(_("A translation must be an object of fields."), where)
        kept: dict[str, str] = {}
        for name, text in texts.items():
            spot = f"{where}.{str(name)[:40]}"
            if name not in fields:
                raise RuleViolation(
                    _("“%(name)s” cannot be translated; translatable fields: %(fields)s.")
                    % {"name": str(name)[:40], "fields": ", ".join(fields)},
                    spot,
                )
            if text is None:
                continue
            if not isinstance(text, str):
                raise RuleViolation(_("A translation must be text."), spot)
            text = text.replace("\x00", "").strip()
            if len(text) > fields[name]:
                raise RuleViolation(
                    _("At most %(n)d characters (this has %(len)d).")
                    % {"n": fields[name], "len": len(text)},
                    spot,
                )
            if text:
                kept[name] = text
        if kept:
            out[code] = kept
    return out


def field_limits(model: type[models.Model]) -> dict[str, int]:
    """Each translatable field of ``model`` with its maximum length (20,000 for unbounded text)."""
    limits: dict[str, int] = {}
    for name in model.TRANSLATABLE:  # type: ignore[attr-defined]
        limits[name] = model._meta.get_field(name).max_length or 20000  # type: ignore[union-attr]
    return limits


# --- exports --------------------------------------------------------------------------------------


def export_header(fields: Iterable[str], languages: Iterable[str]) -> list[str]:
    """Column names of translated fields in an export: ``title [de]`` for each language."""
    return [f"{name} [{language}]" for name in fields for language in languages]


def export_row(obj: Any, fields: Iterable[str], languages: Iterable[str]) -> list[str]:
    """The texts of ``obj`` under :func:`export_header`'s columns ("" where not translated)."""
    row: list[str] = []
    for name in fields:
        texts = every_language(obj, name)
        row.extend(texts.get(language, "") for language in languages)
    return row


def export_languages(objs: Iterable[Any]) -> list[str]:
    """The languages used by ``objs``, in the platform's order (then any other source languages)."""
    used: set[str] = set()
    for obj in objs:
        used.update(languages_of(obj))
    order = offered_languages()
    return [c for c in order if c in used] + sorted(used - set(order))


# --- forms ----------------------------------------------------------------------------------------


def _source_language_choices() -> list[tuple[str, str]]:
    codes = (LANGUAGE_CODES & language_codes()) | set(offered_languages())
    codes.discard("no")
    return sorted(((c, language_name(c)) for c in codes), key=lambda pair: pair[1].casefold())


class TranslationsFormMixin:
    """Adds ``source_language`` and, per offered language, a field ``tr-<lang>-<field>`` for each
    translatable field, to a plain or model form.

    Subclasses set ``translatable_fields = {"title": forms.CharField(...), ...}`` (the fields of the
    translations, usually copies of the source fields, not required), then call
    ``self.setup_translations(instance)`` at the end of ``__init__``; ``cleaned_translations()``
    gives the service its input; ``translation_groups`` feeds the template.
    """

    translatable_fields: ClassVar[dict[str, forms.Field]] = {}

    def setup_translations(self, instance: Any = None) -> None:
        form: Any = self
        initial_language = getattr(instance, "source_language", None) or active_language()
        form.fields["source_language"] = forms.ChoiceField(
            label=_("Written in"),
            choices=_source_language_choices(),
            initial=initial_language,
            help_text=_("The language of the text above. Add translations below."),
        )
        form.fields["source_language"].is_translation = True
        existing = getattr(instance, "translations", None) or {}
        for language in offered_languages():
            for name, template in self.translatable_fields.items():
                field = _copy_field(template)
                field.required = False
                field.label = f"{template.label} ({language_name(language)})"
                field.widget.attrs["lang"] = language
                field.is_translation = True  # type: ignore[attr-defined]
                key = f"tr-{language}-{name}"
                form.fields[key] = field
                if existing.get(language, {}).get(name):
                    form.initial.setdefault(key, existing[language][name])

    def cleaned_translations(self) -> dict[str, dict[str, str]]:
        form: Any = self
        data = form.cleaned_data
        out: dict[str, dict[str, str]] = {}
        for language in offered_languages():
            texts = {
                name: (data.get(f"tr-{language}-{name}") or "").strip()
                for name in self.translatable_fields
            }
            if any(texts.values()):
                out[language] = texts
        return out

    def add_translation_violation(self, exc: RuleViolation) -> bool:
        """Put a RuleViolation on ``translations.<lang>.<field>`` onto that form field."""
        form: Any = self
        parts = (exc.field or "").split(".")
        if parts[0] == "translations" and len(parts) >= 2:
            key = f"tr-{parts[1]}-{parts[2]}" if len(parts) > 2 else None
            form.add_error(key if key in form.fields else None, exc.message)
            return True
        return False

    @property
    def translation_groups(self) -> list[dict[str, Any]]:
        """Per offered language: its code, name, bound fields and whether it is filled or has an
        error (so the template opens it)."""
        form: Any = self
        groups = []
        source = form["source_language"].value() if "source_language" in form.fields else ""
        for language in offered_languages():
            bound = [form[f"tr-{language}-{name}"] for name in self.translatable_fields]
            groups.append(
                {
                    "code": language,
                    "name": language_name(language),
                    "fields": bound,
                    "open": any(b.value() for b in bound) or any(b.errors for b in bound),
                    "is_source": language == source,
                }
            )
        return groups


def _copy_field(field: forms.Field) -> forms.Field:
    return copy.deepcopy(field)


# --- admin ----------------------------------------------------------------------------------------


class FoldedSearchAdminMixin:
    """ModelAdmin mixin: the admin's search box matches ``search_text`` word by word, ignoring case
    and accents in every language, in addition to the admin's ``search_fields``."""

    def get_search_results(self, request, queryset, search_term):
        base: Any = super()
        found, may_have_duplicates = base.get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return found, may_have_duplicates
        folded = folded_search(queryset, search_term)
        return (found | folded).distinct(), True
