"""The organisation picker of a hub's "Add member", the region select by country and the way back
from registering an organisation (issue #16, "Forms that scale")."""

import pytest

from echos.core.models import Region
from echos.hubs import pickers, services
from echos.hubs.models import Membership, Organisation

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "org-results"}


def add_url(hub) -> str:
    return f"/hubs/{hub.pk}/members/add/"


# The search --------------------------------------------------------------------------------------


def test_search_ignores_case_and_accents(hubs, terms):
    services.create_organisation(
        actor=None,
        name="Instituto Português de Oncologia",
        country=hubs["portugal"].country,
        stakeholder_group=terms["research"],
    )
    names = [o.name for o in pickers.search_organisations("PORTUGUES")]
    assert names == ["Instituto Português de Oncologia"]
    assert [o.name for o in pickers.search_organisations("oncologia instituto")] == names


def test_search_narrows_by_country_and_group(hubs):
    by_country = {o.name for o in pickers.search_organisations(country="NO")}
    assert by_country == {"Oslo Cancer Cluster", "Norwegian Cancer Society"}
    both = pickers.search_organisations(country="no", group="patients")
    assert [o.name for o in both] == ["Norwegian Cancer Society"]
    assert list(pickers.search_organisations("c")) == []  # one letter and nothing else: no search


def test_results_are_capped_and_say_there_are_more(hubs, terms):
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Clinic {i:02}",
            normalised_name=f"clinic {i:02}",
            country_id="NO",
            stakeholder_group=terms["research"],
        )
        for i in range(pickers.LIMIT + 5)
    )
    found = pickers.picker({"q": "clinic"}, url="/", choose="organisation")
    assert len(found.results) == pickers.LIMIT and found.more
    assert len(pickers.search_organisations("clinic")) == pickers.LIMIT


# The page's permission matrix --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("member_no", 403),
        ("coord_pt", 403),
        ("editor_no", 200),
        ("coord_no", 200),
        ("network", 200),
    ],
)
def test_only_who_adds_members_to_the_hub_may_search_it(hubs, personas, login, who, status):
    response = login(personas[who]).get(add_url(hubs["norway"]), {"q": "cancer"}, **HTMX)
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Oslo Cancer Cluster" in page and "already a member" in page
    else:
        assert "Oslo Cancer Cluster" not in response.content.decode()


def test_current_members_are_marked_and_cannot_be_chosen(hubs, personas, login):
    page = login(personas["coord_no"]).get(add_url(hubs["norway"]), {"country": "NO"}).content
    page = page.decode()
    assert f'data-organisation="{hubs["occ"].pk}"' not in page
    assert "Oslo Cancer Cluster <small>(already a member)</small>" in page
    portugal = login(personas["coord_no"]).get(add_url(hubs["norway"]), {"q": "aicib"}).content
    assert f'data-organisation="{hubs["aicib"].pk}"' in portugal.decode()


def test_a_former_member_may_be_chosen_again(hubs, personas, login):
    Membership.objects.filter(hub=hubs["norway"], organisation=hubs["ncs"]).update(
        since="2020-01-01", until="2021-01-01"
    )
    page = login(personas["coord_no"]).get(add_url(hubs["norway"]), {"q": "society"}).content
    assert f'data-organisation="{hubs["ncs"].pk}"' in page.decode()


def test_choosing_shows_the_membership_form_for_that_organisation(hubs, personas, login):
    client = login(personas["coord_no"])
    page = client.get(add_url(hubs["norway"]), {"organisation": hubs["aicib"].pk, "q": "aicib"})
    text = page.content.decode()
    assert page.status_code == 200
    assert f'name="organisation" value="{hubs["aicib"].pk}"' in text
    assert 'name="role"' in text
    added = client.post(
        add_url(hubs["norway"]), {"organisation": hubs["aicib"].pk, "role": "member"}
    )
    assert added.status_code == 302
    assert Membership.objects.filter(hub=hubs["norway"], organisation=hubs["aicib"]).exists()


def test_no_organisation_chosen_is_refused_naming_the_field(hubs, personas, login):
    response = login(personas["coord_no"]).post(add_url(hubs["norway"]), {"role": "member"})
    assert response.status_code == 422
    assert "Choose the organisation in the search above." in response.content.decode()
    again = login(personas["coord_no"]).post(
        add_url(hubs["norway"]), {"organisation": hubs["occ"].pk, "role": "member"}
    )
    assert again.status_code == 422
    assert "already a member of this hub for an overlapping period" in again.content.decode()


def test_the_page_lists_no_organisations_before_a_search(hubs, personas, login):
    page = login(personas["coord_no"]).get(add_url(hubs["norway"])).content.decode()
    # no list of every organisation of Europe: the filters, and nothing to choose yet
    assert "AICIB" not in page and "Oslo Cancer Cluster" not in page
    assert 'id="org-country"' in page and 'id="org-group"' in page
    assert "data-organisation" not in page


