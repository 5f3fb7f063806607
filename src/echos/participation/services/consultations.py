"""Consultations: opening one, answering it (one answer per person), follow-up, results, exports."""

import json
import secrets
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core import contributions as flow
from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation, guard
from echos.core.languages import COUNTRY_LANGUAGE, LANGUAGE_CODES
from echos.core.multilingual import (
    active_language,
    clean_source_language,
    clean_translations,
    export_header,
    export_languages,
    export_row,
    field_limits,
)
from echos.hubs.models import Hub
from echos.participation import permissions as perms
from echos.participation.models import BODY_MAX, Answer, AnswerTally, Consultation
from echos.participation.services._common import _closing, _text
from echos.participation.services.contributions import ANSWER
from echos.participation.services.tallies import tally_cells
from echos.questionnaires import engine
from echos.questionnaires.models import Instrument
from echos.questionnaires.services import AnswersInvalid, publish_instrument

DATA = Path(__file__).resolve().parent.parent / "data"
STANDARD_DEFINITION = DATA / "consultation_priorities.json"
CHARTED_TYPES = {"single", "multiple", "scale"}


def standard_definition() -> dict:
    """The shipped consultation questionnaire (hub priorities)."""
    return json.loads(STANDARD_DEFINITION.read_text(encoding="utf-8"))


def standard_instrument() -> Instrument:
    """The current version of the shipped consultation questionnaire, published on first use."""
    return publish_instrument(standard_definition())


def _instrument_from(definition) -> Instrument:
    """A consultation instrument from a definition (dict or JSON text) in the engine's format."""
    if isinstance(definition, str):
        try:
            definition = json.loads(definition)
        except json.JSONDecodeError as exc:
            raise RuleViolation(
                _("The questionnaire is not valid JSON (line %(l)d): %(m)s")
                % {"l": exc.lineno, "m": exc.msg},
                "definition",
            ) from None
    if not isinstance(definition, dict):
        raise RuleViolation(_("The questionnaire must be a JSON object."), "definition")
    definition = {
        **definition,
        "kind": Instrument.Kind.CONSULTATION,
        "code": f"consultation-{timezone.now():%Y%m%d}-{secrets.token_hex(4)}",
    }
    definition.setdefault("title", _("Consultation questionnaire"))
    try:
        found = engine.questions(definition)
    except (engine.DefinitionError, KeyError, TypeError, AttributeError) as exc:
        raise RuleViolation(
            _("The questionnaire definition is not valid: %(m)s") % {"m": exc}, "definition"
        ) from None
    if not found:
        raise RuleViolation(_("The questionnaire has no question."), "definition")
    return publish_instrument(definition)


def _aware(value: datetime) -> datetime:
    """A date and time without a time zone is read in the site's time zone (``TIME_ZONE``), as the
    consultation form does."""
    if timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _check_period(
    opens_at: datetime | None, closes_at: datetime | None
) -> tuple[datetime, datetime]:
    """The period with both ends in a time zone; refused when an end is missing or out of order."""
    if opens_at is None:
        raise RuleViolation(_("Give the date and time the consultation opens."), "opens_at")
    if closes_at is None:
        raise RuleViolation(_("Give the date and time the consultation closes."), "closes_at")
    opens_at, closes_at = _aware(opens_at), _aware(closes_at)
    if closes_at <= opens_at:
        raise RuleViolation(_("The consultation must close after it opens."), "closes_at")
    return opens_at, closes_at


def _check_languages(languages) -> list[str]:
    codes = [str(c).strip().lower() for c in (languages or []) if str(c).strip()]
    unknown = sorted(set(codes) - LANGUAGE_CODES)
    if unknown:
        raise RuleViolation(
            _("Unknown language code: %(c)s (use ISO 639-1, e.g. en, pl).")
            % {"c": ", ".join(unknown)},
            "languages",
        )
    return list(dict.fromkeys(codes))


def default_language(hub: Hub) -> str:
    """The language a hub's new text is written in unless it says otherwise: its country's."""
    return COUNTRY_LANGUAGE.get(hub.country_id, "") or active_language()


def _check_translations(value, source_language: str, fields: tuple[str, ...]) -> dict:
    """Translations of ``fields`` of a consultation (others refused naming the field)."""
    limits = {k: v for k, v in field_limits(Consultation).items() if k in fields}
    limits = {k: min(v, BODY_MAX * 2) for k, v in limits.items()}
    return clean_translations(value, limits, source_language)


def _merge(consultation: Consultation, texts: dict, fields: tuple[str, ...]) -> dict:
    """The consultation's translations with ``fields`` replaced by ``texts``' (the others kept)."""
    merged: dict[str, dict[str, str]] = {}
    for language, old in (consultation.translations or {}).items():
        kept = {k: v for k, v in (old or {}).items() if k not in fields}
        if kept:
            merged[language] = kept
    for language, new in texts.items():
        merged.setdefault(language, {}).update({k: v for k, v in new.items() if k in fields})
    return {k: v for k, v in merged.items() if v}


