"""Events in several languages (issue #17, items 3 and 4): a source language and translations of the
texts, entered on the same form; pages, e-mails and feeds in the visitor's language or the source
text marked; the API and the open data carry every language; search ignores case and accents."""

import re
from types import SimpleNamespace

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from echos.core.exceptions import RuleViolation
from echos.core.models import ActionLog
from echos.core.multilingual import search_text_of
from echos.events import services
from echos.events.models import Event

pytestmark = pytest.mark.django_db

FRENCH = {
    "title": "Dialogue citoyen sur le dépistage",
    "description": "Une conversation ouverte sur le dépistage du cancer.",
    "accessibility_notes": "Salle calme au rez-de-chaussée.",
}
GREEK = {"title": "Διάλογος για την Υγεία", "description": "Μια ανοιχτή συζήτηση."}


@pytest.fixture
def translated(make_event):
    """A Norwegian hub's event written in English, translated into French and Greek."""
    return make_event(
        accessibility_notes="Quiet room on the ground floor.",
        source_language="en",
        translations={"fr": FRENCH, "el": GREEK},
    )


def in_language(code: str, path: str) -> str:
    return f"/{code}{path}"


# --- rules of the service -------------------------------------------------------------------------


def test_an_event_keeps_its_source_language_and_translations(translated):
    event = Event.objects.get(pk=translated.pk)
    assert event.source_language == "en"
    assert event.translations == {"fr": FRENCH, "el": GREEK}
    assert event.search_text == search_text_of(event)
    assert "depistage" in event.search_text and "υγεια" in event.search_text


def test_an_event_without_a_language_is_written_in_english(make_event):
    assert make_event().source_language == "en"


@pytest.mark.parametrize(
    ("translations", "source", "field"),
    [
        ({"xx": {"title": "?"}}, "en", "translations.xx"),
        ({"en": {"title": "Same language"}}, "en", "translations.en"),
        ({"fr": {"venue": "Salle"}}, "en", "translations.fr.venue"),
        ({"fr": {"title": "x" * 201}}, "en", "translations.fr.title"),
        ({"fr": {"title": "Deux\nlignes"}}, "en", "translations.fr.title"),
        ({"fr": {"title": 12}}, "en", "translations.fr.title"),
        ({"fr": {"title": "Bon"}}, "klingon", "source_language"),
        ("not an object", "en", "translations"),
    ],
)
def test_bad_translations_are_refused_naming_the_field(make_event, translations, source, field):
    with pytest.raises(RuleViolation) as caught:
        make_event(source_language=source, translations=translations)
    assert caught.value.field == field
    assert not Event.objects.exists()


def test_a_new_source_language_may_not_be_one_already_translated(translated):
    with pytest.raises(RuleViolation) as caught:
        services.update_event(actor=None, event=translated, source_language="fr")
    assert caught.value.field == "translations.fr"


def test_a_translation_is_audited_and_raises_the_sequence_without_mailing(
    translated, register_many, personas
):
    register_many(translated, 2)
    mail.outbox.clear()
    before = translated.sequence
    event = services.update_event(
        actor=personas["coord_no"],
        event=translated,
        translations={"fr": FRENCH, "el": GREEK, "pl": {"title": "Dialog obywatelski"}},
    )
    assert event.sequence == before + 1
    entry = ActionLog.objects.filter(action="event.update").latest("id")
    assert "pl" in entry.data["translations"][1]
    assert "pl" not in (entry.data["translations"][0] or {})
    assert mail.outbox == []  # a translation is no change of schedule
    assert "dialog obywatelski" in Event.objects.get(pk=event.pk).search_text


def test_only_those_who_may_edit_the_event_may_translate_it(translated, personas):
    for persona in ("coord_pt", "member_no"):
        with pytest.raises(PermissionDenied):
            services.update_event(
                actor=personas[persona], event=translated, translations={"pl": {"title": "X"}}
            )
    assert "pl" not in Event.objects.get(pk=translated.pk).translations
    services.update_event(
        actor=personas["coord_no"], event=translated, translations={"pl": {"title": "X"}}
    )
    assert Event.objects.get(pk=translated.pk).translations == {"pl": {"title": "X"}}


# --- the form -------------------------------------------------------------------------------------


def form_data(event: Event, **extra) -> dict:
    data = {
        "title": event.title,
        "description": event.description,
        "type": event.type,
        "format": event.format,
        "start": event.local_start.strftime("%Y-%m-%dT%H:%M"),
        "end": event.local_end.strftime("%Y-%m-%dT%H:%M"),
        "time_zone": event.time_zone,
        "link_visibility": event.link_visibility,
        "languages": event.language_codes,
        "offer_hours": "48",
        "venue": event.venue,
        "address": event.address,
        "source_language": event.source_language,
    }
    return data | extra


