"""Initiatives and activities in several languages (#17): the former ``language`` is the source
language, translations are validated, shown, exported, searched and read by the engine."""

import json

import pytest

from echos.core.exceptions import RuleViolation
from echos.synergies import engine, matching, services
from echos.synergies.models import Activity, Initiative

pytestmark = pytest.mark.django_db

SCREENING_PL = {
    "title": "Badania przesiewowe jelita grubego",
    "description": "Badanie przesiewowe raka jelita grubego z testem na krew utajoną w kale.",
}


@pytest.fixture
def initiative(db):
    return services.save_initiative(
        actor=None,
        key="screen-net",
        name="Colorectal screening network",
        programme="other",
        description="Organised colorectal cancer screening with faecal tests.",
        translations={"fr": {"name": "Réseau de dépistage colorectal"}},
    )


def _activity(hub, **extra):
    return services.save_activity(
        actor=None,
        hub=hub,
        title="Tarmscreening",
        description="Screening for tarmkreft med avføringstest.",
        source_language="nb",
        **extra,
    )


def test_the_former_language_field_is_the_source_language(hubs):
    activity = services.save_activity(
        actor=None, hub=hubs["norway"], title="T", description="D", language="NO"
    )
    assert activity.source_language == "nb"
    assert not hasattr(activity, "language")


def test_translation_rules_name_the_field(hubs, initiative):
    with pytest.raises(RuleViolation) as exc:
        _activity(hubs["norway"], translations={"nb": {"title": "Same language"}})
    assert exc.value.field == "translations.nb"
    with pytest.raises(RuleViolation) as exc:
        _activity(hubs["norway"], translations={"pl": {"title": "x" * 251}})
    assert exc.value.field == "translations.pl.title"
    with pytest.raises(RuleViolation) as exc:
        services.save_initiative(
            actor=None, initiative=initiative, translations={"fr": {"acronym": "RDC"}}
        )
    assert exc.value.field == "translations.fr.acronym"


def test_catalogue_search_is_folded_over_every_language(initiative, client):
    page = client.get("/synergies/?q=RESEAU+depistage").content.decode()
    assert initiative.get_absolute_url() in page
    assert initiative.get_absolute_url() not in client.get("/synergies/?q=lodz").content.decode()
    api = client.get("/api/v1/initiatives?q=réseau").json()
    assert [i["key"] for i in api["items"]] == ["screen-net"]


def test_initiative_page_in_the_visitors_language_or_the_source_with_marker(initiative, client):
    french = client.get(initiative.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Réseau de dépistage colorectal" in french
    # The description has no French text: it is the English source, marked and with lang="en".
    assert "source-language-marker" in french and 'lang="en"' in french
    german = client.get(initiative.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Colorectal screening network" in german and "source-language-marker" in german


def test_activity_page_api_and_open_data(hubs, initiative, client, personas, token_client):
    activity = _activity(hubs["norway"], translations={"pl": SCREENING_PL})
    polish = client.get(activity.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert SCREENING_PL["title"] in polish and "source-language-marker" not in polish
    read = client.get(f"/api/v1/activities/{activity.pk}").json()
    assert read["source_language"] == "nb" and read["translations"] == {"pl": SCREENING_PL}
    found = client.get("/api/v1/activities?language=pl&q=przesiewowe").json()
    assert [a["id"] for a in found["items"]] == [activity.pk]
    api = token_client(personas["coord_no"])
    bad = api.patch(
        f"/api/v1/activities/{activity.pk}",
        json.dumps({"translations": {"xx": {"title": "?"}}}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "translations.xx"
    denied = token_client(personas["coord_pt"]).patch(
        f"/api/v1/activities/{activity.pk}",
        json.dumps({"translations": {"fr": {"title": "Pirate"}}}),
        content_type="application/json",
    )
    assert denied.status_code == 403
    from echos.synergies.opendata import _activity_translations, _initiative_translations

    assert (activity.pk, "title", "pl", SCREENING_PL["title"]) in list(_activity_translations())
    assert ("screen-net", "name", "fr", "Réseau de dépistage colorectal") in list(
        _initiative_translations()
    )


def test_activity_form_has_translations_and_puts_errors_on_their_field(hubs, personas, login):
    client = login(personas["coord_no"])
    url = f"/synergies/hubs/{hubs['norway'].pk}/activities/new/"
    page = client.get(url).content.decode()
    assert 'name="tr-pl-title"' in page
    assert '<option value="nb" selected>' in page  # the hub's country language
    ok = client.post(
        url,
        {
            "title": "Skole uten røyk",
            "description": "Forebygging av røyking i skolen.",
            "source_language": "nb",
            "tr-en-title": "Smoke-free school",
        },
    )
    assert ok.status_code == 302
    made = Activity.objects.get(title="Skole uten røyk")
    assert made.translations == {"en": {"title": "Smoke-free school"}}
    bad = client.post(
        url,
        {
            "title": "Skole",
            "description": "Forebygging.",
            "source_language": "nb",
            "tr-nb-title": "Same language",
        },
    )
    # A whole language refused: said at the top of the form (core puts it there), nothing saved.
    assert bad.status_code == 200 and "already" in str(bad.context["form"].non_field_errors())
    assert not Activity.objects.filter(title="Skole").exists()
    assert login(personas["coord_pt"]).post(url, {"title": "x"}).status_code == 403


def test_engine_reads_every_language_version(hubs, initiative):
    """A Polish query meets an initiative's Polish translation; without it, the words miss."""
    other = services.save_initiative(
        actor=None,
        key="kids-care",
        name="Childhood cancer care",
        programme="other",
        description="Paediatric oncology networks for children.",
    )
    query = engine.Doc.make("q", "zaproszenia na kolonoskopię", language="pl")

    def first():
        index = engine.Index(
            [matching.initiative_doc(i) for i in Initiative.objects.order_by("pk")],
            need_vectors=False,
        )
        return engine.match([query], index, top=2, mode="lexical")[0]["matches"]

    before = first()
    assert not before or before[0]["initiative"] != "kids-care"
    services.save_initiative(
        actor=None,
        initiative=other,
        translations={"pl": {"description": "Zaproszenia na kolonoskopię dla dzieci."}},
    )
    after = first()
    assert after[0]["initiative"] == "kids-care" and after[0]["score"] > 0


def test_same_text_in_two_languages_is_not_twice_as_much_about_it():
    single = engine.Doc.make("a", "screening screening")
    doubled = engine.Doc.make("b", "screening screening", versions=[("en", "screening screening")])
    assert engine.analyse(single) == engine.analyse(doubled)


def test_embedding_uses_a_language_the_model_knows(hubs):
    activity = services.save_activity(
        actor=None,
        hub=hubs["norway"],
        title="Seulonta",
        description="Suolistosyövän seulonta.",
        source_language="fi",
        translations={"en": {"title": "Screening", "description": "Bowel cancer screening."}},
    )
    assert activity.matching_language() == "en"
    assert activity.matching_text() == "Screening\nBowel cancer screening."
    doc = matching.activity_doc(activity)
    assert doc.language == "en" and ("fi", "Seulonta\nSuolistosyövän seulonta.") in doc.versions
