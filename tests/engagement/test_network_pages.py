"""The network map pages: filters, who sees what (with denied twins), no personal data, bounded
queries, snapshots and comparisons."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from echos.engagement.models import NetworkSnapshot, Relationship, Stakeholder


@pytest.fixture
def network(hubs, make_record, terms):
    """Two Norwegian records (one with the Norwegian Cancer Society, one with AICIB of Portugal),
    a Portuguese record with AICIB, a relationship, and a register entry that is not a member."""
    from echos.hubs import services

    today = timezone.localdate()
    media = services.create_organisation(
        actor=None, name="Register-only broadcaster", country=hubs["norway"].country,
        stakeholder_group=terms["media"],
    )  # fmt: skip
    Stakeholder.objects.create(
        hub=hubs["norway"], organisation=media, group=terms["media"], influence=5, interest=2,
        notes="SECRET REGISTER NOTE",
    )  # fmt: skip
    r1 = make_record(title="Patients' dialogue", date=today - timedelta(days=30), level="involve")
    r2 = make_record(
        title="Research round table", date=today - timedelta(days=60), level="consult",
        stakeholder_groups=["research"], organisations=[hubs["aicib"].pk, hubs["occ"].pk],
        objectives=["understanding"],
    )  # fmt: skip
    r3 = make_record(
        hub=hubs["portugal"], title="Reuniao", date=today - timedelta(days=20), language="pt",
        region=None, stakeholder_groups=["research"], organisations=[hubs["aicib"].pk],
    )  # fmt: skip
    old = make_record(title="Old meeting", date=today - timedelta(days=800))
    Relationship.objects.create(
        source=hubs["occ"], target=hubs["ncs"], kind="partners_with", hub=hubs["norway"]
    )
    return {"media": media, "records": [r1, r2, r3], "old": old}


def url(hub=None, **query):
    from urllib.parse import urlencode

    base = (
        reverse("engagement:network_hub", args=[hub.pk]) if hub else reverse("engagement:network")
    )
    return base + ("?" + urlencode(query) if query else "")


def test_hub_map_shows_records_members_brokers_and_bridges(hubs, network, login):
    page = login(None).get(url(hubs["norway"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Patients&#x27; dialogue" in html and "Old meeting" not in html
    assert 'id="network-data"' in html  # small enough to draw
    # AICIB took part in a Norwegian record and is a member of the Portuguese hub: a bridge.
    bridges = html.split('id="bridges"')[1].split("</ul>")[0]
    assert "AICIB" in bridges


def test_register_entries_are_shown_to_the_team_only(hubs, network, personas, login):
    for who, sees in [
        ("anonymous", False), ("member_no", False), ("coord_pt", False),
        ("editor_no", True), ("coord_no", True), ("network", True),
    ]:  # fmt: skip
        html = login(personas[who]).get(url(hubs["norway"])).content.decode()
        assert ("Register-only broadcaster" in html) is sees, who
        assert "SECRET REGISTER NOTE" not in html
        assert "contact@example.invalid" not in html and "Test Contact" not in html


def test_whole_network_register_is_for_network_coordinators(hubs, network, personas, login):
    assert "Register-only broadcaster" in login(personas["network"]).get(url()).content.decode()
    assert (
        "Register-only broadcaster" not in login(personas["coord_no"]).get(url()).content.decode()
    )


def test_filters_narrow_the_records(hubs, network, login):
    html = login(None).get(url(hubs["norway"], group="research")).content.decode()
    assert "Research round table" in html and "Patients&#x27; dialogue" not in html
    html = login(None).get(url(hubs["norway"], objective="understanding")).content.decode()
    assert "Research round table" in html and "Patients&#x27; dialogue" not in html
    old = network["old"].date
    html = login(None).get(url(hubs["norway"], start=old, end=old)).content.decode()
    assert "Old meeting" in html and "Research round table" not in html


@pytest.mark.parametrize(
    "query,field,message",
    [
        ({"group": "astronauts"}, "group", "astronauts"),
        ({"start": "2025-05-01", "end": "2025-01-01"}, "end", "before its start"),
        ({"start": "2010-01-01", "end": "2025-01-01"}, "end", "longer than 5 years"),
        ({"start": "not-a-date"}, "start", "valid date"),
    ],
)
def test_bad_filters_are_refused_naming_the_field(hubs, login, query, field, message):
    page = login(None).get(url(hubs["norway"], **query))
    assert page.status_code == 400
    html = page.content.decode()
    assert f'id="id_{field}-error"' in html and message in html


def test_too_big_a_selection_shows_the_table_and_a_message(hubs, network, login, monkeypatch):
    from echos.engagement import network_store

    monkeypatch.setattr(network_store, "MAX_DRAWN_NODES", 3)
    html = login(None).get(url(hubs["norway"])).content.decode()
    assert 'id="network-too-big"' in html and 'id="network-data"' not in html
    assert 'id="network-table"' in html


def test_unknown_hub_is_404(db, login):
    assert login(None).get(reverse("engagement:network_hub", args=[999999])).status_code == 404


def bulk_network(hub, orgs, n):
    """``n`` records of ``hub`` with two organisations each, and ``n`` memberships."""
    from echos.core.models import Term
    from echos.engagement.models import EngagementRecord
    from echos.hubs.models import Membership, Organisation

    group = Term.objects.get(vocabulary="stakeholder_groups", code="research")
    level = Term.objects.get(vocabulary="engagement_levels", code="involve")
    new = Organisation.objects.bulk_create(
        Organisation(name=f"Bulk {hub.pk}-{i}", normalised_name=f"bulk {hub.pk} {i}",
                     country=hub.country, stakeholder_group=group)
        for i in range(n)
    )  # fmt: skip
    Membership.objects.bulk_create(Membership(hub=hub, organisation=o) for o in new)
    day = timezone.localdate() - timedelta(days=10)
    records = EngagementRecord.objects.bulk_create(
        EngagementRecord(hub=hub, title=f"R{i}", description="d", date=day, level=level,
                         format="meeting", language="nb")
        for i in range(n)
    )  # fmt: skip
    through = EngagementRecord.organisations.through
    through.objects.bulk_create(
        through(engagementrecord=r, organisation=o) for r, o in zip(records, new, strict=True)
    )
    groups = EngagementRecord.stakeholder_groups.through
    groups.objects.bulk_create(groups(engagementrecord=r, term=group) for r in records)


@pytest.mark.parametrize("size", [5, 60])
def test_query_count_does_not_grow_with_the_data(hubs, network, personas, login, size):
    bulk_network(hubs["norway"], [], size)
    client = login(personas["coord_no"])
    with CaptureQueriesContext(connection) as hub_queries:
        assert client.get(url(hubs["norway"])).status_code == 200
    with CaptureQueriesContext(connection) as all_queries:
        assert client.get(url()).status_code == 200
    # The same bound at 5 and 60 records: a fixed set of aggregate queries (and at most three
    # counts that estimate the size of the graph, network_store.estimated_nodes).
    assert len(hub_queries) <= 19, [q["sql"] for q in hub_queries.captured_queries]
    assert len(all_queries) <= 19, [q["sql"] for q in all_queries.captured_queries]


def test_export_links_download_both_formats(hubs, network, login):
    for fmt, marker in (("gexf", b"<gexf"), ("graphml", b"<graphml")):
        page = login(None).get(
            reverse("engagement:network_export_hub", args=[hubs["norway"].pk, fmt])
        )
        assert page.status_code == 200 and marker in page.content
        assert "attachment" in page["Content-Disposition"]
    bad = login(None).get(reverse("engagement:network_export_hub", args=[hubs["norway"].pk, "csv"]))
    assert bad.status_code == 400
    bad = login(None).get(
        reverse("engagement:network_export", args=["gexf"]) + "?start=2025-02-01&end=2025-01-01"
    )
    assert bad.status_code == 400 and b"end" in bad.content


def snapshot_post(client, hub=None, **data):
    target = (
        reverse("engagement:network_snapshot_hub", args=[hub.pk])
        if hub
        else reverse("engagement:network_snapshot")
    )
    today = timezone.localdate()
    payload = {"start": today - timedelta(days=365), "end": today, "label": "", **data}
    return client.post(target, payload)


@pytest.mark.parametrize(
    "who,status",
    [("anonymous", 302), ("member_no", 403), ("coord_pt", 403), ("editor_no", 302),
     ("coord_no", 302), ("network", 302)],
)  # fmt: skip
def test_who_may_save_a_hub_snapshot(hubs, network, personas, login, who, status):
    page = snapshot_post(login(personas[who]), hubs["norway"], label="Q")
    assert page.status_code == status
    saved = NetworkSnapshot.objects.filter(hub=hubs["norway"]).exists()
    assert saved is (who not in ("anonymous", "member_no", "coord_pt"))


@pytest.mark.parametrize("who,allowed", [("coord_no", False), ("network", True)])
def test_only_network_coordinators_snapshot_the_whole_network(
    network, personas, login, who, allowed
):
    page = snapshot_post(login(personas[who]))
    assert page.status_code == (302 if allowed else 403)
    assert NetworkSnapshot.objects.filter(hub__isnull=True).exists() is allowed


def test_snapshots_compare_side_by_side(hubs, network, personas, login):
    client = login(personas["coord_no"])
    today = timezone.localdate()
    snapshot_post(client, hubs["norway"], label="Before", start=today - timedelta(days=900),
                  end=today - timedelta(days=700))  # fmt: skip
    snapshot_post(client, hubs["norway"], label="Now")
    before, now = NetworkSnapshot.objects.order_by("period_end")
    assert before.metrics["summary"]["records_in_period"] == 1
    compare = reverse("engagement:network_compare_hub", args=[hubs["norway"].pk])
    page = client.get(compare, {"a": before.pk, "b": now.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="compare-summary"' in html
    # Oslo Cancer Cluster, a member with no record in the first period, took part in the second.
    assert "Oslo Cancer Cluster" in html.split('id="reconnected"')[1].split("</ul>")[0]
    # The team's snapshots hold the register: its entry with no engagement is isolated in both.
    assert f"org:{network['media'].pk}" in before.metrics["isolated"]
    # Another hub's coordinator cannot read them: no list, and choosing them is refused.
    other = login(personas["coord_pt"]).get(compare, {"a": before.pk, "b": now.pk})
    assert other.status_code == 400 and "Register-only" not in other.content.decode()


def test_anyone_compares_two_periods(hubs, network, login):
    compare = reverse("engagement:network_compare_hub", args=[hubs["norway"].pk])
    today = timezone.localdate()
    page = login(None).get(
        compare,
        {"a_start": today - timedelta(days=900), "a_end": today - timedelta(days=700),
         "b_start": today - timedelta(days=365), "b_end": today},
    )  # fmt: skip
    assert page.status_code == 200
    assert 'id="compare-summary"' in page.content.decode()
    bad = login(None).get(compare, {"b_start": "2025-05-01", "b_end": "2025-01-01"})
    assert bad.status_code == 400 and "before its start" in bad.content.decode()


def test_hub_engagement_page_links_to_the_map(hubs, login):
    html = login(None).get(reverse("engagement:hub", args=[hubs["norway"].pk])).content.decode()
    assert reverse("engagement:network_hub", args=[hubs["norway"].pk]) in html


def test_period_default_is_the_last_twelve_months(hubs, network, login):
    html = login(None).get(url(hubs["norway"])).content.decode()
    assert date.today().strftime("%Y") in html
