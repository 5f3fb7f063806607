"""Role × action × object matrix, checked on the predicates, the pages and the API alike."""

import json

import pytest

from echos.hubs import permissions as perms

pytestmark = pytest.mark.django_db

ROLES = ["network", "coord_no", "coord_pt", "editor_no", "member_no", "anonymous"]

# action, target -> roles allowed
MATRIX = {
    ("edit", "norway"): {"network", "coord_no", "editor_no"},
    ("edit", "vestland"): {"network", "coord_no"},
    ("edit", "portugal"): {"network", "coord_pt"},
    ("stage", "norway"): {"network", "coord_no"},
    ("stage", "vestland"): {"network", "coord_no"},
    ("stage", "portugal"): {"network", "coord_pt"},
    ("delete", "norway"): {"network"},
    ("delete", "vestland"): {"network", "coord_no"},
    ("delete", "portugal"): {"network"},
    ("contacts", "occ"): {"network", "coord_no", "editor_no"},
    ("contacts", "ncs"): {"network", "coord_no", "editor_no", "member_no"},
    ("contacts", "aicib"): {"network", "coord_pt"},
}
PREDICATES = {
    "edit": perms.can_edit_hub,
    "stage": perms.can_change_stage,
    "delete": perms.can_delete_hub,
    "contacts": perms.can_view_contacts,
}
CASES = [
    (action, target, role, role in allowed)
    for (action, target), allowed in MATRIX.items()
    for role in ROLES
]


def _user(personas, role):
    from django.contrib.auth.models import AnonymousUser

    return personas[role] or AnonymousUser()


@pytest.mark.parametrize(("action", "target", "role", "allowed"), CASES)
def test_predicate_matrix(hubs, personas, action, target, role, allowed):
    assert PREDICATES[action](_user(personas, role), hubs[target]) is allowed


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("target", ["norway", "vestland", "portugal"])
def test_everyone_reads_every_hub_page(hubs, personas, login, role, target):
    response = login(personas[role]).get(hubs[target].get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("target", "role", "allowed"), [(t, r, a) for (act, t, r, a) in CASES if act == "edit"]
)
def test_edit_page_matrix(hubs, personas, login, target, role, allowed):
    hub = hubs[target]
    response = login(personas[role]).post(
        f"/hubs/{hub.pk}/edit/",
        {
            "name": hub.name,
            "name_en": hub.name_en + " (edited)",
            "country": hub.country_id,
            "level": hub.level,
            "parent": hub.parent_id or "",
            "region": hub.region_id or "",
            "archetype": "",
            "mission": "New mission",
            "website": "",
            "host_organisation": "",
            "latitude": "",
            "longitude": "",
        },
    )
    hub.refresh_from_db()
    if allowed:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert hub.name_en.endswith("(edited)")
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert not hub.name_en.endswith("(edited)")
        if role == "anonymous":
            assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("target", "role", "allowed"), [(t, r, a) for (act, t, r, a) in CASES if act == "edit"]
)
def test_edit_api_matrix(hubs, personas, token_client, target, role, allowed):
    hub = hubs[target]
    response = token_client(personas[role]).patch(
        f"/api/v1/hubs/{hub.pk}",
        json.dumps({"mission": "Changed by API"}),
        content_type="application/json",
    )
    hub.refresh_from_db()
    expected = 200 if allowed else (401 if role == "anonymous" else 403)
    assert response.status_code == expected
    assert (hub.mission == "Changed by API") is allowed
    assert "detail" in response.json() or allowed


@pytest.mark.parametrize(
    ("target", "role", "allowed"), [(t, r, a) for (act, t, r, a) in CASES if act == "delete"]
)
def test_delete_api_matrix(hubs, personas, token_client, target, role, allowed):
    from echos.hubs.models import Hub

    hub = hubs[target]
    # Remove sub-hubs first: a hub with sub-hubs is refused (409) whatever the role.
    for child in ("bergen", "vestland"):
        if hubs[target].pk in {h.pk for h in hubs[child].ancestors()}:
            hubs[child].delete()
    response = token_client(personas[role]).delete(f"/api/v1/hubs/{hub.pk}")
    expected = 204 if allowed else (401 if role == "anonymous" else 403)
    assert response.status_code == expected
    assert Hub.objects.filter(pk=hub.pk).exists() is not allowed


