"""The stakeholder register: rules of its services, the power/interest grid, filters and pages."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from echos.core.exceptions import Conflict, RuleViolation
from echos.core.models import ActionLog, Term
from echos.engagement import demo_register, register
from echos.engagement.models import Relationship, Sector, Stakeholder
from echos.hubs import services
from echos.hubs.demo import load_demo as load_hub_demo
from echos.hubs.models import Hub

pytestmark = pytest.mark.django_db


def add(hubs, org="ncs", actor=None, **extra):
    data = {"influence": 4, "interest": 5}
    data.update(extra)
    return register.add_stakeholder(actor=actor, hub=hubs["norway"], organisation=hubs[org], **data)


def test_add_takes_the_organisations_group_and_derives_the_sector(hubs):
    entry = add(hubs)
    assert entry.group.code == "patients"
    assert entry.sector == Sector.CIVIL_SOCIETY
    assert entry.status == "to_approach"


def test_sector_override_wins_over_the_group(hubs):
    assert add(hubs, sector_override="academia").sector == Sector.ACADEMIA


@pytest.mark.parametrize("field", ["influence", "interest"])
@pytest.mark.parametrize("value", [0, 6, -1, "x", None, 2.5, True])
def test_scores_outside_one_to_five_are_refused_naming_the_field(hubs, field, value):
    with pytest.raises(RuleViolation) as exc:
        add(hubs, **{field: value})
    assert exc.value.field == field
    assert not Stakeholder.objects.exists()


@pytest.mark.parametrize("value", [1, 5, "3"])
def test_scores_one_to_five_are_accepted(hubs, value):
    assert add(hubs, influence=value).influence == int(value)


def test_the_same_organisation_twice_is_refused(hubs):
    add(hubs)
    with pytest.raises(Conflict) as exc:
        add(hubs)
    assert exc.value.field == "organisation"
    assert Stakeholder.objects.count() == 1


def test_the_same_organisation_may_be_in_two_hubs_registers(hubs):
    add(hubs)
    register.add_stakeholder(
        actor=None, hub=hubs["portugal"], organisation=hubs["ncs"], influence=1, interest=1
    )
    assert Stakeholder.objects.count() == 2


def test_any_organisation_of_any_country_may_be_added(hubs):
    assert add(hubs, org="aicib").organisation.country_id == "PT"


def test_owner_must_be_on_the_hub_team(hubs, personas):
    for user in ("coord_no", "editor_no"):
        entry = add(hubs, owner=personas[user], org="ncs" if user == "coord_no" else "occ")
        assert entry.owner == personas[user]
    for user in ("member_no", "coord_pt", "network"):
        with pytest.raises(RuleViolation) as exc:
            add(hubs, org="aicib", owner=personas[user])
        assert exc.value.field == "owner"


def test_coordinator_above_may_own_an_entry_of_a_sub_hub(hubs, personas):
    entry = register.add_stakeholder(
        actor=personas["coord_no"],
        hub=hubs["bergen"],
        organisation=hubs["ncs"],
        influence=2,
        interest=2,
        owner=personas["coord_no"],
    )
    assert entry.owner == personas["coord_no"]


def test_who_may_add(hubs, personas):
    add(hubs, actor=personas["editor_no"])
    for user in ("member_no", "coord_pt"):
        with pytest.raises(PermissionDenied):
            add(hubs, org="occ", actor=personas[user])


def test_writes_are_audited_without_the_notes_text(hubs, personas):
    entry = add(hubs, actor=personas["coord_no"], notes="Secret judgement")
    register.update_stakeholder(actor=personas["coord_no"], stakeholder=entry, interest=2)
    register.remove_stakeholder(actor=personas["coord_no"], stakeholder=entry)
    actions = list(ActionLog.objects.values_list("action", flat=True))
    assert "engagement.stakeholder.added" in actions
    assert "engagement.stakeholder.updated" in actions
    assert "engagement.stakeholder.removed" in actions
    assert "Secret judgement" not in str(list(ActionLog.objects.values_list("data", flat=True)))


def test_a_refused_update_leaves_the_stored_entry(hubs):
    entry = add(hubs)
    with pytest.raises(RuleViolation):
        register.update_stakeholder(actor=None, stakeholder=entry, influence=9)
    entry.refresh_from_db()
    assert entry.influence == 4


@pytest.mark.parametrize(
    ("influence", "interest", "quadrant"),
    [
        (5, 5, "manage_closely"),
        (3, 3, "manage_closely"),
        (5, 1, "keep_satisfied"),
        (1, 5, "keep_informed"),
        (2, 2, "monitor"),
    ],
)
def test_quadrants(influence, interest, quadrant):
    assert register.quadrant(influence, interest) == quadrant


def test_grid_places_every_entry_once(hubs):
    add(hubs, influence=5, interest=1)
    add(hubs, org="occ", influence=1, interest=1)
    cells = {
        q.code: [e.organisation.name for e in q.entries]
        for q in register.grid(register.register_of(hubs["norway"]))
    }
    assert cells["keep_satisfied"] == ["Norwegian Cancer Society"]
    assert cells["monitor"] == ["Oslo Cancer Cluster"]
    assert cells["manage_closely"] == cells["keep_informed"] == []


def test_filters(hubs, personas):
    add(hubs, status="engaged", owner=personas["editor_no"])
    add(hubs, org="occ", sector_override="industry")
    qs = register.register_of(hubs["norway"])
    names = lambda **f: [e.organisation.name for e in register.filter_register(qs, **f)]  # noqa: E731
    assert names(group="patients") == ["Norwegian Cancer Society"]
    assert names(sector="civil_society") == ["Norwegian Cancer Society"]
    assert names(sector="industry") == ["Oslo Cancer Cluster"]
    assert names(sector="academia") == []  # occ's group is research, but its sector is overridden
    assert names(status="engaged") == ["Norwegian Cancer Society"]
    assert names(owner=personas["editor_no"].pk) == ["Norwegian Cancer Society"]


def test_members_not_in_register_and_search(hubs):
    assert {o.name for o in register.members_not_in_register(hubs["norway"])} == {
        "Oslo Cancer Cluster",
        "Norwegian Cancer Society",
    }
    add(hubs)
    assert [o.name for o in register.members_not_in_register(hubs["norway"])] == [
        "Oslo Cancer Cluster"
    ]
    assert [o.name for o in register.search_organisations("aicib")] == ["AICIB"]
    assert list(register.search_organisations("a")) == []


# Pages -------------------------------------------------------------------------------------------

PAGE_ACCESS = {
    "anonymous": 302,
    "coord_pt": 403,
    "member_no": 403,
    "editor_no": 200,
    "coord_no": 200,
    "network": 200,
}


@pytest.mark.parametrize(("persona", "status"), PAGE_ACCESS.items())
def test_register_page_is_for_the_hub_team(hubs, personas, login, persona, status):
    add(hubs, notes="Private note on NCS")
    response = login(personas[persona]).get(f"/engagement/hubs/{hubs['norway'].pk}/register/")
    assert response.status_code == status
    if status == 200:
        assert "Private note on NCS" in response.content.decode()
        assert 'id="power-interest-grid"' in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), PAGE_ACCESS.items())
def test_register_export_is_for_the_hub_team(hubs, personas, login, persona, status):
    add(hubs, notes="Private note on NCS")
    response = login(personas[persona]).get(f"/engagement/hubs/{hubs['norway'].pk}/register.csv")
    assert response.status_code == status
    if status == 200:
        assert "Private note on NCS" in response.content.decode()


def test_register_xlsx_export_reads_back(hubs, personas, login):
    add(hubs, notes="=HYPERLINK(1)")
    response = login(personas["coord_no"]).get(
        f"/engagement/hubs/{hubs['norway'].pk}/register.xlsx"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "organisation_id"
    assert rows[1][-1] == "=HYPERLINK(1)" and sheet.cell(2, len(rows[0])).data_type == "s"


def test_csv_export_quotes_formulas(hubs, personas, login):
    add(hubs, notes="=cmd()")
    response = login(personas["coord_no"]).get(f"/engagement/hubs/{hubs['norway'].pk}/register.csv")
    assert "'=cmd()" in response.content.decode()


def test_add_member_in_one_click(hubs, personas, login):
    client = login(personas["editor_no"])
    url = f"/engagement/hubs/{hubs['norway'].pk}/register/add/"
    response = client.post(url, {"quick": "1", "organisation": hubs["occ"].pk})
    assert response.status_code == 302
    entry = Stakeholder.objects.get()
    assert (entry.organisation, entry.influence, entry.interest) == (hubs["occ"], 3, 3)


def test_add_through_the_picker_and_errors_named(hubs, personas, login):
    client = login(personas["coord_no"])
    url = f"/engagement/hubs/{hubs['norway'].pk}/register/add/"
    found = client.get(url, {"q": "aic"})
    assert "AICIB" in found.content.decode() and "Portugal" in found.content.decode()
    chosen = client.get(url, {"organisation": hubs["aicib"].pk})
    assert 'name="influence"' in chosen.content.decode()
    data = {
        "organisation": hubs["aicib"].pk,
        "group": "research",
        "influence": "4",
        "interest": "2",
        "status": "to_approach",
        "owner": personas["member_no"].pk,
    }
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert not Stakeholder.objects.exists()
    data["owner"] = personas["editor_no"].pk
    assert client.post(url, data).status_code == 302
    assert Stakeholder.objects.get().owner == personas["editor_no"]


def test_edit_and_delete_pages(hubs, personas, login):
    entry = add(hubs)
    client = login(personas["coord_no"])
    data = {
        "group": "patients",
        "influence": "1",
        "interest": "1",
        "status": "dormant",
        "notes": "",
    }
    assert client.post(f"/engagement/stakeholders/{entry.pk}/edit/", data).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "dormant"
    assert (
        login(personas["coord_pt"]).post(f"/engagement/stakeholders/{entry.pk}/delete/").status_code
        == 403
    )
    assert client.post(f"/engagement/stakeholders/{entry.pk}/delete/").status_code == 302
    assert not Stakeholder.objects.exists()


def test_register_page_query_count_does_not_grow_with_entries(hubs, personas, login):
    client = login(personas["coord_no"])
    url = f"/engagement/hubs/{hubs['norway'].pk}/register/"
    research = Term.objects.get(vocabulary="stakeholder_groups", code="research")

    def grow(n, start):
        for i in range(start, start + n):
            org = services.create_organisation(
                actor=None,
                name=f"Org {i}",
                country=hubs["norway"].country,
                stakeholder_group=research,
            )
            register.add_stakeholder(
                actor=None,
                hub=hubs["norway"],
                organisation=org,
                influence=1 + i % 5,
                interest=1 + i % 4,
            )

    grow(3, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow(30, 3)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_public_hub_and_organisation_pages_never_show_register_data(hubs, personas, login):
    add(hubs, notes="Private note on NCS", influence=5)
    for path in (
        f"/engagement/hubs/{hubs['norway'].pk}/",
        hubs["ncs"].get_absolute_url(),
        hubs["norway"].get_absolute_url(),
    ):
        body = login(None).get(path).content.decode()
        assert "Private note on NCS" not in body
        assert "register/" not in body


def test_demo_registers_and_relationships(hubs):
    load_hub_demo()
    counts = demo_register.load_demo()
    national = Hub.objects.filter(is_demo=True, level="national")
    assert counts["stakeholders"] == Stakeholder.objects.count() > 0
    for hub in national:
        assert hub.stakeholders.count() >= 8, hub
    assert not Stakeholder.objects.filter(hub__is_demo=False).exists()
    assert not Stakeholder.objects.filter(is_demo=False).exists()
    # Scores on real organisations are labelled as demo judgements.
    real = Stakeholder.objects.filter(organisation__is_demo=False)
    assert real.exists() and all(e.notes.startswith("Demo:") for e in real)
    # Relationships join invented organisations only, each labelled demo.
    rels = Relationship.objects.select_related("source", "target")
    assert rels.count() == counts["relationships"] > len(national)
    assert all(r.is_demo and r.source.is_demo and r.target.is_demo for r in rels)
    assert all(r.source_note.startswith("Demo:") for r in rels)
    assert demo_register.load_demo() == {"stakeholders": 0, "relationships": 0}