def test_typing_gets_the_results_only_and_a_history_restore_the_whole_page(hubs, personas, login):
    client = login(personas["coord_no"])
    typed = client.get(add_url(hubs["norway"]), {"q": "aicib"}, **HTMX).content.decode()
    assert typed.startswith('<div id="org-results"') and "<html" not in typed
    restore = {**HTMX, "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    whole = client.get(add_url(hubs["norway"]), {"q": "aicib"}, **restore).content.decode()
    assert "<html" in whole and "AICIB" in whole


# Bounds ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_a_query_too_long_is_refused_with_a_clear_error(hubs, personas, login, headers):
    response = login(personas["coord_no"]).get(
        add_url(hubs["norway"]), {"q": "x" * (pickers.MAX_QUERY + 1)}, **headers
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert "The search was not run" in text and "at most 100 characters" in text


def test_an_unknown_country_or_group_is_refused_not_a_500(hubs, personas, login):
    response = login(personas["coord_no"]).get(
        add_url(hubs["norway"]), {"country": "ZZ", "group": "martians"}, **HTMX
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_a_huge_organisation_id_is_not_a_500(hubs, personas, login):
    client = login(personas["coord_no"])
    assert client.get(add_url(hubs["norway"]), {"organisation": "9" * 30}).status_code == 200
    posted = client.post(add_url(hubs["norway"]), {"organisation": "9" * 30, "role": "member"})
    assert posted.status_code == 422


# The engagement register uses the same picker ----------------------------------------------------


def test_the_register_marks_what_it_already_lists(hubs, personas, login):
    from echos.engagement import register

    register.add_stakeholder(
        actor=personas["coord_no"],
        hub=hubs["norway"],
        organisation=hubs["occ"],
        influence=3,
        interest=3,
    )
    url = f"/engagement/hubs/{hubs['norway'].pk}/register/add/"
    page = login(personas["coord_no"]).get(url, {"country": "NO"}, **HTMX).content.decode()
    assert "Oslo Cancer Cluster <small>(in the register)</small>" in page
    assert f'data-organisation="{hubs["ncs"].pk}"' in page
    assert login(personas["coord_pt"]).get(url, {"country": "NO"}, **HTMX).status_code == 403


# Regions of the chosen country -------------------------------------------------------------------


def test_the_organisation_form_lists_the_chosen_countrys_regions_only(hubs, personas, login):
    client = login(personas["coord_no"])
    page = client.get("/organisations/new/", {"country": "NO"}).content.decode()
    assert 'value="NO-46"' in page and 'value="PT-11"' not in page
    assert page.count("<option") < 200
    blank = client.get("/organisations/new/").content.decode()
    assert "Choose the country first" in blank and 'value="NO-46"' not in blank


def test_a_region_of_another_country_is_refused_naming_the_field(hubs, personas, login, terms):
    response = login(personas["coord_no"]).post(
        "/organisations/new/",
        {
            "name": "Bergen Clinic",
            "stakeholder_group": terms["research"].pk,
            "country": "NO",
            "region": "PT-11",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert 'href="#id_region"' in text and "The region is not in the chosen country" in text
    assert not Organisation.objects.filter(name="Bergen Clinic").exists()


def test_the_hub_form_lists_its_countrys_regions_only(hubs, personas, login):
    page = login(personas["coord_no"]).get(f"/hubs/{hubs['vestland'].pk}/edit/").content.decode()
    assert 'value="NO-46" selected' in page and 'value="PT-11"' not in page


def test_the_hub_form_places_the_hub_on_its_countrys_map(hubs, personas, login):
    page = login(personas["coord_no"]).get(f"/hubs/{hubs['vestland'].pk}/edit/").content.decode()
    assert 'class="point-map"' in page and "Use the centre of Norway" in page
    assert '<label for="id_latitude">' in page and '<label for="id_longitude">' in page


def test_region_options_follow_the_country(hubs, client):
    options = client.get("/regions/options/", {"country": "PT"}).content.decode()
    assert 'value="PT-11"' in options and 'value="NO-46"' not in options
    assert options.count("<option") == Region.objects.filter(country="PT").count() + 1
    nothing = client.get("/regions/options/", {"country": "<script>"}).content.decode()
    assert nothing.count("<option") == 1


# Register it first, then come back ---------------------------------------------------------------


def test_register_it_first_comes_back_with_the_new_organisation_chosen(
    hubs, personas, login, terms
):
    client = login(personas["coord_no"])
    page = client.get(add_url(hubs["norway"])).content.decode()
    assert "/organisations/new/?next=%2Fhubs%2F" in page and "country=NO" in page
    back = add_url(hubs["norway"])
    form = client.get("/organisations/new/", {"next": back, "country": "NO"}).content.decode()
    assert f'name="next" value="{back}"' in form and 'value="NO" selected' in form
    created = client.post(
        "/organisations/new/",
        {
            "name": "Tromsø Patient Forum",
            "stakeholder_group": terms["patients"].pk,
            "country": "NO",
            "next": back,
        },
    )
    org = Organisation.objects.get(name="Tromsø Patient Forum")
    assert created.status_code == 302
    assert created["Location"] == f"{back}?organisation={org.pk}"
    chosen = client.get(created["Location"]).content.decode()
    assert f'name="organisation" value="{org.pk}"' in chosen


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/phish", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_next_elsewhere_is_ignored(hubs, personas, login, terms, target):
    client = login(personas["coord_no"])
    form = client.get("/organisations/new/", {"next": target}).content.decode()
    # (the language switcher of every page carries the whole path along, escaped)
    assert f'href="{target}"' not in form and f'value="{target}"' not in form
    created = client.post(
        "/organisations/new/",
        {
            "name": "Stavanger Forum",
            "stakeholder_group": terms["patients"].pk,
            "country": "NO",
            "next": target,
        },
    )
    org = Organisation.objects.get(name="Stavanger Forum")
    assert created.status_code == 302 and created["Location"] == org.get_absolute_url()


def test_the_relationship_picker_leaves_out_the_organisation_itself(hubs, personas, login):
    url = f"/engagement/organisations/{hubs['occ'].pk}/relationships/new/"
    client = login(personas["coord_no"])
    page = client.get(url, {"country": "NO", "hub": hubs["norway"].pk}, **HTMX).content.decode()
    assert f'data-organisation="{hubs["occ"].pk}"' not in page
    assert f"?target={hubs['ncs'].pk}&amp;country=NO&amp;hub={hubs['norway'].pk}" in page
    assert login(personas["member_no"]).get(url, {"country": "NO"}, **HTMX).status_code == 403