@pytest.mark.parametrize(
    ("target", "role", "allowed"), [(t, r, a) for (act, t, r, a) in CASES if act == "contacts"]
)
def test_contacts_are_private_on_pages_and_api(
    hubs, personas, login, token_client, target, role, allowed
):
    from echos.hubs.models import Person

    org = hubs[target]
    Person.objects.create(organisation=org, name="Private Person", email="private@example.invalid")
    page = login(personas[role]).get(org.get_absolute_url()).content.decode()
    assert ("private@example.invalid" in page) is allowed
    response = token_client(personas[role]).get(f"/api/v1/organisations/{org.pk}/contacts")
    assert response.status_code == (200 if allowed else (401 if role == "anonymous" else 403))


@pytest.mark.parametrize(
    ("target", "role", "allowed"), [(t, r, a) for (act, t, r, a) in CASES if act == "stage"]
)
def test_stage_change_page_matrix(hubs, personas, login, target, role, allowed):
    hub = hubs[target]
    before = hub.stage_changes.count()
    response = login(personas[role]).post(
        f"/hubs/{hub.pk}/stage/",
        {
            "stage": "exploring" if hub.stage == "no_structure" else "operational",
            "date": "2025-06-01",
            "evidence": "Minutes of the meeting",
            "link": "",
            "reason": "",
        },
    )
    assert (hub.stage_changes.count() == before + 1) is allowed
    if not allowed:
        assert response.status_code in (302, 403)


def test_audit_log_is_shown_to_network_coordinators_only(hubs, personas, login):
    url = hubs["norway"].get_absolute_url()
    assert "Audit log" in login(personas["network"]).get(url).content.decode()
    assert "Audit log" not in login(personas["coord_no"]).get(url).content.decode()


def test_audit_api_is_for_network_coordinators(hubs, personas, token_client):
    url = f"/api/v1/hubs/{hubs['norway'].pk}/audit"
    assert token_client(personas["network"]).get(url).status_code == 200
    assert token_client(personas["coord_no"]).get(url).status_code == 403


def test_editor_cannot_appoint_a_coordinator(hubs, personas):
    from django.core.exceptions import PermissionDenied

    from echos.hubs import services

    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=personas["editor_no"],
            hub=hubs["norway"],
            user=personas["member_no"],
            role="coordinator",
        )
    services.grant_role(
        actor=personas["network"],
        hub=hubs["vestland"],
        user=personas["member_no"],
        role="coordinator",
    )


def test_coordinator_of_norway_edits_bergen_two_levels_down(hubs, personas):
    assert perms.can_edit_hub(personas["coord_no"], hubs["bergen"])
    assert not perms.can_edit_hub(personas["coord_pt"], hubs["bergen"])
    assert set(perms.editable_hubs(personas["coord_no"])) == {
        hubs["norway"],
        hubs["vestland"],
        hubs["bergen"],
    }
    assert set(perms.editable_hubs(personas["editor_no"])) == {hubs["norway"]}
    assert not perms.editable_hubs(personas["member_no"]).exists()


# --- organisations across borders ----------------------------------------------------------------
#
# Rights over an organisation (its details, its contacts) come from the hubs of its own country.
# Any hub may list a partner abroad as a member, but that membership grants nothing: otherwise the
# editor of any hub could add any organisation of Europe to it and take over its people's data.

CROSS_ROLES = ["network", "coord_no", "editor_no", "editor_pl", "coord_pt", "anonymous"]

# target -> roles that may edit it and see, add and erase its contacts
CROSS_MATRIX = {
    # Norwegian, member of Norway's hub and (added by Poland's editor) of Poland's hub.
    "occ": {"network", "coord_no", "editor_no"},
    # Norwegian, added to Norway's hub by Norway's editor: theirs, not Poland's.
    "ous": {"network", "coord_no", "editor_no"},
    # Polish, member of Poland's hub and (added by Norway's editor) of Norway's hub.
    "pib": {"network", "editor_pl"},
    # Portuguese, member of Portugal's hub only.
    "aicib": {"network", "coord_pt"},
}
CROSS_CASES = [
    (target, role, role in allowed)
    for target, allowed in CROSS_MATRIX.items()
    for role in CROSS_ROLES
]


