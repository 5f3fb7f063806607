"""The hub's team over the API: roles and invitations, with the permission matrix (issue #16)."""

import pytest

from echos.hubs.models import HubRole, Invitation

pytestmark = pytest.mark.django_db

INVITED = "api.invited@example.invalid"
MATRIX = [
    ("network", True),
    ("coord_no", True),
    ("coord_pt", False),
    ("editor_no", False),
    ("member_no", False),
]


@pytest.mark.parametrize(("persona", "allowed"), MATRIX)
def test_team_and_invitations_matrix(token_client, personas, hubs, persona, allowed):
    api = token_client(personas[persona])
    hub = hubs["norway"].pk
    listed = api.get(f"/api/v1/hubs/{hub}/team")
    assert listed.status_code == (200 if allowed else 403)
    created = api.post(
        f"/api/v1/hubs/{hub}/invitations",
        {"email": INVITED, "role": "member"},
        content_type="application/json",
    )
    assert created.status_code == (201 if allowed else 403)
    assert Invitation.objects.exists() is allowed
    editor = HubRole.objects.get(user=personas["editor_no"]).pk
    changed = api.patch(
        f"/api/v1/hubs/{hub}/team/{editor}", {"role": "member"}, content_type="application/json"
    )
    assert changed.status_code == (200 if allowed else 403)
    removed = api.delete(f"/api/v1/hubs/{hub}/team/{editor}")
    assert removed.status_code == (204 if allowed else 403)
    assert HubRole.objects.filter(pk=editor).exists() is not allowed


def test_anonymous_is_refused(client, hubs, personas):
    hub = hubs["norway"].pk
    assert client.get(f"/api/v1/hubs/{hub}/team").status_code == 401
    response = client.post(
        f"/api/v1/hubs/{hub}/invitations",
        {"email": INVITED, "role": "member"},
        content_type="application/json",
    )
    assert response.status_code == 401 and not Invitation.objects.exists()


def test_team_list_invite_resend_revoke_and_errors(token_client, personas, hubs, mailoutbox):
    api = token_client(personas["coord_no"])
    hub = hubs["norway"].pk
    team = api.get(f"/api/v1/hubs/{hub}/team").json()
    assert team["count"] == 3
    assert {r["username"]: r["role"] for r in team["items"]}["editor-no"] == "editor"
    created = api.post(
        f"/api/v1/hubs/{hub}/invitations",
        {"email": INVITED, "role": "editor"},
        content_type="application/json",
    ).json()
    assert created["state"] == "pending" and "token" not in str(created)
    resent = api.post(f"/api/v1/hubs/{hub}/invitations/{created['id']}/resend")
    assert resent.status_code == 200 and resent.json()["state"] == "pending"
    revoked = api.post(f"/api/v1/hubs/{hub}/invitations/{created['id']}/revoke").json()
    assert revoked["state"] == "revoked"
    unknown = api.post(f"/api/v1/hubs/{hub}/invitations/{created['id']}/accept")
    assert unknown.status_code in (400, 422)
    listed = api.get(f"/api/v1/hubs/{hub}/invitations").json()
    assert listed["count"] == 1 and listed["items"][0]["state"] == "revoked"
    coordinator = api.post(
        f"/api/v1/hubs/{hub}/invitations",
        {"email": "other@example.invalid", "role": "coordinator"},
        content_type="application/json",
    )
    assert coordinator.status_code == 403
    bad = api.post(
        f"/api/v1/hubs/{hub}/invitations",
        {"email": "nope", "role": "member"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "email" in str(bad.json())
    bad_role = api.post(
        f"/api/v1/hubs/{hub}/invitations",
        {"email": INVITED, "role": "boss"},
        content_type="application/json",
    )
    assert bad_role.status_code in (400, 422) and "role" in str(bad_role.json())
    mine = HubRole.objects.get(user=personas["coord_no"]).pk
    own = api.delete(f"/api/v1/hubs/{hub}/team/{mine}")
    assert own.status_code == 400 and "own role" in str(own.json())
    theirs = HubRole.objects.get(user=personas["coord_pt"]).pk
    assert api.delete(f"/api/v1/hubs/{hub}/team/{theirs}").status_code == 404