@transaction.atomic
def translate_consultation(
    *,
    actor,
    consultation: Consultation,
    title: str | None = None,
    description: str | None = None,
    source_language: str | None = None,
    translations=None,
) -> Consultation:
    """Change the organiser's text of a consultation: title, description, their source language
    and their translations (given ``translations`` replace those of title and description; the
    follow-up's stay). Those who may run the hub's consultations only."""
    guard(perms.can_run_consultations(actor, consultation.hub), actor)
    before = {
        "title": consultation.title,
        "description": consultation.description,
        "source_language": consultation.source_language,
        "translations": consultation.translations,
    }
    if title is not None:
        consultation.title = _text(
            title, "title", 200, required=True, message=_("Give the consultation a title.")
        )
    if description is not None:
        consultation.description = _text(
            description,
            "description",
            BODY_MAX,
            required=True,
            message=_("Describe what the consultation is about and what the hub will do with it."),
        )
    if source_language is not None:
        consultation.source_language = clean_source_language(source_language)
    fields = ("title", "description")
    if translations is not None:
        texts = _check_translations(translations, consultation.source_language, fields)
        consultation.translations = _merge(consultation, texts, fields)
    # the source language may have changed: the texts must still be valid against it
    consultation.translations = clean_translations(
        {k: v for k, v in consultation.translations.items() if k != consultation.source_language},
        field_limits(Consultation),
        consultation.source_language,
    )
    consultation.save()
    after = {
        "title": consultation.title,
        "description": consultation.description,
        "source_language": consultation.source_language,
        "translations": consultation.translations,
    }
    changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changed:
        log_action(
            actor=actor,
            action="participation.consultation.text_changed",
            target=consultation,
            data={"changed": changed},
        )
    return consultation


def open_consultation(
    *,
    actor,
    hub: Hub,
    title: str,
    description: str,
    opens_at: datetime,
    closes_at: datetime,
    languages=None,
    mode: str = Consultation.Mode.OPEN,
    definition=None,
    instrument: Instrument | None = None,
    is_demo: bool = False,
    source_language: str = "",
    translations=None,
) -> Consultation:
    """Open a questionnaire of a hub to the public for a period (hub coordinators, editors, network).

    ``source_language`` is the language of the title and description (default: the hub's
    country's language); ``translations`` gives them in other languages."""
    guard(perms.can_run_consultations(actor, hub), actor)
    title = _text(title, "title", 200, required=True, message=_("Give the consultation a title."))
    description = _text(
        description,
        "description",
        BODY_MAX,
        required=True,
        message=_("Describe what the consultation is about and what the hub will do with it."),
    )
    opens_at, closes_at = _check_period(opens_at, closes_at)
    languages = _check_languages(languages)
    source_language = clean_source_language(source_language or default_language(hub))
    translations = _check_translations(translations, source_language, ("title", "description"))
    if mode not in Consultation.Mode.values:
        raise RuleViolation(_("Choose who may answer."), "mode")
    with transaction.atomic():
        if instrument is None:
            instrument = _instrument_from(definition) if definition else standard_instrument()
        elif instrument.kind != Instrument.Kind.CONSULTATION:
            raise RuleViolation(_("Choose a consultation questionnaire."), "instrument")
        consultation = Consultation.objects.create(
            hub=hub,
            instrument=instrument,
            title=title,
            description=description,
            languages=languages,
            opens_at=opens_at,
            closes_at=closes_at,
            mode=mode,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            is_demo=is_demo,
            source_language=source_language,
            translations=translations,
        )
        AnswerTally.objects.bulk_create(
            [
                AnswerTally(consultation=consultation, question=q, option=o)
                for q, o in tally_cells(instrument.definition)
            ]
        )
        log_action(
            actor=actor,
            action="participation.consultation.opened",
            target=consultation,
            data={"hub": hub.pk, "opens_at": opens_at, "closes_at": closes_at},
        )
    return consultation


def submit_answer(
    *,
    consultation: Consultation,
    answers: dict,
    user=None,
    email: str = "",
    language: str = "",
    now=None,
) -> Answer:
    """Store one person's answers: counted at once for an account, pending e-mail confirmation otherwise.

    Refused (nothing written) when the consultation is not open or the answers do not validate.
    One answer per account and per normalised e-mail (in the service and in the database): a
    second one from an account is refused (Conflict); a second one from an e-mail address writes
    nothing, returns the earlier answer and e-mails the address a notice, so the visitor is not
    told whether that address took part.
    """
    now = now or timezone.now()
    if now < consultation.opens_at:
        raise RuleViolation(_("This consultation is not open yet."), "consultation")
    if consultation.is_closed(now):
        raise RuleViolation(
            _("This consultation closed on %(d)s: answers are no longer accepted.")
            % {"d": _closing(consultation)},
            "consultation",
        )
    if consultation.mode == Consultation.Mode.ACCOUNT and not getattr(
        user, "is_authenticated", False
    ):
        raise RuleViolation(_("Sign in to answer this consultation."), "email")
    cleaned, errors = engine.validate(consultation.instrument.definition, answers, complete=True)
    if errors:
        raise AnswersInvalid(errors)
    title = consultation.title
    return flow.contribute(
        ANSWER,
        user=user,
        email=email,
        scope={"consultation": consultation},
        create=lambda account, address, confirmed_at: Answer.objects.create(
            consultation=consultation,
            user=account,
            email=address,
            answers=cleaned,
            language=(language or "")[:8],
            created_at=now,
            confirmed_at=confirmed_at,
        ),
        wording=flow.Wording(
            confirm_subject=_("Confirm your answer to “%(t)s”") % {"t": title},
            confirm_intro=" ".join(
                [
                    _("Thank you for answering the consultation “%(t)s” of %(hub)s.")
                    % {"t": title, "hub": consultation.hub.name_en},
                    _(
                        "It closes on %(d)s: confirm before then, answers confirmed after it "
                        "has closed are not counted."
                    )
                    % {"d": _closing(consultation)},
                ]
            ),
            done=_("answered this consultation"),
            duplicate=_("You have already answered this consultation."),
            already_subject=_("You have already answered “%(t)s”") % {"t": title},
            already_what=_("answer the consultation “%(t)s”") % {"t": title},
        ),
        now=now,
    )