@pytest.fixture
def cross_border(hubs, personas, make_user, terms):
    """Poland's hub and its editor; memberships added across the border by each hub's editor."""
    from echos.core.models import Country
    from echos.hubs import services
    from echos.hubs.models import HubRole

    pl = Country.objects.get(pk="PL")
    poland = services.create_hub(
        actor=None, country=pl, level="national", name="Hub Polska", name_en="Cancer Hub Poland"
    )
    editor_pl = make_user("editor-pl")
    HubRole.objects.create(user=editor_pl, hub=poland, role="editor")
    pib = services.create_organisation(
        actor=None,
        name="Narodowy Instytut Onkologii",
        country=pl,
        stakeholder_group=terms["research"],
    )
    home_pl = services.add_membership(actor=editor_pl, hub=poland, organisation=pib)
    ous = services.create_organisation(
        actor=editor_pl,
        name="Oslo University Hospital",
        country=hubs["norway"].country,
        stakeholder_group=terms["healthcare_providers"],
    )
    # The attack of the report: Poland's editor adds Norwegian organisations to Poland's hub...
    services.add_membership(actor=editor_pl, hub=poland, organisation=hubs["occ"])
    services.add_membership(actor=editor_pl, hub=poland, organisation=ous)
    # ... and Norway's editor does the same with their own country's and a Polish one.
    home_no = services.add_membership(
        actor=personas["editor_no"], hub=hubs["norway"], organisation=ous
    )
    services.add_membership(actor=personas["editor_no"], hub=hubs["norway"], organisation=pib)
    # The home memberships are confirmed for their organisations (nobody represents them, so by
    # the network); those across the border stay pending, and would grant nothing confirmed.
    for membership in (home_pl, home_no):
        services.confirm_membership(actor=personas["network"], membership=membership)
    for org in (pib, ous, hubs["occ"], hubs["aicib"]):
        services.add_contact(
            actor=None, organisation=org, name="Private Person", email="private@example.invalid"
        )
    people = {**personas, "editor_pl": editor_pl}
    return {"poland": poland, "people": people, **hubs, "pib": pib, "ous": ous}


@pytest.mark.parametrize(("target", "role", "allowed"), CROSS_CASES)
def test_cross_border_predicate_matrix(cross_border, target, role, allowed):
    user = _user(cross_border["people"], role)
    org = cross_border[target]
    assert perms.can_edit_organisation(user, org) is allowed
    assert perms.can_view_contacts(user, org) is allowed


@pytest.mark.parametrize(("target", "role", "allowed"), CROSS_CASES)
def test_cross_border_pages(cross_border, login, target, role, allowed):
    from echos.hubs.models import Person

    org = cross_border[target]
    client = login(cross_border["people"][role])
    page = client.get(org.get_absolute_url()).content.decode()
    assert ("private@example.invalid" in page) is allowed
    assert (f"/organisations/{org.pk}/edit/" in page) is allowed
    denied = 302 if role == "anonymous" else 403

    edit = client.post(
        f"/organisations/{org.pk}/edit/",
        {
            "name": org.name + " (taken over)",
            "stakeholder_group": org.stakeholder_group_id,
            "country": org.country_id,
            "region": "",
            "website": "",
            "description": "",
        },
    )
    org.refresh_from_db()
    assert org.name.endswith("(taken over)") is allowed
    assert edit.status_code == (302 if allowed else denied)

    add = client.post(f"/organisations/{org.pk}/contacts/", {"name": "Added by " + role})
    assert org.contacts.filter(name="Added by " + role).exists() is allowed
    assert add.status_code == (302 if allowed else denied)

    person = Person.objects.get(organisation=org, email="private@example.invalid")
    erase = client.post(f"/organisations/{org.pk}/contacts/{person.pk}/delete/")
    assert Person.objects.filter(pk=person.pk).exists() is not allowed
    assert erase.status_code == (302 if allowed else denied)


