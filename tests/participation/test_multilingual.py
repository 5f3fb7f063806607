"""Content in several languages (issue #17) in participation: a consultation's text and a hub's
answer carry a source language and translations; citizens' words keep the language they wrote."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from echos.core.exceptions import RuleViolation
from echos.participation import services
from echos.participation.models import Consultation, Proposal

pytestmark = pytest.mark.django_db

FR = {"fr": {"title": "Priorités du hub norvégien", "description": "Dites-nous ce qui compte."}}


def _open(hubs, **kw):
    now = timezone.now()
    kw.setdefault("title", "Priorities of the Norwegian hub")
    kw.setdefault("description", "Tell us what matters.")
    return services.open_consultation(
        actor=None,
        hub=hubs["norway"],
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        **kw,
    )


def test_a_consultation_defaults_to_its_hubs_language_and_keeps_translations(hubs):
    assert _open(hubs).source_language == "nb"
    c = _open(hubs, source_language="en", translations=FR)
    assert c.source_language == "en" and c.translations == FR
    assert "priorites du hub norvegien" in c.search_text


@pytest.mark.parametrize(
    ("translations", "field"),
    [
        ({"xx": {"title": "?"}}, "translations.xx"),
        ({"en": {"title": "Same"}}, "translations.en"),
        ({"fr": {"follow_up": "Not here"}}, "translations.fr.follow_up"),
        ({"fr": {"title": "t" * 201}}, "translations.fr.title"),
    ],
)
def test_bad_translations_are_refused_naming_the_field(hubs, translations, field):
    with pytest.raises(RuleViolation) as caught:
        _open(hubs, source_language="en", translations=translations)
    assert caught.value.field == field
    assert not Consultation.objects.exists()


def test_page_shows_the_visitors_language_or_the_source_with_a_marker(hubs):
    c = _open(hubs, source_language="en", translations=FR)
    client = Client()
    french = client.get(c.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Priorités du hub norvégien" in french and "source-language-marker" not in french
    polish = client.get(c.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Priorities of the Norwegian hub" in polish
    assert 'lang="en"' in polish and "source-language-marker" in polish


def test_translating_changes_the_cached_page(hubs, personas):
    c = _open(hubs, source_language="en")
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    assert "Priorités du hub" not in client.get(c.get_absolute_url()).content.decode()
    services.translate_consultation(actor=personas["editor_no"], consultation=c, translations=FR)
    assert "Priorités du hub norvégien" in client.get(c.get_absolute_url()).content.decode()


def test_only_who_runs_the_hubs_consultations_may_translate(hubs, personas, login):
    c = _open(hubs, source_language="en")
    url = f"/participate/consultations/{c.pk}/text/"
    assert login(personas["coord_pt"]).get(url).status_code == 403
    assert login(personas["member_no"]).get(url).status_code == 403
    client = login(personas["editor_no"])
    assert client.get(url).status_code == 200
    data = {
        "title": c.title,
        "description": c.description,
        "source_language": "en",
        "tr-fr-title": "Priorités",
        "tr-fr-description": "Ce qui compte.",
    }
    bad = client.post(url, {**data, "tr-fr-title": "t" * 201})
    assert bad.status_code == 422 and "id_tr-fr-title_error" in bad.content.decode()
    assert client.post(url, data).status_code == 302
    c.refresh_from_db()
    assert c.translations == {"fr": {"title": "Priorités", "description": "Ce qui compte."}}


def test_follow_up_translations_stay_private_until_published(hubs, personas, token_client):
    c = _open(hubs, source_language="en")
    services.publish_follow_up(
        actor=None, consultation=c, text="We did this.", translations={"fr": {"follow_up": "Fait."}}
    )
    c.refresh_from_db()
    assert c.translations == {"fr": {"follow_up": "Fait."}}
    body = Client().get(f"/api/v1/consultations/{c.pk}").json()
    assert body["follow_up"] is None and body["translations"] == {}
    # nor does a search find the consultation by its unpublished follow-up, in any language
    for q in ("did this", "fait"):
        found = Client().get("/api/v1/consultations", {"q": q}).json()
        assert c.pk not in [item["id"] for item in found["items"]], q
    assert Client().get("/api/v1/consultations", {"q": "priorities"}).status_code == 200
    Consultation.objects.filter(pk=c.pk).update(
        opens_at=timezone.now() - timedelta(days=5), closes_at=timezone.now() - timedelta(days=1)
    )
    body = Client().get(f"/api/v1/consultations/{c.pk}").json()
    assert body["translations"] == {"fr": {"follow_up": "Fait."}}


def test_api_round_trip_every_language_and_bad_language(hubs, personas, token_client):
    now = timezone.now()
    payload = {
        "hub": hubs["norway"].pk,
        "title": "API consultation",
        "description": "Made over the API",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=3)).isoformat(),
        "source_language": "en",
        "translations": {"de": {"title": "API-Konsultation"}, "pl": {"title": "Konsultacja"}},
    }
    client = token_client(personas["editor_no"])
    bad = client.post(
        "/api/v1/consultations",
        {**payload, "translations": {"zz": {"title": "?"}}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "translations.zz"
    made = client.post("/api/v1/consultations", payload, content_type="application/json").json()
    assert made["source_language"] == "en"
    assert made["translations"] == payload["translations"]
    denied = token_client(personas["coord_pt"]).patch(
        f"/api/v1/consultations/{made['id']}",
        {"translations": {"fr": {"title": "Non"}}},
        content_type="application/json",
    )
    assert denied.status_code == 403
    patched = client.patch(
        f"/api/v1/consultations/{made['id']}",
        {"translations": {"fr": {"title": "Consultation API"}}},
        content_type="application/json",
    ).json()
    assert patched["translations"] == {"fr": {"title": "Consultation API"}}


def test_search_finds_every_language_accents_and_case_ignored(hubs, personas):
    _open(hubs, source_language="en", translations=FR)
    assert Consultation.objects.filter(search_text__contains="norvegien").exists()
    p = services.submit_proposal(
        hub=hubs["norway"], title="Łódź screening bus", body="Body", user=personas["member_no"]
    )
    services.answer_proposal(
        actor=personas["coord_no"],
        proposal=p,
        status="accepted",
        reason="Yes.",
        source_language="en",
        translations={"el": {"answer": "Ναι, στην Υγεία."}},
    )
    client = Client()
    for q in ("lodz", "ΥΓΕΙΑ"):
        page = client.get("/participate/proposals/", {"q": q}).content.decode()
        assert "Łódź screening bus" in page, q
    assert "Łódź" not in client.get("/participate/proposals/", {"q": "nothing"}).content.decode()
    api = client.get("/api/v1/proposals", {"q": "υγεια"}).json()
    assert [i["id"] for i in api["items"]] == [p.pk]


def test_a_citizens_words_keep_their_language_and_the_answer_is_translated(hubs, personas):
    p = services.submit_proposal(
        hub=hubs["norway"], title="Buss", body="Tekst", user=personas["member_no"], language="nb"
    )
    assert p.language == "nb" and p.translations == {}
    with pytest.raises(RuleViolation) as caught:
        services.submit_proposal(
            hub=hubs["norway"], title="T", body="B", user=personas["member_no"], language="xx"
        )
    assert caught.value.field == "language"
    with pytest.raises(RuleViolation) as denied:
        services.answer_proposal(
            actor=personas["coord_no"],
            proposal=p,
            status="accepted",
            reason="Ja.",
            source_language="nb",
            translations={"nb": {"answer": "Ja."}},
        )
    assert denied.value.field == "translations.nb"
    services.answer_proposal(
        actor=personas["coord_no"],
        proposal=p,
        status="accepted",
        reason="Ja, vi gjør det.",
        source_language="nb",
        translations={"en": {"answer": "Yes, we do it."}},
    )
    p.refresh_from_db()
    english = Client().get(p.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Yes, we do it." in english and 'lang="nb"' in english  # the citizen's own words
    german = Client().get(p.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Ja, vi gjør det." in german and "source-language-marker" in german
    body = Client().get(f"/api/v1/proposals/{p.pk}").json()
    assert body["language"] == "nb" and body["source_language"] == "nb"
    assert body["translations"] == {"en": {"answer": "Yes, we do it."}}
    assert Proposal.objects.filter(search_text__contains="buss").exists()


def test_exports_carry_every_language(hubs, personas, login):
    import io

    from openpyxl import load_workbook

    c = _open(hubs, source_language="en", translations=FR)
    header, row = services.text_rows(c)
    assert header[:4] == ["consultation", "source_language", "title [en]", "title [fr]"]
    assert row[2:4] == ["Priorities of the Norwegian hub", "Priorités du hub norvégien"]
    response = login(personas["coord_no"]).get(f"/participate/consultations/{c.pk}/answers.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    values = [list(r) for r in book["consultation"].iter_rows(values_only=True)]
    assert "Priorités du hub norvégien" in values[1]
    from echos.participation.opendata import TABLES

    table = next(t for t in TABLES if t.name == "consultations")
    rows = list(table.rows())
    assert len(rows[0]) == len(table.fields)
    assert "Priorités du hub norvégien" in rows[-1][-1]