@transaction.atomic
def publish_follow_up(
    *, actor, consultation: Consultation, text: str, translations=None
) -> Consultation:
    """Publish (or with empty text withdraw) "what we did with your input"; shown once closed.

    ``translations`` (``{"fr": {"follow_up": …}}``) replace the follow-up's translations; it is
    written in the consultation's source language."""
    guard(perms.can_run_consultations(actor, consultation.hub), actor)
    text = _text(text, "follow_up", BODY_MAX * 2, required=False)
    texts = _check_translations(
        translations if text else {}, consultation.source_language, ("follow_up",)
    )
    consultation.follow_up = text
    consultation.follow_up_published_at = timezone.now() if text else None
    consultation.translations = _merge(consultation, texts, ("follow_up",))
    consultation.save(
        update_fields=["follow_up", "follow_up_published_at", "translations", "updated_at"]
    )
    log_action(
        actor=actor,
        action="participation.consultation.follow_up_published"
        if text
        else "participation.consultation.follow_up_withdrawn",
        target=consultation,
        data={"length": len(text)},
    )
    return consultation


def results(consultation: Consultation) -> list[dict]:
    """Per question: counts per option from the tallies (two queries whatever the number of answers)."""
    counts = {
        (t.question, t.option): t.count
        for t in AnswerTally.objects.filter(consultation=consultation).only(
            "question", "option", "count"
        )
    }
    out = []
    for q in engine.questions(consultation.instrument.definition):
        answered = counts.get((q.code, ""), 0)
        options = []
        if q.type in {"single", "multiple"}:
            options = list(q.options)
        elif q.type == "scale":
            options = [(str(lv["value"]), f"{lv['value']} · {lv['label']}") for lv in q.levels]
        rows = [
            {
                "value": value,
                "label": label,
                "count": counts.get((q.code, value), 0),
                "share": round(100 * counts.get((q.code, value), 0) / answered, 1)
                if answered
                else 0.0,
            }
            for value, label in options
        ]
        out.append(
            {
                "question": q,
                "code": q.code,
                "text": q.text,
                "type": q.type,
                "answered": answered,
                "charted": q.type in CHARTED_TYPES,
                "rows": rows,
            }
        )
    return out


def text_answers(consultation: Consultation, code: str):
    """Confirmed answers that hold a free-text answer to question ``code``, newest first."""
    return (
        Answer.objects.confirmed()
        .filter(consultation=consultation, answers__has_key=code)
        .only("pk", "answers", "confirmed_at")
        .order_by("-confirmed_at", "-pk")
    )


def text_rows(consultation: Consultation) -> list[list[str]]:
    """Header and one row of the consultation's text in every language (``title [de]``…), the
    follow-up only once it is public."""
    fields = ["title", "description"] + (["follow_up"] if consultation.follow_up_visible else [])
    languages = export_languages([consultation])
    return [
        ["consultation", "source_language", *export_header(fields, languages)],
        [
            str(consultation.pk),
            consultation.source_language,
            *export_row(consultation, fields, languages),
        ],
    ]


def export_rows(consultation: Consultation):
    """Header and rows of the confirmed answers: no e-mail, account or name, only answers."""
    questions = engine.questions(consultation.instrument.definition)
    header = ["answer", "submitted", "language", *[q.code for q in questions]]
    yield header
    answers = (
        Answer.objects.confirmed()
        .filter(consultation=consultation)
        .only("pk", "answers", "confirmed_at", "language")
        .order_by("pk")
    )
    for n, a in enumerate(answers.iterator(chunk_size=2000), start=1):
        row = [n, a.confirmed_at.date().isoformat(), a.language]
        for q in questions:
            value = a.answers.get(q.code)
            if isinstance(value, list):
                value = ";".join(map(str, value))
            elif isinstance(value, dict):
                value = json.dumps(value, ensure_ascii=False)
            row.append("" if value is None else value)
        yield row