@pytest.mark.parametrize(("target", "role", "allowed"), CROSS_CASES)
def test_cross_border_api(cross_border, token_client, target, role, allowed):
    org = cross_border[target]
    client = token_client(cross_border["people"][role])
    denied = 401 if role == "anonymous" else 403
    contacts = client.get(f"/api/v1/organisations/{org.pk}/contacts")
    assert contacts.status_code == (200 if allowed else denied)
    if allowed:
        assert "private@example.invalid" in contacts.content.decode()
    patch = client.patch(
        f"/api/v1/organisations/{org.pk}",
        json.dumps({"description": "Changed by API"}),
        content_type="application/json",
    )
    assert patch.status_code == (200 if allowed else denied)
    org.refresh_from_db()
    assert (org.description == "Changed by API") is allowed


def test_partner_abroad_added_on_the_page_is_listed_but_not_handed_over(cross_border, login):
    """The path of the report: add a foreign organisation on the members page, then use it."""
    from echos.hubs.models import Membership

    occ, poland = cross_border["occ"], cross_border["poland"]
    Membership.objects.filter(hub=poland, organisation=occ).delete()
    client = login(cross_border["people"]["editor_pl"])
    added = client.post(
        f"/hubs/{poland.pk}/members/add/",
        {"organisation": occ.pk, "role": "member", "since": "", "until": ""},
        follow=True,
    )
    assert added.status_code == 200
    assert "stay with the hubs of its own country" in added.content.decode()
    assert Membership.objects.filter(hub=poland, organisation=occ).exists()
    assert "contact@example.invalid" not in client.get(occ.get_absolute_url()).content.decode()
    assert (
        client.post(f"/organisations/{occ.pk}/contacts/", {"name": "Intruder"}).status_code == 403
    )
    assert not occ.contacts.filter(name="Intruder").exists()