def test_the_edit_form_shows_the_translations_on_the_same_form(translated, personas, login):
    page = login(personas["coord_no"]).get(reverse("events:event_edit", args=[translated.pk]))
    html = page.content.decode()
    assert 'name="tr-fr-title"' in html and FRENCH["title"] in html
    assert 'name="tr-de-description"' in html and 'lang="de"' in html
    assert re.search(r'<option value="en"[^>]*selected', html)
    # The source language's own group is not offered as a translation.
    assert 'name="tr-en-title"' not in html


def test_a_new_event_is_written_in_its_hubs_language_by_default(hubs, personas, login):
    url = reverse("events:event_create") + f"?hub={hubs['norway'].pk}"
    html = login(personas["coord_no"]).get(url).content.decode()
    assert re.search(r'<option value="nb"[^>]*selected', html)


def test_translations_are_saved_from_the_form(translated, personas, login):
    client = login(personas["coord_no"])
    response = client.post(
        reverse("events:event_edit", args=[translated.pk]),
        form_data(
            translated, **{"tr-fr-title": "Nouveau titre", "tr-pl-description": "Opis po polsku"}
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(pk=translated.pk)
    # The Greek group was not posted filled: that language's translation is removed.
    assert event.translations == {
        "fr": {"title": "Nouveau titre"},
        "pl": {"description": "Opis po polsku"},
    }


def test_a_post_without_translation_fields_keeps_them(translated, personas, login):
    data = form_data(translated, title="Retitled")
    del data["source_language"]
    response = login(personas["coord_no"]).post(
        reverse("events:event_edit", args=[translated.pk]), data
    )
    assert response.status_code == 302
    event = Event.objects.get(pk=translated.pk)
    assert event.title == "Retitled" and event.translations == {"fr": FRENCH, "el": GREEK}


def test_a_refused_translation_shows_on_its_own_field(translated, personas, login):
    client = login(personas["coord_no"])
    url = reverse("events:event_edit", args=[translated.pk])
    response = client.post(url, form_data(translated, **{"tr-fr-title": "Deux\nlignes"}))
    assert response.status_code == 422
    html = response.content.decode()
    assert 'href="#id_tr-fr-title"' in html  # the error summary links to the field
    assert 'id="id_tr-fr-title_error"' in html
    # A translation into the source language itself (the form does not offer it) is named too.
    response = client.post(url, form_data(translated, **{"tr-en-title": "English again"}))
    assert response.status_code == 422
    assert "written in this language already" in response.content.decode()
    assert Event.objects.get(pk=translated.pk).translations == {"fr": FRENCH, "el": GREEK}


def test_another_hubs_coordinator_cannot_open_or_post_the_form(translated, personas, login):
    client = login(personas["coord_pt"])
    url = reverse("events:event_edit", args=[translated.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, form_data(translated, **{"tr-pl-title": "Włamanie"}))
    assert response.status_code == 403
    assert "pl" not in Event.objects.get(pk=translated.pk).translations


# --- pages ----------------------------------------------------------------------------------------


def test_the_event_page_in_a_translated_language(client, translated):
    html = client.get(in_language("fr", translated.get_absolute_url())).content.decode()
    assert f"<h1>{FRENCH['title']}</h1>" in html
    assert FRENCH["description"] in html and FRENCH["accessibility_notes"] in html
    assert "source-language-marker" not in html
    # The other languages, each linked under its prefix and named in itself.
    also = re.search(r'<p class="also-in">.*?</p>', html, re.S).group(0)
    assert f'href="/en{translated.get_absolute_url()}"' in also and "English" in also
    assert f'href="/el{translated.get_absolute_url()}"' in also and "Ελληνικά" in also
    assert "/fr/" not in also


def test_the_event_page_falls_back_to_the_source_with_a_marker_and_lang(client, translated):
    html = client.get(in_language("pl", translated.get_absolute_url())).content.decode()
    assert f'<h1 lang="en">{translated.title}</h1>' in html
    assert "source-language-marker" in html
    assert f'<div lang="en"><p>{translated.description}</p></div>' in html
    assert '<span lang="en">Quiet room on the ground floor.</span>' in html


def test_the_calendar_list_and_month_show_the_visitors_language(client, translated):
    listing = client.get(in_language("fr", reverse("events:calendar"))).content.decode()
    assert FRENCH["title"] in listing and translated.title not in listing
    fallback = client.get(in_language("pl", reverse("events:calendar"))).content.decode()
    assert f'lang="en">{translated.title}</a>' in fallback
    assert "source-language-hint" in fallback
    start = translated.local_start
    month = reverse("events:month", args=[start.year, start.month])
    grid = client.get(in_language("el", month)).content.decode()
    assert GREEK["title"] in grid and translated.title not in grid
    english = client.get(in_language("en", reverse("events:calendar"))).content.decode()
    assert translated.title in english and "source-language-hint" not in english


def test_the_registration_page_and_emails_follow_the_registrants_language(translated, client):
    french = services.register(
        event=translated, name="Anne", email="anne@example.invalid", consent=True, language="fr"
    )
    polish = services.register(
        event=translated, name="Jan", email="jan@example.invalid", consent=True, language="pl"
    )
    mail.outbox.clear()
    services.send_email_now(french, "confirmation")
    services.send_email_now(polish, "confirmation")
    to_anne, to_jan = mail.outbox
    assert FRENCH["title"] in to_anne.subject and FRENCH["title"] in to_anne.body
    assert translated.title in to_jan.subject and translated.title in to_jan.body
    assert "(" in to_jan.body and FRENCH["title"] not in to_jan.body
    token = services.personal_token(french)
    page = client.get(in_language("fr", reverse("events:registration", args=[token])))
    assert FRENCH["title"] in page.content.decode()
    page = client.get(in_language("pl", reverse("events:registration", args=[token])))
    html = page.content.decode()
    assert f'lang="en">{translated.title}</a>' in html and "source-language-marker" in html


# --- the API --------------------------------------------------------------------------------------


def api_payload(hub, **extra):
    data = {
        "hub": hub.pk,
        "title": "Webinar on survivorship",
        "description": "Life after cancer.",
        "type": "webinar",
        "format": "online",
        "online_url": "https://meet.example.invalid/abc",
        "start": "2027-03-27T18:00",
        "end": "2027-03-27T19:30",
        "time_zone": "Europe/Lisbon",
        "languages": ["pt"],
        "status": "published",
        "source_language": "pt",
        "translations": {
            "en": {"title": "Webinar on survivorship"},
            "es": {"title": "Seminario web sobre la supervivencia"},
        },
    }
    data.update(extra)
    return data


def test_the_api_reads_and_writes_every_language(token_client, personas, hubs, client):
    api = token_client(personas["coord_pt"])
    payload = api_payload(hubs["portugal"], title="Webinar sobre sobrevivência")
    response = api.post("/api/v1/events", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["source_language"] == "pt"
    assert set(created["translations"]) == {"en", "es"}
    # Every language, whatever the reader's.
    detail = client.get(f"/api/v1/events/{created['id']}", HTTP_ACCEPT_LANGUAGE="el").json()
    assert detail["translations"]["es"]["title"] == "Seminario web sobre la supervivencia"
    assert detail["title"] == "Webinar sobre sobrevivência"
    response = api.patch(
        f"/api/v1/events/{created['id']}",
        {"translations": {"fr": {"description": "La vie après le cancer."}}},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["translations"] == {"fr": {"description": "La vie après le cancer."}}
    listed = client.get("/api/v1/events", {"q": "vie apres", "when": "all"}).json()
    assert [e["id"] for e in listed["items"]] == [created["id"]]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"translations": {"xx": {"title": "?"}}}, 400, "translations.xx"),
        ({"translations": {"fr": {"type": "webinar"}}}, 400, "translations.fr.type"),
        ({"source_language": "zz"}, 400, "source_language"),
        ({"translations": {"fr": {"title": ["list"]}}}, 422, "translations"),
    ],
)
def test_the_api_refuses_a_bad_language_naming_the_field(
    token_client, personas, hubs, change, status, field
):
    api = token_client(personas["coord_pt"])
    created = api.post(
        "/api/v1/events", api_payload(hubs["portugal"]), content_type="application/json"
    ).json()
    response = api.patch(f"/api/v1/events/{created['id']}", change, content_type="application/json")
    assert response.status_code == status
    assert field in str(response.json())
    assert Event.objects.get(pk=created["id"]).source_language == "pt"


def test_the_api_refuses_translations_from_another_hub(token_client, personas, translated):
    response = token_client(personas["coord_pt"]).patch(
        f"/api/v1/events/{translated.pk}",
        {"translations": {"pl": {"title": "Nie"}}},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "pl" not in Event.objects.get(pk=translated.pk).translations


# --- iCalendar ------------------------------------------------------------------------------------


def vevent(body: bytes) -> icalendar.Event:
    cal = icalendar.Calendar.from_ical(body)
    (item,) = cal.walk("VEVENT")
    return item


def test_the_feed_is_in_the_visitors_language_with_every_other_as_x_properties(client, translated):
    body = client.get(in_language("fr", reverse("events:feed"))).content
    item = vevent(body)
    assert str(item["SUMMARY"]) == FRENCH["title"]
    assert item["SUMMARY"].params["LANGUAGE"] == "fr"
    assert item["DESCRIPTION"].params["LANGUAGE"] == "fr"
    assert FRENCH["description"] in str(item["DESCRIPTION"])
    assert FRENCH["accessibility_notes"] in str(item["DESCRIPTION"])
    others = {p.params["LANGUAGE"]: str(p) for p in _as_list(item["X-ECHOS-SUMMARY"])}
    assert others == {"en": translated.title, "el": GREEK["title"]}
    descriptions = {p.params["LANGUAGE"]: str(p) for p in _as_list(item["X-ECHOS-DESCRIPTION"])}
    assert set(descriptions) == {"en", "el"}
    assert descriptions["el"] == GREEK["description"]
    assert b"SUMMARY;LANGUAGE=fr:" in body and b"X-ECHOS-SUMMARY;LANGUAGE=el:" in body


def test_the_feed_falls_back_to_the_source_language(client, translated):
    item = vevent(client.get(in_language("pl", reverse("events:feed"))).content)
    assert str(item["SUMMARY"]) == translated.title
    assert item["SUMMARY"].params["LANGUAGE"] == "en"
    languages = {p.params["LANGUAGE"] for p in _as_list(item["X-ECHOS-SUMMARY"])}
    assert languages == {"fr", "el"}


def test_the_single_event_download_carries_every_language(client, translated):
    body = client.get(in_language("el", reverse("events:event_ics", args=[translated.pk]))).content
    item = vevent(body)
    assert str(item["SUMMARY"]) == GREEK["title"] and item["SUMMARY"].params["LANGUAGE"] == "el"
    assert {p.params["LANGUAGE"] for p in _as_list(item["X-ECHOS-SUMMARY"])} == {"en", "fr"}


def test_an_untranslated_event_has_no_x_properties(client, make_event):
    make_event()
    body = client.get(reverse("events:feed")).content
    assert b"SUMMARY;LANGUAGE=en:" in body and b"X-ECHOS-" not in body


def test_a_translation_added_changes_the_next_feed_and_its_etag(client, translated, personas):
    url = in_language("pl", reverse("events:feed"))
    first = client.get(url)
    assert str(vevent(first.content)["SUMMARY"]) == translated.title
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    services.update_event(
        actor=personas["coord_no"],
        event=translated,
        translations={"fr": FRENCH, "el": GREEK, "pl": {"title": "Dialog o badaniach"}},
    )
    after = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    assert str(vevent(after.content)["SUMMARY"]) == "Dialog o badaniach"


def _as_list(value):
    """The properties of a name (one or several), X- values unescaped as the TEXT they are."""
    items = value if isinstance(value, list) else [value]
    return [_Text(icalendar.vText.from_ical(str(p)), p.params) for p in items]


class _Text(str):
    def __new__(cls, text, params):
        made = super().__new__(cls, text)
        made.params = params
        return made


# --- the shared page cache ------------------------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    from django.core.cache import caches

    from echos.core import pagecache

    settings.ECHOS_PAGE_CACHE = True
    caches[pagecache.PAGES_ALIAS].clear()
    caches[pagecache.VERSIONS_ALIAS].clear()
    return pagecache


@pytest.mark.parametrize(
    "path",
    [
        lambda e: e.get_absolute_url(),
        lambda e: reverse("events:calendar"),
        lambda e: reverse("events:feed"),
        lambda e: f"/api/v1/events/{e.pk}",
    ],
    ids=["event", "calendar", "feed", "api"],
)
def test_a_translation_added_changes_the_next_cached_page(
    page_cache, translated, personas, path, django_capture_on_commit_callbacks
):
    from django.db import connections

    pending = connections["default"].__dict__.get("_echos_pagecache")
    if pending is not None:
        pending.flush()
    client = Client()
    url = path(translated)
    url = url if url.startswith("/api/") else in_language("pl", url)
    client.get(url)
    second = client.get(url)
    assert second[page_cache.HEADER] == "hit"
    assert "Dialog o badaniach" not in second.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(
            actor=personas["coord_no"],
            event=translated,
            translations={"fr": FRENCH, "pl": {"title": "Dialog o badaniach"}},
        )
    after = client.get(url)
    assert after[page_cache.HEADER] == "miss"
    assert "Dialog o badaniach" in after.content.decode()


# --- search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("lodz", True),  # Łódź, without its accents
        ("ŁÓDŹ", True),
        ("zdrowie", True),  # "Zdrowie" in the Polish translation only
        ("ZDROWIE lodz", True),
        ("υγεια", True),  # "Υγεία" in the Greek translation
        ("ΥΓΕΙΑ", True),
        ("depistage", True),  # the French translation
        ("zdrowie nowhere", False),
    ],
)
def test_the_calendar_search_ignores_case_and_accents_in_every_language(
    client, make_event, query, found
):
    event = make_event(
        title="Screening day in Łódź",
        translations={
            "pl": {"title": "Dzień Zdrowia", "description": "Zdrowie dla wszystkich w Łodzi."},
            "el": {"title": "Ημέρα για την Υγεία"},
            "fr": {"description": "Dépistage pour tous."},
        },
    )
    make_event(title="Another event")
    html = client.get(reverse("events:calendar"), {"q": query}).content.decode()
    assert (event.get_absolute_url() in html) is found
    api = client.get("/api/v1/events", {"q": query}).json()
    assert ([e["id"] for e in api["items"]] == [event.pk]) is found


