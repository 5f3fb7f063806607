"""The questionnaires layer: instruments keep their table, versions that anything refers to are never
rewritten, and organisations are named through the lookup the app above registers."""

import json
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from echos.core.models import ActionLog
from echos.participation.models import Consultation
from echos.questionnaires import engine
from echos.questionnaires.models import Instrument
from echos.questionnaires.services import publish_directory, publish_instrument
from echos.questionnaires.templatetags.questionnaire_tags import answer_display

pytestmark = pytest.mark.django_db


def consultation_definition(title="Priorities"):
    return {
        "code": "layer-check",
        "kind": "consultation",
        "title": title,
        "sections": [
            {
                "code": "s",
                "title": "S",
                "questions": [{"code": "why", "type": "text", "text": "Why?"}],
            }
        ],
    }


def test_instrument_keeps_its_table_and_gets_its_own_content_type():
    assert Instrument._meta.db_table == "assessment_instrument"
    assert Instrument._meta.label_lower == "questionnaires.instrument"
    content_type = ContentType.objects.get_for_model(Instrument)
    assert content_type.app_label == "questionnaires"
    assert not ContentType.objects.filter(app_label="assessment", model="instrument").exists()


def test_publishing_is_audited_under_the_questionnaires_app():
    instrument = publish_instrument(consultation_definition())
    entry = ActionLog.objects.get(
        target_id=str(instrument.pk), action__startswith="questionnaires."
    )
    assert entry.action == "questionnaires.instrument.published"
    assert entry.target_type.model_class() is Instrument


def test_an_unreferenced_version_changes_in_place(hubs):
    first = publish_instrument(consultation_definition())
    again = publish_instrument(consultation_definition("Priorities (revised)"))
    assert again.pk == first.pk and again.version == 1


def test_a_version_a_consultation_uses_is_kept_and_a_new_one_published(hubs):
    first = publish_instrument(consultation_definition())
    now = timezone.now()
    Consultation.objects.create(
        hub=hubs["norway"],
        title="Priorities",
        instrument=first,
        opens_at=now,
        closes_at=now + timedelta(days=3),
    )
    second = publish_instrument(consultation_definition("Priorities (revised)"))
    first.refresh_from_db()
    assert second.version == 2 and not first.is_current
    assert first.title == "Priorities"


def test_publish_directory_publishes_each_definition_once(tmp_path):
    (tmp_path / "b.json").write_text(json.dumps(consultation_definition()), encoding="utf-8")
    (tmp_path / "a.txt").write_text("not a definition", encoding="utf-8")
    published = publish_directory(tmp_path)
    assert [i.code for i in published] == ["layer-check"]
    assert publish_directory(tmp_path)[0].pk == published[0].pk


def test_organisations_are_named_through_the_registered_lookup(hubs, monkeypatch):
    occ = hubs["occ"]
    definition = {
        "sections": [
            {
                "code": "s",
                "title": "S",
                "questions": [{"code": "p", "type": "organisations", "text": "Who?"}],
            }
        ]
    }
    question = engine.questions(definition)[0]
    # assessment registers the lookup of the hubs' organisations (AppConfig.ready()).
    assert engine.organisation_names([occ.pk]) == {occ.pk: occ.name}
    assert answer_display(question, [occ.pk]) == occ.name
    assert engine.validate(definition, {"p": [occ.pk]}, complete=False) == ({"p": [occ.pk]}, {})
    # Without a lookup nothing is known: answers are refused, not accepted unchecked.
    monkeypatch.setattr(engine, "_organisation_names", None)
    assert engine.organisation_names([occ.pk]) == {}
    assert "p" in engine.validate(definition, {"p": [occ.pk]}, complete=False)[1]