def test_partner_abroad_added_over_the_api_is_listed_but_not_handed_over(
    cross_border, token_client
):
    from echos.hubs.models import Membership

    occ, poland = cross_border["occ"], cross_border["poland"]
    Membership.objects.filter(hub=poland, organisation=occ).delete()
    client = token_client(cross_border["people"]["editor_pl"])
    created = client.post(
        "/api/v1/memberships",
        json.dumps({"hub": poland.pk, "organisation": occ.pk}),
        content_type="application/json",
    )
    assert created.status_code == 201
    assert client.get(f"/api/v1/organisations/{occ.pk}/contacts").status_code == 403
    refused = client.patch(
        f"/api/v1/organisations/{occ.pk}",
        json.dumps({"name": "Taken over"}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    occ.refresh_from_db()
    assert occ.name == "Oslo Cancer Cluster"


def test_partner_abroad_imported_is_listed_but_not_handed_over(cross_border):
    from echos.hubs.imports import run_import
    from echos.hubs.models import Membership

    occ, poland = cross_border["occ"], cross_border["poland"]
    editor_pl = cross_border["people"]["editor_pl"]
    Membership.objects.filter(hub=poland, organisation=occ).delete()
    data = f"organisation,country,role\n{occ.pk},,member\nNorwegian Cancer Society,NO,observer\n"
    report = run_import("memberships", data.encode(), actor=editor_pl, hub=poland)
    assert report.ok, report.errors
    assert Membership.objects.filter(hub=poland, organisation__country_id="NO").count() == 3
    for org in (occ, cross_border["ncs"]):
        assert not perms.can_edit_organisation(editor_pl, org)
        assert not perms.can_view_contacts(editor_pl, org)


def test_ended_home_membership_no_longer_grants_rights(cross_border):
    from datetime import date

    from echos.hubs import services
    from echos.hubs.models import Membership

    m = Membership.objects.get(hub=cross_border["norway"], organisation=cross_border["ous"])
    editor_no = cross_border["people"]["editor_no"]
    assert perms.can_edit_organisation(editor_no, cross_border["ous"])
    services.update_membership(
        actor=editor_no, membership=m, since=date(2020, 1, 1), until=date(2021, 1, 1)
    )
    assert not perms.can_edit_organisation(editor_no, cross_border["ous"])


@pytest.mark.parametrize(
    ("role", "allowed"), [("network", True), ("editor_pl", False), ("coord_pl", False)]
)
def test_moving_a_hub_to_another_country_is_for_the_network(cross_border, make_user, role, allowed):
    """Otherwise an editor could move their hub to a country and take over its organisations."""
    from django.core.exceptions import PermissionDenied

    from echos.core.models import Country
    from echos.hubs import services
    from echos.hubs.models import Hub, HubRole

    poland = cross_border["poland"]
    iceland = Country.objects.get(pk="IS")
    user = cross_border["people"].get(role)
    if role == "coord_pl":
        user = make_user("coordinator-pl")
        HubRole.objects.create(user=user, hub=poland, role="coordinator")
    if allowed:
        services.update_hub(actor=user, hub=poland, country=iceland)
    else:
        with pytest.raises(PermissionDenied):
            services.update_hub(actor=user, hub=poland, country=iceland)
    assert (Hub.objects.get(pk=poland.pk).country_id == "IS") is allowed
    # A profile change that keeps the country stays the editors' business.
    services.update_hub(
        actor=cross_border["people"]["editor_pl"], hub=Hub.objects.get(pk=poland.pk), mission="New"
    )


def test_editor_cannot_move_their_hub_abroad_on_the_page(cross_border, login):
    poland = cross_border["poland"]
    response = login(cross_border["people"]["editor_pl"]).post(
        f"/hubs/{poland.pk}/edit/",
        {
            "name": poland.name,
            "name_en": poland.name_en,
            "country": "IS",
            "level": "national",
            "parent": "",
            "region": "",
            "archetype": "",
            "mission": "",
            "website": "",
            "host_organisation": "",
            "latitude": "",
            "longitude": "",
        },
    )
    assert response.status_code == 403
    poland.refresh_from_db()
    assert poland.country_id == "PL"


# --- memberships confirmed by the organisation ------------------------------------------------------
#
# Within one country, too, adding an organisation to one's hub must not be enough to take over its
# record and read its contacts: a membership grants rights only once the organisation's own
# representatives (the users among its contact people), or the network, confirm it.

CONFIRM_ROLES = ["network", "coord_no", "editor_no", "member_no", "rep", "anonymous"]
# state of the membership Norway's editor made -> roles that may edit the organisation and see,
# add and erase its contacts
CONFIRM_MATRIX = {
    "pending": {"network", "rep"},
    "confirmed": {"network", "coord_no", "editor_no", "rep"},
    "declined": {"network", "rep"},
}
CONFIRM_CASES = [
    (state, role, role in allowed)
    for state, allowed in CONFIRM_MATRIX.items()
    for role in CONFIRM_ROLES
]
# Confirming or declining is the organisation's consent: its representative or the network only
# (member_no represents another organisation, the Norwegian Cancer Society).
DECIDERS = {"network", "rep"}
DECIDE_CASES = [
    (action, role, role in DECIDERS) for action in ("confirm", "decline") for role in CONFIRM_ROLES
]


@pytest.fixture
def confirmation(hubs, personas, make_user, terms, django_capture_on_commit_callbacks):
    """A Norwegian organisation with a representative, added to Norway's hub by its editor."""
    from django.core import mail

    from echos.core.models import Country
    from echos.hubs import services
    from echos.hubs.models import Person

    org = services.create_organisation(
        actor=None,
        name="Haukeland University Hospital",
        country=Country.objects.get(pk="NO"),
        stakeholder_group=terms["healthcare_providers"],
    )
    rep = make_user("representative", email="rep-account@example.invalid")
    Person.objects.create(
        organisation=org, name="Representative", email="rep@example.invalid", user=rep
    )
    services.add_contact(
        actor=None, organisation=org, name="Private Person", email="private@example.invalid"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership = services.add_membership(
            actor=personas["editor_no"], hub=hubs["norway"], organisation=org
        )
    return {
        "org": org,
        "membership": membership,
        "people": {**personas, "rep": rep},
        "outbox": list(mail.outbox),
    }


def _into_state(confirmation, state):
    from echos.hubs import services

    rep, membership = confirmation["people"]["rep"], confirmation["membership"]
    if state == "confirmed":
        services.confirm_membership(actor=rep, membership=membership)
    elif state == "declined":
        services.decline_membership(actor=rep, membership=membership)
    membership.refresh_from_db()
    assert membership.status == state


@pytest.mark.parametrize(("state", "role", "allowed"), CONFIRM_CASES)
def test_confirmation_predicate_matrix(confirmation, state, role, allowed):
    _into_state(confirmation, state)
    user = _user(confirmation["people"], role)
    org = confirmation["org"]
    assert perms.can_edit_organisation(user, org) is allowed
    assert perms.can_view_contacts(user, org) is allowed
    assert perms.can_decide_membership(user, confirmation["membership"]) is (role in DECIDERS)


@pytest.mark.parametrize(("state", "role", "allowed"), CONFIRM_CASES)
def test_confirmation_pages(confirmation, login, state, role, allowed):
    from echos.hubs.models import Person

    _into_state(confirmation, state)
    org = confirmation["org"]
    client = login(confirmation["people"][role])
    page = client.get(org.get_absolute_url()).content.decode()
    assert ("private@example.invalid" in page) is allowed
    assert (f"/organisations/{org.pk}/edit/" in page) is allowed
    denied = 302 if role == "anonymous" else 403
    edit = client.post(
        f"/organisations/{org.pk}/edit/",
        {
            "name": org.name + " (taken over)",
            "stakeholder_group": org.stakeholder_group_id,
            "country": org.country_id,
            "region": "",
            "website": "",
            "description": "",
        },
    )
    org.refresh_from_db()
    assert org.name.endswith("(taken over)") is allowed
    assert edit.status_code == (302 if allowed else denied)
    add = client.post(f"/organisations/{org.pk}/contacts/", {"name": "Added by " + role})
    assert org.contacts.filter(name="Added by " + role).exists() is allowed
    assert add.status_code == (302 if allowed else denied)
    person = Person.objects.get(organisation=org, email="private@example.invalid")
    erase = client.post(f"/organisations/{org.pk}/contacts/{person.pk}/delete/")
    assert Person.objects.filter(pk=person.pk).exists() is not allowed
    assert erase.status_code == (302 if allowed else denied)


@pytest.mark.parametrize(("state", "role", "allowed"), CONFIRM_CASES)
def test_confirmation_api(confirmation, token_client, state, role, allowed):
    _into_state(confirmation, state)
    org = confirmation["org"]
    client = token_client(confirmation["people"][role])
    denied = 401 if role == "anonymous" else 403
    contacts = client.get(f"/api/v1/organisations/{org.pk}/contacts")
    assert contacts.status_code == (200 if allowed else denied)
    assert ("private@example.invalid" in contacts.content.decode()) is allowed
    patch = client.patch(
        f"/api/v1/organisations/{org.pk}",
        json.dumps({"description": "Changed by API"}),
        content_type="application/json",
    )
    assert patch.status_code == (200 if allowed else denied)
    org.refresh_from_db()
    assert (org.description == "Changed by API") is allowed


@pytest.mark.parametrize(("action", "role", "allowed"), DECIDE_CASES)
def test_decide_page_matrix(confirmation, login, action, role, allowed):
    membership = confirmation["membership"]
    response = login(confirmation["people"][role]).post(f"/memberships/{membership.pk}/{action}/")
    membership.refresh_from_db()
    expected = {"confirm": "confirmed", "decline": "declined"}[action]
    assert (membership.status == expected) is allowed
    if allowed:
        assert response.status_code == 302
    else:
        assert membership.status == "pending"
        assert response.status_code == (302 if role == "anonymous" else 403)


@pytest.mark.parametrize(("action", "role", "allowed"), DECIDE_CASES)
def test_decide_api_matrix(confirmation, token_client, action, role, allowed):
    membership = confirmation["membership"]
    response = token_client(confirmation["people"][role]).post(
        f"/api/v1/memberships/{membership.pk}/{action}"
    )
    expected = {"confirm": "confirmed", "decline": "declined"}[action]
    assert response.status_code == (200 if allowed else (401 if role == "anonymous" else 403))
    membership.refresh_from_db()
    assert (membership.status == expected) is allowed
    if allowed:
        assert response.json()["status"] == expected


def test_representatives_are_asked_by_email(confirmation):
    """One message per address, to the people with an account, none to other contacts."""
    (message,) = confirmation["outbox"]
    assert message.to == ["rep@example.invalid"]
    assert "Haukeland University Hospital" in message.subject
    assert "/memberships/requests/" in message.body
    assert "private@example.invalid" not in message.body


def test_organisation_nobody_represents_waits_in_the_networks_list(
    hubs, personas, login, terms, django_capture_on_commit_callbacks
):
    from django.core import mail

    from echos.hubs import services

    org = services.create_organisation(
        actor=None,
        name="Unrepresented Foundation",
        country=hubs["norway"].country,
        stakeholder_group=terms["patients"],
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        m = services.add_membership(
            actor=personas["editor_no"], hub=hubs["norway"], organisation=org
        )
    assert m.status == "pending" and mail.outbox == []
    page = login(personas["network"]).get("/memberships/requests/").content.decode()
    assert "Unrepresented Foundation" in page
    assert "nobody represents it" in page
    assert "Unrepresented Foundation" not in (
        login(personas["member_no"]).get("/memberships/requests/").content.decode()
    )


def test_requests_page_lists_the_representatives_own_requests(confirmation, login):
    people, m = confirmation["people"], confirmation["membership"]
    page = login(people["rep"]).get("/memberships/requests/").content.decode()
    assert "Haukeland University Hospital" in page
    assert f"/memberships/{m.pk}/confirm/" in page
    other = login(people["member_no"]).get("/memberships/requests/").content.decode()
    assert "Haukeland University Hospital" not in other
    assert login(None).get("/memberships/requests/").status_code == 302


def test_representative_confirms_on_the_organisation_page(confirmation, login):
    people, m, org = confirmation["people"], confirmation["membership"], confirmation["org"]
    client = login(people["rep"])
    assert f"/memberships/{m.pk}/confirm/" in client.get(org.get_absolute_url()).content.decode()
    for role in ("editor_no", "member_no"):
        page = login(people[role]).get(org.get_absolute_url()).content.decode()
        assert f"/memberships/{m.pk}/confirm/" not in page
    response = client.post(f"/memberships/{m.pk}/confirm/", {"next": "organisation"})
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    m.refresh_from_db()
    assert m.status == "confirmed" and m.decided_by == people["rep"]


def test_hub_page_marks_members_awaiting_confirmation(confirmation, login):
    from echos.hubs import services

    hub, m = confirmation["membership"].hub, confirmation["membership"]
    page = login(None).get(hub.get_absolute_url()).content.decode()
    assert page.count("awaiting the organisation's confirmation") == 1
    services.confirm_membership(actor=confirmation["people"]["network"], membership=m)
    page = login(None).get(hub.get_absolute_url()).content.decode()
    assert "awaiting the organisation's confirmation" not in page


def test_declined_membership_is_no_longer_current(confirmation, login):
    from echos.hubs import services
    from echos.hubs.models import Membership

    m = confirmation["membership"]
    services.decline_membership(actor=confirmation["people"]["rep"], membership=m)
    assert not Membership.objects.current().filter(pk=m.pk).exists()
    public = login(None).get(m.hub.get_absolute_url()).content.decode()
    assert "Haukeland University Hospital" not in public
    editor = login(confirmation["people"]["editor_no"]).get(m.hub.get_absolute_url())
    assert "declined by the organisation" in editor.content.decode()


def test_adding_page_says_the_membership_waits(hubs, personas, login, terms):
    from echos.hubs import services

    org = services.create_organisation(
        actor=None,
        name="Bergen Patient Network",
        country=hubs["norway"].country,
        stakeholder_group=terms["patients"],
    )
    response = login(personas["editor_no"]).post(
        f"/hubs/{hubs['norway'].pk}/members/add/",
        {"organisation": org.pk, "role": "member", "since": "", "until": ""},
        follow=True,
    )
    assert "its representatives have been asked" in response.content.decode()
    assert org.memberships.get().status == "pending"
    assert not perms.can_view_contacts(personas["editor_no"], org)


@pytest.mark.parametrize(("role", "status"), [("rep", "confirmed"), ("network", "confirmed")])
def test_membership_added_by_whoever_decides_is_confirmed_at_once(
    confirmation, make_user, role, status
):
    """A representative (made coordinator of Vestland) or the network add it: no one to ask."""
    from echos.hubs import services
    from echos.hubs.models import HubRole

    people, hubs_vestland = confirmation["people"], confirmation["membership"].hub.children.get()
    HubRole.objects.create(user=people["rep"], hub=hubs_vestland, role="editor")
    m = services.add_membership(
        actor=people[role], hub=hubs_vestland, organisation=confirmation["org"]
    )
    assert m.status == status and m.decided_by == people[role] and m.decided_at is not None


def test_the_hub_cannot_confirm_for_the_organisation(confirmation, token_client):
    from django.core.exceptions import PermissionDenied

    from echos.core.exceptions import RuleViolation
    from echos.hubs import services

    people, m = confirmation["people"], confirmation["membership"]
    for role in ("editor_no", "coord_no", "member_no"):
        with pytest.raises(PermissionDenied):
            services.confirm_membership(actor=people[role], membership=m)
    with pytest.raises(RuleViolation) as refused:
        services.add_membership(
            actor=people["editor_no"],
            hub=m.hub,
            organisation=confirmation["org"],
            status="confirmed",
        )
    assert refused.value.field == "status"
    # Nor over the API: the membership's fields do not include its confirmation.
    patch = token_client(people["editor_no"]).patch(
        f"/api/v1/memberships/{m.pk}",
        json.dumps({"status": "confirmed", "role": "observer"}),
        content_type="application/json",
    )
    assert patch.status_code == 200 and patch.json()["status"] == "pending"


def test_deciding_twice_is_refused_and_each_decision_is_audited(confirmation):
    from echos.core.audit import entries_for
    from echos.core.exceptions import RuleViolation
    from echos.hubs import services

    rep, m = confirmation["people"]["rep"], confirmation["membership"]
    services.confirm_membership(actor=rep, membership=m)
    with pytest.raises(RuleViolation) as refused:
        services.confirm_membership(actor=rep, membership=m)
    assert refused.value.field == "status"
    services.decline_membership(actor=rep, membership=m)
    actions = [e.action for e in entries_for(m.hub).filter(data__membership=m.pk)]
    assert actions[:3] == [
        "hubs.membership.declined",
        "hubs.membership.confirmed",
        "hubs.membership.created",
    ]
    declined = entries_for(m.hub).get(action="hubs.membership.declined")
    assert declined.actor == rep
    assert declined.data["changed"] == {"status": ["confirmed", "declined"]}


def test_decision_api_refusal_names_the_field(confirmation, token_client):
    client = token_client(confirmation["people"]["rep"])
    url = f"/api/v1/memberships/{confirmation['membership'].pk}/decline"
    assert client.post(url).status_code == 200
    again = client.post(url)
    assert again.status_code == 409
    assert again.json()["errors"][0]["field"] == "status"
    assert client.post("/api/v1/memberships/999999/confirm").status_code == 404


def test_imported_memberships_wait_for_confirmation(confirmation):
    from echos.hubs.imports import run_import
    from echos.hubs.models import Membership

    coord_no, org = confirmation["people"]["coord_no"], confirmation["org"]
    vestland = confirmation["membership"].hub.children.get()
    report = run_import(
        "memberships",
        f"organisation,country,role\n{org.pk},,member\n".encode(),
        actor=coord_no,
        hub=vestland,
    )
    assert report.ok, report.errors
    assert Membership.objects.get(hub=vestland, organisation=org).status == "pending"
    assert not perms.can_view_contacts(coord_no, org)


def test_existing_memberships_are_confirmed_by_the_migration(hubs):
    """Databases (and backups restored into them) from before confirmations keep their rights."""
    import importlib

    from django.apps import apps

    from echos.hubs.models import Membership

    migration = importlib.import_module("echos.hubs.migrations.0002_membership_confirmation")
    Membership.objects.update(status="pending")
    migration.confirm_existing(apps, None)
    assert set(Membership.objects.values_list("status", flat=True)) == {"confirmed"}


def test_reverting_a_deleted_membership_keeps_its_confirmation(confirmation):
    from echos.core.models import ActionLog
    from echos.core.revert import revert
    from echos.hubs import services
    from echos.hubs.models import Membership

    m = confirmation["membership"]
    pk = m.pk
    services.delete_membership(actor=confirmation["people"]["editor_no"], membership=m)
    entry = ActionLog.objects.get(action="hubs.membership.deleted", data__membership=pk)
    revert(actor=confirmation["people"]["network"], entry=entry)
    restored = Membership.objects.get(hub=m.hub, organisation=m.organisation)
    assert restored.status == "pending"