def test_the_search_never_reads_a_hidden_venue(client, make_event):
    make_event(venue="Sala Łódzka", link_visibility="registrants")
    assert client.get("/api/v1/events", {"q": "Łódzka"}).json()["count"] == 0
    make_event(venue="Sala Łódzka", link_visibility="public")
    assert client.get("/api/v1/events", {"q": "Łódzka"}).json()["count"] == 1


def test_the_site_search_finds_events_in_any_language(client, translated):
    from echos.events.sitesearch import find

    sections = find(SimpleNamespace(is_authenticated=False), "DEPISTAGE", 5)
    assert sections and sections[0].hits[0].url == translated.get_absolute_url()
    assert find(SimpleNamespace(is_authenticated=False), "!!!", 5) == []


def test_the_admin_search_is_folded_and_for_the_network_only(translated, personas, login):
    url = reverse("admin:events_event_changelist")
    response = login(personas["network"]).get(url, {"q": "ΥΓΕΙΑ"})
    assert response.status_code == 200
    assert translated.title in response.content.decode()
    missing = login(personas["network"]).get(url, {"q": "nothing-like-this"}).content.decode()
    assert translated.title not in missing
    denied = login(personas["coord_no"]).get(url, {"q": "ΥΓΕΙΑ"})
    assert denied.status_code in (302, 403)
    assert translated.title.encode() not in denied.content


