"""A hub page's member list kept under a digest of the rows it shows (core/fragments.py, #18
cold pages): a write to the hub alone reads it from the cache; any change to a member line
renders it again; the editing links never reach a visitor who may not edit."""

import pytest
from django.core.cache import cache
from django.test import Client

from echos.core import fragments
from echos.hubs.models import Membership

BLOCK = "hubs/_members.html"


@pytest.fixture
def rendered(monkeypatch):
    """How many times the member block was rendered."""
    calls: list[str] = []
    original = fragments.render_to_string

    def counting(template, context=None, *args, **kwargs):
        if template == BLOCK:
            calls.append(template)
        return original(template, context, *args, **kwargs)

    monkeypatch.setattr(fragments, "render_to_string", counting)
    cache.clear()
    return calls


def page(hubs, client=None) -> str:
    return (client or Client()).get(f"/hubs/{hubs['norway'].pk}/").content.decode()


def test_a_write_to_the_hub_alone_reads_the_member_list_from_the_cache(hubs, rendered):
    from echos.hubs.services.hubs import update_hub

    assert "Oslo Cancer Cluster" in page(hubs) and len(rendered) == 1
    update_hub(actor=None, hub=hubs["norway"], name_en="Norway, renamed")
    body = page(hubs)
    assert "Norway, renamed" in body and "Oslo Cancer Cluster" in body
    assert len(rendered) == 1


def test_any_change_to_a_member_line_renders_the_list_again(hubs, rendered):
    page(hubs)
    membership = Membership.objects.filter(hub=hubs["norway"]).select_related("organisation")[0]
    organisation = membership.organisation
    # A bulk update: no signal, no timestamp; the digest reads the values.
    type(organisation).objects.filter(pk=organisation.pk).update(name="Renamed member org")
    assert "Renamed member org" in page(hubs) and len(rendered) == 2
    Membership.objects.filter(pk=membership.pk).update(role="observer")
    assert len(rendered) == 2
    page(hubs)
    assert len(rendered) == 3


def test_the_editing_links_never_reach_a_visitor_who_may_not_edit(hubs, personas, login, rendered):
    coordinator = login(personas["coord_no"])
    assert "/members/" in page(hubs, coordinator) and 'class="small-link"' in page(
        hubs, coordinator
    )
    anonymous = page(hubs)
    assert 'class="small-link"' not in anonymous
    other = login(personas["coord_pt"])
    assert 'class="small-link"' not in page(hubs, other)


def test_columns_read_only_loaded_fields(hubs):
    from echos.hubs.models import Hub

    full = Hub.objects.get(pk=hubs["norway"].pk)
    lean = Hub.objects.only("id", "name").get(pk=hubs["norway"].pk)
    assert dict(fragments.columns(lean)).keys() == {"id", "name"}
    assert len(fragments.columns(full)) > 2
    full.get_absolute_url()  # nothing cached on the instance enters the digest
    assert fragments.columns(full) == fragments.columns(Hub.objects.get(pk=hubs["norway"].pk))


def test_directory_rows_are_rendered_again_only_where_they_change(hubs, monkeypatch):
    """The directory's rows are kept like the member list (#18): a rename renders the row of the
    hub and those of its sub-hubs ("under …") again; a new member changes the row's count."""
    from echos.core.models import Term
    from echos.hubs.models import Organisation
    from echos.hubs.services.hubs import update_hub

    rows: list[str] = []
    original = fragments.render_to_string

    def counting(template, context=None, *args, **kwargs):
        if template == "hubs/_directory_row.html":
            rows.append(context["hub"].name_en)
        return original(template, context, *args, **kwargs)

    monkeypatch.setattr(fragments, "render_to_string", counting)
    cache.clear()
    client = Client()
    first = client.get("/hubs/?country=NO").content.decode()
    assert "Vestland hub" in first and len(rows) >= 3
    rows.clear()
    client.get("/hubs/?country=NO")
    assert rows == []
    update_hub(actor=None, hub=hubs["vestland"], name_en="Vestland, renamed")
    page = client.get("/hubs/?country=NO").content.decode()
    assert "Vestland, renamed" in page
    assert sorted(rows) == sorted(["Vestland, renamed", "Bergen hub"])  # itself and its sub-hub
    rows.clear()
    research = Term.objects.get(vocabulary="stakeholder_groups", code="research")
    org = Organisation.objects.create(
        name="New member", country_id="NO", stakeholder_group=research
    )
    Membership.objects.create(hub=hubs["norway"], organisation=org)
    client.get("/hubs/?country=NO")
    assert rows == [hubs["norway"].name_en]
