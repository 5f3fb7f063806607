"""Event and activity forms by name, not by code (issue #16, "Forms that scale"): languages as a
checkbox group of names, the calendar's language and region filters as selects by name, the map
that places a venue, and every checkbox group in a fieldset with a legend."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from echos.core.languages import language_choices, language_name
from echos.core.outline import country_outline
from echos.events.models import Event


def event_data(hub, **extra) -> dict:
    data = {
        "title": "Screening day in Bergen",
        "description": "Questions and answers about screening.",
        "type": "citizen_dialogue",
        "format": "in_person",
        "start": "2027-05-18T09:00",
        "end": "2027-05-18T12:00",
        "time_zone": "Europe/Oslo",
        "link_visibility": "public",
        "languages": ["nb", "en"],
        "offer_hours": "48",
        "hub": hub.pk,
    }
    return data | extra


def create_url(hub) -> str:
    return reverse("events:event_create") + f"?hub={hub.pk}"


def fieldsets(page: str) -> dict[str, str]:
    """Each fieldset's legend (text without the required mark) and its content."""
    found = re.findall(r"<fieldset[^>]*>\s*<legend>(.*?)</legend>(.*?)</fieldset>", page, re.S)
    return {re.sub(r"<[^>]+>|\*", "", legend).strip(): body for legend, body in found}


# Languages by name -------------------------------------------------------------------------------


def test_language_names_follow_the_visitors_language():
    with translation.override("de"):
        assert language_name("pl") == "Polnisch"
        assert (
            dict(language_choices())["el"] == "Griechisch"
        )  # CLDR, not ISO's "Neugriechisch (1453-)"
    assert language_name("el") == "Greek"
    assert language_name("zz") == "zz"


def test_event_languages_are_a_checkbox_group_of_names(hubs, personas, login):
    page = login(personas["coord_no"]).get(create_url(hubs["norway"])).content.decode()
    group = fieldsets(page)["Languages"]
    assert 'type="checkbox" name="languages" value="pl"' in group
    assert ">Polish</label>" in group.replace("\n", "") or "Polish" in group
    assert 'value="en"' in group and "checked" in group  # English preselected for a new event
    assert "ISO 639-1" not in page


def test_chosen_languages_are_stored_as_codes(hubs, personas, login):
    client = login(personas["coord_no"])
    response = client.post(create_url(hubs["norway"]), event_data(hubs["norway"]))
    assert response.status_code == 302
    event = Event.objects.get(title="Screening day in Bergen")
    assert event.language_codes == ["en", "nb"]
    edit = client.get(reverse("events:event_edit", args=[event.pk])).content.decode()
    assert re.search(r'value="nb"[^>]*checked', edit) and re.search(r'value="en"[^>]*checked', edit)


def test_no_language_or_an_unknown_one_is_refused_naming_the_field(hubs, personas, login):
    client = login(personas["coord_no"])
    none = client.post(create_url(hubs["norway"]), event_data(hubs["norway"], languages=[]))
    assert none.status_code == 422 and 'href="#id_languages_0"' in none.content.decode()
    bad = client.post(create_url(hubs["norway"]), event_data(hubs["norway"], languages=["xx"]))
    assert bad.status_code == 422
    assert 'href="#id_languages_0"' in bad.content.decode()
    assert "Unknown language: xx" in bad.content.decode()
    assert not Event.objects.filter(title="Screening day in Bergen").exists()


def test_a_language_off_the_list_stays_on_an_existing_event(hubs, personas, login, make_event):
    event = make_event(languages=["eu", "en"])  # Basque: ISO 639-1, not an MS/AC language
    page = login(personas["coord_no"]).get(reverse("events:event_edit", args=[event.pk]))
    assert re.search(r'value="eu"[^>]*checked', page.content.decode())


# The calendar's filters by name ------------------------------------------------------------------