# --- exports --------------------------------------------------------------------------------------


def test_the_open_data_carries_every_language(translated, make_event):
    from echos.events.opendata import TABLES

    tables = {t.name: t for t in TABLES}
    events = tables["events"]
    columns = [f.name for f in events.fields]
    (row,) = [r for r in events.rows() if r[0] == translated.uid]
    assert row[columns.index("source_language")] == "en"
    texts = tables["event_texts"]
    names = [f.name for f in texts.fields]
    rows = {r[1]: dict(zip(names, r, strict=True)) for r in texts.rows() if r[0] == translated.uid}
    assert set(rows) == {"en", "fr", "el"}
    assert rows["en"]["is_source"] is True and rows["fr"]["is_source"] is False
    assert rows["fr"]["title"] == FRENCH["title"]
    assert rows["el"]["accessibility_notes"] == ""
    draft = make_event(status="draft", translations={"fr": {"title": "Brouillon"}})
    assert not [r for r in texts.rows() if r[0] == draft.uid]


# --- stored before #17, generated at scale ----------------------------------------------------------


def test_events_stored_before_translations_get_their_search_text_in_batches(make_event):
    from echos.core.multilingual import fill_search_text

    events = [make_event(title=f"Łódź {i}") for i in range(5)]
    Event.objects.update(search_text="")
    assert fill_search_text(Event.objects.all(), batch=2) == 5
    for event in events:
        assert Event.objects.get(pk=event.pk).search_text.startswith("lodz")


def test_generated_events_are_searchable(db):
    from echos.site.generate import generate

    generate(
        scale="small",
        seed=5,
        batch=50,
        hubs=70,
        organisations=300,
        memberships=900,
        events=60,
        registrations=0,
        consultation_answers=0,
        engagement_records=0,
    )
    events = list(Event.objects.all())
    assert len(events) == 60
    assert all(e.search_text and e.search_text == search_text_of(e) for e in events)
