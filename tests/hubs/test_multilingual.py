"""A hub's mission in several languages (#17): rules, form, page, API, exports, search."""

import csv
import io
import json

import pytest

from echos.core.exceptions import RuleViolation
from echos.hubs import services
from echos.hubs.exports import export
from echos.hubs.models import Hub
from echos.hubs.queries import filter_hubs

pytestmark = pytest.mark.django_db

MISSION_PL = "Łączymy środowisko onkologiczne w całej Polsce."


def _translate(hub, **translations):
    return services.update_hub(actor=None, hub=hub, translations=translations)


def test_translations_are_validated_naming_the_field(hubs):
    with pytest.raises(RuleViolation) as exc:
        _translate(hubs["norway"], xx={"mission": "?"})
    assert exc.value.field == "translations.xx"
    with pytest.raises(RuleViolation) as exc:
        _translate(hubs["norway"], fr={"name": "Nom"})  # names are proper names, never translated
    assert exc.value.field == "translations.fr.name"
    with pytest.raises(RuleViolation) as exc:
        services.update_hub(actor=None, hub=hubs["norway"], source_language="klingon")
    assert exc.value.field == "source_language"


def test_search_finds_every_language_ignoring_accents_and_case(hubs):
    hub = _translate(hubs["norway"], pl={"mission": MISSION_PL})
    everything = Hub.objects.all()
    assert list(filter_hubs(everything, q="LACZYMY srodowisko")) == [hub]
    assert hub in filter_hubs(everything, q="kreftmisjonshub")  # the local name
    assert hub in filter_hubs(everything, q="norway")  # the English name
    assert not filter_hubs(everything, q="lodz").exists()


def test_page_shows_the_visitors_language_else_the_source_with_marker(hubs, client):
    hub = services.update_hub(
        actor=None,
        hub=hubs["norway"],
        mission="We bring Norway's cancer community together.",
        source_language="en",
        translations={"pl": {"mission": MISSION_PL}},
    )
    polish = client.get(hub.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert MISSION_PL in polish and "source-language-marker" not in polish
    greek = client.get(hub.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="el").content.decode()
    assert "We bring Norway" in greek
    assert "source-language-marker" in greek and 'lang="en"' in greek
    assert 'lang="pl"' in greek  # "Also in: polski"
    # … linking to the same page under the Polish prefix, named in Polish
    assert f'<a href="/pl{hub.get_absolute_url()}" hreflang="pl" lang="pl">polski</a>' in greek
    prefixed = client.get(f"/el{hub.get_absolute_url()}").content.decode()
    assert f'href="/pl{hub.get_absolute_url()}"' in prefixed
    assert f'href="/el/pl{hub.get_absolute_url()}"' not in prefixed


def test_page_cache_sees_a_new_translation(
    hubs, client, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import caches

    from echos.core import pagecache

    settings.ECHOS_PAGE_CACHE = True
    caches[pagecache.PAGES_ALIAS].clear()
    caches[pagecache.VERSIONS_ALIAS].clear()
    with django_capture_on_commit_callbacks(execute=True):
        hub = services.update_hub(actor=None, hub=hubs["norway"], mission="In English.")
    url = hub.get_absolute_url()
    before = client.get(url, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "In English." in before and MISSION_PL not in before
    with django_capture_on_commit_callbacks(execute=True):
        _translate(Hub.objects.get(pk=hub.pk), pl={"mission": MISSION_PL})
    after = client.get(url, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert MISSION_PL in after


def _form(hub, **extra):
    return {
        "name": hub.name,
        "name_en": hub.name_en,
        "country": hub.country_id,
        "level": hub.level,
        "parent": hub.parent_id or "",
        "region": hub.region_id or "",
        "archetype": "",
        "mission": "Mission in English.",
        "website": "",
        "host_organisation": "",
        "latitude": "",
        "longitude": "",
        "source_language": "en",
        **extra,
    }


def test_form_saves_translations_on_the_same_form(hubs, personas, login):
    hub = hubs["norway"]
    client = login(personas["coord_no"])
    page = client.get(f"/hubs/{hub.pk}/edit/").content.decode()
    assert 'name="tr-pl-mission"' in page and 'name="source_language"' in page
    response = client.post(f"/hubs/{hub.pk}/edit/", _form(hub, **{"tr-pl-mission": MISSION_PL}))
    assert response.status_code == 302, response.content.decode()[:1500]
    hub.refresh_from_db()
    assert hub.translations == {"pl": {"mission": MISSION_PL}}


def test_form_refuses_a_translation_too_long_on_its_field(hubs, personas, login, settings):
    hub = hubs["norway"]
    response = login(personas["coord_no"]).post(
        f"/hubs/{hub.pk}/edit/", _form(hub, **{"tr-en-mission": "Again in English"})
    )
    assert response.status_code == 200
    assert "already" in str(response.context["form"].non_field_errors())
    hub.refresh_from_db()
    assert hub.translations == {}


def test_only_editors_of_the_hub_add_translations(hubs, personas, login):
    hub = hubs["norway"]
    response = login(personas["coord_pt"]).post(
        f"/hubs/{hub.pk}/edit/", _form(hub, **{"tr-pl-mission": MISSION_PL})
    )
    assert response.status_code == 403
    hub.refresh_from_db()
    assert hub.translations == {}


def test_api_round_trip_with_every_language(hubs, personas, token_client, client):
    hub = hubs["norway"]
    api = token_client(personas["coord_no"])
    sent = {"fr": {"mission": "Mission en français."}, "pl": {"mission": MISSION_PL}}
    patched = api.patch(
        f"/api/v1/hubs/{hub.pk}",
        json.dumps({"translations": sent, "source_language": "en"}),
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    read = client.get(f"/api/v1/hubs/{hub.pk}", HTTP_ACCEPT_LANGUAGE="de").json()
    assert read["translations"] == sent and read["source_language"] == "en"
    bad = api.patch(
        f"/api/v1/hubs/{hub.pk}",
        json.dumps({"translations": {"tlh": {"mission": "?"}}}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "translations.tlh"
    denied = token_client(personas["coord_pt"]).patch(
        f"/api/v1/hubs/{hub.pk}",
        json.dumps({"translations": {"fr": {"mission": "Pirate"}}}),
        content_type="application/json",
    )
    assert denied.status_code == 403


def test_exports_carry_every_language(hubs):
    _translate(hubs["norway"], pl={"mission": MISSION_PL})
    out = io.BytesIO()
    export("hubs", "csv", out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode())))
    assert "source_language" in rows[0] and "mission [pl]" in rows[0]
    norway = next(r for r in rows if r["id"] == str(hubs["norway"].pk))
    assert norway["mission [pl]"] == MISSION_PL
    out = io.BytesIO()
    export("hubs", "json", out)
    assert any(r.get("mission [pl]") == MISSION_PL for r in json.loads(out.getvalue()))


def test_open_data_has_the_mission_in_every_language(hubs):
    from echos.hubs.opendata import _hub_texts

    _translate(hubs["norway"], pl={"mission": MISSION_PL})
    rows = [r for r in _hub_texts() if r[0] == hubs["norway"].pk]
    assert (hubs["norway"].pk, "mission", "pl", False, MISSION_PL) in rows


def test_generated_hubs_are_searchable(hubs):
    from echos.core.multilingual import refresh_search_text

    [hub] = refresh_search_text([Hub(name="Hub Łódź", name_en="Lodz hub", mission="Zdrowie")])
    assert "lodz" in hub.search_text and "zdrowie" in hub.search_text