def test_calendar_filters_languages_and_regions_by_name(hubs, client, make_event):
    page = client.get(reverse("events:calendar")).content.decode()
    language = re.search(r'<select id="f-language".*?</select>', page, re.S).group(0)
    assert '<option value="pl">Polish</option>' in language
    region = re.search(r'<select id="f-region".*?</select>', page, re.S).group(0)
    assert region.count("<option") == 1  # no country chosen: no 1,993 regions
    norway = client.get(reverse("events:calendar"), {"country": "NO"}).content.decode()
    region = re.search(r'<select id="f-region".*?</select>', norway, re.S).group(0)
    assert 'value="NO-46"' in region and 'value="PT-11"' not in region


def test_calendar_language_filter_keeps_working_with_codes(hubs, client, make_event):
    make_event(title="Norwegian evening", languages=["nb"])
    make_event(title="English morning", languages=["en"])
    page = client.get(reverse("events:calendar"), {"language": "nb"}).content.decode()
    assert "Norwegian evening" in page and "English morning" not in page
    assert '<option value="nb" selected>' in page


# The map that places a venue ---------------------------------------------------------------------


def test_outline_turns_a_point_back_into_coordinates():
    outline = country_outline("NO")
    x, y = outline.point(60.39, 5.32)  # Bergen
    lon = outline.west + x / (outline.k * 100)
    lat = outline.north - y / 100
    assert abs(lat - 60.39) < 0.01 and abs(lon - 5.32) < 0.01
    assert 0 <= x <= outline.width and 0 <= y <= outline.height
    assert 57 < outline.centre_lat < 71 and 4 < outline.centre_lon < 32
    assert country_outline("CA") is None  # off the Europe map: the number fields only


def test_event_form_has_the_map_and_keeps_the_number_fields(hubs, personas, login):
    page = login(personas["coord_no"]).get(create_url(hubs["norway"])).content.decode()
    assert '<label for="id_latitude">' in page and '<label for="id_longitude">' in page
    assert 'class="point-map"' in page and 'data-lat="id_latitude"' in page
    assert "Use the centre of Norway" in page and "echos/point-map.js" in page


def test_typed_coordinates_are_saved(hubs, personas, login):
    client = login(personas["coord_no"])
    data = event_data(hubs["norway"], latitude="60.39", longitude="5.32")
    assert client.post(create_url(hubs["norway"]), data).status_code == 302
    event = Event.objects.get(title="Screening day in Bergen")
    assert (event.latitude, event.longitude) == pytest.approx((60.39, 5.32))


# Checkbox groups in fieldsets --------------------------------------------------------------------


def test_event_checkbox_groups_have_a_fieldset_and_legend(hubs, personas, login):
    page = login(personas["coord_no"]).get(create_url(hubs["norway"])).content.decode()
    groups = fieldsets(page)
    for legend, name in [
        ("Languages", "languages"),
        ("Audience", "audiences"),
        ("Mission objectives", "objectives"),
        ("Accessibility", "accessibility"),
    ]:
        assert f'name="{name}"' in groups[legend]
    outside = re.sub(r"<fieldset.*?</fieldset>", "", page, flags=re.S)
    assert 'type="checkbox" name="audiences"' not in outside


def test_activity_checkbox_groups_have_a_fieldset_and_legend(hubs, personas, login):
    url = reverse("synergies:activity_create", args=[hubs["norway"].pk])
    page = login(personas["coord_no"]).get(url).content.decode()
    groups = fieldsets(page)
    for name in ("objectives", "policy_areas", "target_groups"):
        assert any(f'name="{name}"' in body for body in groups.values()), name
    outside = re.sub(r"<fieldset.*?</fieldset>", "", page, flags=re.S)
    assert 'type="checkbox"' not in outside


def test_activity_language_is_chosen_by_name(hubs, personas, login):
    url = reverse("synergies:activity_create", args=[hubs["norway"].pk])
    page = login(personas["coord_no"]).get(url).content.decode()
    select = re.search(r'<select name="source_language".*?</select>', page, re.S).group(0)
    assert '<option value="pl">Polish</option>' in select
    assert "ISO 639-1" not in page


def test_pages_name_an_events_languages(client, make_event):
    """#16 forms and pages by name: the calendar and the event page say "Norwegian Bokmål,
    English", not "nb, en"."""
    event = make_event(languages=["nb", "en"])
    for path in (event.get_absolute_url(), "/events/"):
        html = client.get(path).content.decode()
        assert "English" in html and "nb, en" not in html, path
