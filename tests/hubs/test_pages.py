"""The registry's pages as a visitor and a coordinator use them."""

import pytest

from echos.core.models import Term
from echos.hubs import services
from echos.hubs.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_home_lists_every_country_and_those_left_behind(hubs, client):
    page = client.get("/").content.decode()
    assert "europe-map-spec" in page
    for name in ["Norway", "Portugal", "Iceland", "Ukraine", "Kosovo", "Canada"]:
        assert name in page
    assert "No hub yet" in page


def test_directory_filters_and_search_live_in_the_url(hubs, client):
    def results(query):
        return client.get(f"/hubs/?{query}").content.decode().split('id="results"')[1]

    page = results("country=NO&level=regional")
    assert "Vestland hub" in page and "Bergen hub" not in page and "Portugal" not in page
    page = results("q=bergen")
    assert "Bergen hub" in page and "Vestland hub</a>" not in page
    page = results("stakeholder_group=patients")
    assert "1 hub found" in page and "Cancer Mission Hub Norway" in page


def test_directory_answers_htmx_with_the_results_only(hubs, client):
    response = client.get("/hubs/?country=PT", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "National Cancer Hub Portugal" in body


def test_bad_filter_values_are_ignored_not_a_500(hubs, client):
    assert client.get("/hubs/?country=ZZ&stage=nonsense&page=abc").status_code == 200


def test_hub_page_groups_members_and_pages_long_lists(hubs, client):
    research = Term.objects.get(vocabulary="stakeholder_groups", code="research")
    for i in range(130):
        org = Organisation.objects.create(
            name=f"Lab {i:03}", country_id="NO", stakeholder_group=research
        )
        Membership.objects.create(hub=hubs["vestland"], organisation=org)
    first = client.get(f"/hubs/{hubs['vestland'].pk}/").content.decode()
    assert "130 member organisations" in first and "Lab 000" in first and "Lab 129" not in first
    second = client.get(f"/hubs/{hubs['vestland'].pk}/?members=2").content.decode()
    assert "Lab 129" in second
    norway = client.get(f"/hubs/{hubs['norway'].pk}/").content.decode()
    assert "Research and academia" in norway and "Oslo Cancer Cluster" in norway
    assert "Vestland hub" in norway  # sub-hub listed


def test_country_page_shows_stage_hubs_and_organisations(hubs, client):
    page = client.get("/countries/no/").content.decode()
    assert "Launched" in page and "Bergen hub" in page and "Norwegian Cancer Society" in page
    page = client.get("/countries/FR/").content.decode()
    assert "no national hub yet" in page
    assert client.get("/countries/ZZ/").status_code == 404


def test_country_names_follow_the_chosen_language(hubs, client):
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    page = client.get("/countries/NO/").content.decode()
    assert "Norwegen" in page and '<html lang="de"' in page


def test_coordinator_adds_ends_and_removes_a_membership_on_the_site(hubs, personas, login):
    client = login(personas["coord_no"])
    response = client.post(
        f"/hubs/{hubs['vestland'].pk}/members/add/",
        {"organisation": hubs["occ"].pk, "role": "founding_member", "since": "2024-01-01"},
    )
    assert response.status_code == 302
    m = Membership.objects.get(hub=hubs["vestland"], organisation=hubs["occ"])
    bad = client.post(
        f"/hubs/{hubs['vestland'].pk}/members/{m.pk}/",
        {"role": "member", "since": "2024-01-01", "until": "2023-01-01"},
    )
    assert bad.status_code == 200 and "cannot end before it starts" in bad.content.decode()
    ended = client.post(
        f"/hubs/{hubs['vestland'].pk}/members/{m.pk}/",
        {"role": "member", "since": "2024-01-01", "until": "2025-01-01"},
    )
    assert ended.status_code == 302
    m.refresh_from_db()
    assert str(m.until) == "2025-01-01"
    client.post(f"/hubs/{hubs['vestland'].pk}/members/{m.pk}/", {"delete": "1"})
    assert not Membership.objects.filter(pk=m.pk).exists()


def test_coordinator_adds_a_sub_hub_and_sees_rule_errors_on_fields(hubs, personas, login):
    client = login(personas["coord_no"])
    form = {
        "name": "Oslo",
        "name_en": "Oslo hub",
        "country": "NO",
        "level": "regional",
        "parent": hubs["norway"].pk,
        "region": "NO-03",
        "archetype": "",
        "mission": "",
        "website": "",
        "host_organisation": "",
        "latitude": "",
        "longitude": "",
    }
    bad = client.post("/hubs/new/", {**form, "region": "PT-13"})
    assert bad.status_code == 200 and "not in the chosen country" in bad.content.decode()
    good = client.post("/hubs/new/", form)
    assert good.status_code == 302
    assert client.get("/hubs/new/").status_code == 403  # a national hub is the network's to create
    assert (
        login(personas["coord_no"]).get(f"/hubs/new/?parent={hubs['norway'].pk}").status_code == 200
    )


def test_organisation_register_duplicate_and_contacts(hubs, personas, login):
    client = login(personas["coord_no"])
    group = Term.objects.get(vocabulary="stakeholder_groups", code="patients").pk
    dup = client.post(
        "/organisations/new/",
        {
            "name": "norwegian cancer society",
            "country": "NO",
            "stakeholder_group": group,
            "region": "",
            "website": "",
            "description": "",
        },
    )
    assert dup.status_code == 200 and "already registered" in dup.content.decode()
    client.post(
        f"/organisations/{hubs['ncs'].pk}/contacts/",
        {"name": "New Contact", "email": "n@example.invalid"},
    )
    person = hubs["ncs"].contacts.get(name="New Contact")
    client.post(f"/organisations/{hubs['ncs'].pk}/contacts/{person.pk}/delete/")
    assert not hubs["ncs"].contacts.filter(pk=person.pk).exists()
    other = login(personas["coord_pt"]).post(
        f"/organisations/{hubs['ncs'].pk}/contacts/", {"name": "Intruder"}
    )
    assert other.status_code == 403


def test_hub_with_sub_hubs_cannot_be_deleted_from_the_page(hubs, personas, login):
    response = login(personas["network"]).post(f"/hubs/{hubs['norway'].pk}/delete/", follow=True)
    assert "sub-hubs" in response.content.decode()
    services.delete_hub(actor=None, hub=hubs["bergen"])


def test_the_hub_form_offers_the_countrys_organisations_and_hubs_only(hubs, personas, login):
    """#16 forms that scale: a hub's host and parent come from its own country, not from every
    organisation and hub in Europe (50,000 options at Europe scale)."""
    from echos.hubs.forms import HubForm
    from echos.hubs.models import Organisation

    norway = hubs["norway"]
    form = HubForm(instance=norway)
    hosts = form.fields["host_organisation"].queryset
    assert hosts.exists() and not hosts.exclude(country_id="NO").exists()
    assert not form.fields["parent"].queryset.exclude(country_id="NO").exists()
    assert Organisation.objects.exclude(country_id="NO").exists()
