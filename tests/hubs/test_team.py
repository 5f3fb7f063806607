"""A hub's team: invitations by e-mail (single-use hashed token, expiry, matching address, second
factor), roles changed and removed under the granting rules, the page, and privacy."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from echos.core import revert
from echos.core.exceptions import RuleViolation
from echos.core.models import ActionLog, User
from echos.hubs.models import HubRole, Invitation
from echos.hubs.services import invitations, roles
from echos.site import privacy
from echos.site.privacy.people import search_people

pytestmark = pytest.mark.django_db

INVITED = "new.editor@example.invalid"


@pytest.fixture
def invite(hubs, personas, django_capture_on_commit_callbacks, mailoutbox):
    """Invite as ``actor`` (Norway's coordinator by default); returns the raw token from the e-mail."""

    def run(email=INVITED, role="editor", actor=None, hub=None):
        with django_capture_on_commit_callbacks(execute=True):
            invitations.invite(
                actor=actor or personas["coord_no"],
                hub=hub or hubs["norway"],
                email=email,
                role=role,
            )
        return re.search(r"/invitations/([\w-]+)/", mailoutbox[-1].body).group(1)

    return run


@pytest.fixture
def invitee(make_user):
    return make_user("new-editor", email=INVITED)


def verified(user, value=True):
    """The user as the sign-in middleware hands it over (django-otp's ``is_verified``)."""
    user.is_verified = lambda: value
    return user


# --- inviting ------------------------------------------------------------------------------------


def test_invitation_email_carries_a_token_stored_only_as_a_hash(invite, mailoutbox, hubs):
    raw = invite()
    (mail,) = mailoutbox
    assert mail.to == [INVITED] and "Cancer Mission Hub Norway" in mail.subject
    assert "Hub editor" in mail.body and "14 days" in mail.body
    stored = Invitation.objects.get()
    assert stored.token_hash == invitations.token_hash(raw) and raw not in str(
        list(Invitation.objects.values())
    )
    assert stored.expires_at - stored.created_at == timedelta(days=14)
    entry = ActionLog.objects.get(action="hubs.invitation.sent")
    assert INVITED not in str(entry.data)


@pytest.mark.parametrize(
    ("persona", "hub", "role", "allowed"),
    [
        ("network", "norway", "coordinator", True),
        ("network", "norway", "editor", True),
        ("coord_no", "norway", "editor", True),
        ("coord_no", "norway", "member", True),
        ("coord_no", "norway", "coordinator", False),  # same level: only from above
        ("coord_no", "vestland", "coordinator", True),  # a hub below
        ("coord_pt", "norway", "member", False),  # coordinator of another hub
        ("editor_no", "norway", "member", False),
        ("editor_no", "norway", "coordinator", False),
        ("member_no", "norway", "member", False),
    ],
)
def test_who_may_invite_whom(hubs, personas, persona, hub, role, allowed):
    call = lambda: invitations.invite(  # noqa: E731
        actor=personas[persona], hub=hubs[hub], email=INVITED, role=role
    )
    if allowed:
        assert call()[0].role == role
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("email", "field"),
    [("not an address", "email"), ("editor-no@x", "email")],
)
def test_bad_address_names_the_field(hubs, personas, email, field):
    with pytest.raises(RuleViolation) as exc:
        invitations.invite(
            actor=personas["coord_no"], hub=hubs["norway"], email=email, role="member"
        )
    assert exc.value.field == field


def test_unknown_role_and_duplicates_are_refused(hubs, personas, invite, make_user):
    with pytest.raises(RuleViolation) as exc:
        invitations.invite(
            actor=personas["coord_no"], hub=hubs["norway"], email=INVITED, role="boss"
        )
    assert exc.value.field == "role"
    invite()
    with pytest.raises(RuleViolation) as exc:
        invitations.invite(
            actor=personas["coord_no"], hub=hubs["norway"], email=INVITED.upper(), role="member"
        )
    assert exc.value.field == "email" and "waiting" in exc.value.message
    User.objects.filter(pk=personas["editor_no"].pk).update(email="editor@example.invalid")
    with pytest.raises(RuleViolation) as exc:
        invitations.invite(
            actor=personas["coord_no"],
            hub=hubs["norway"],
            email="editor@example.invalid",
            role="member",
        )
    assert "already on the team" in exc.value.message


# --- accepting: the attacker's tries -------------------------------------------------------------


def test_accept_grants_the_role_once(invite, invitee, hubs):
    raw = invite()
    role = invitations.accept(raw=raw, user=verified(invitee, False))
    assert (role.user, role.hub, role.role) == (invitee, hubs["norway"], "editor")
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == invitee and invitation.state == "accepted"
    entry = ActionLog.objects.get(action="hubs.role.granted")
    assert entry.actor == invitee and entry.data["invitation"] == invitation.pk
    with pytest.raises(RuleViolation) as exc:  # token reuse
        invitations.accept(raw=raw, user=invitee)
    assert "already been used" in exc.value.message


def test_expired_token_is_refused(invite, invitee):
    raw = invite()
    later = timezone.now() + timedelta(days=14, seconds=1)
    with pytest.raises(RuleViolation) as exc:
        invitations.accept(raw=raw, user=invitee, now=later)
    assert "expired" in exc.value.message
    assert not HubRole.objects.filter(user=invitee).exists()


def test_forged_token_is_refused(invite, invitee):
    invite()
    with pytest.raises(RuleViolation) as exc:
        invitations.accept(raw="x" * 43, user=invitee)
    assert exc.value.field == "token"


def test_another_signed_in_user_cannot_take_the_invitation(invite, personas):
    raw = invite()
    intruder = personas["member_no"]
    intruder.email = "member@example.invalid"
    intruder.save()
    with pytest.raises(RuleViolation) as exc:
        invitations.accept(raw=raw, user=verified(intruder))
    assert exc.value.field == "email"
    assert HubRole.objects.get(user=intruder).role == "member"
    assert Invitation.objects.get().state == "pending"


def test_an_account_without_address_cannot_take_the_invitation(invite, make_user):
    raw = invite()
    with pytest.raises(RuleViolation):
        invitations.accept(raw=raw, user=make_user("no-address"))


def test_revoked_invitation_is_refused_and_resending_replaces_the_link(invite, invitee, personas):
    raw = invite()
    invitation = Invitation.objects.get()
    _invitation, new_raw = invitations.resend(actor=personas["coord_no"], invitation=invitation)
    with pytest.raises(RuleViolation):  # the first link stopped working
        invitations.accept(raw=raw, user=invitee)
    invitations.revoke(actor=personas["coord_no"], invitation=invitation)
    with pytest.raises(RuleViolation) as exc:
        invitations.accept(raw=new_raw, user=invitee)
    assert "withdrawn" in exc.value.message
    with pytest.raises(RuleViolation):
        invitations.resend(actor=personas["coord_no"], invitation=invitation)


@pytest.mark.parametrize("persona", ["coord_pt", "editor_no", "member_no"])
def test_only_the_team_managers_resend_or_revoke(invite, personas, persona):
    invite()
    invitation = Invitation.objects.get()
    with pytest.raises(PermissionDenied):
        invitations.revoke(actor=personas[persona], invitation=invitation)
    with pytest.raises(PermissionDenied):
        invitations.resend(actor=personas[persona], invitation=invitation)
    assert Invitation.objects.get().state == "pending"


def test_second_factor_is_not_bypassed(invite, invitee):
    raw = invite()
    TOTPDevice.objects.create(user=invitee, name="phone", confirmed=True)
    with pytest.raises(RuleViolation) as exc:
        invitations.accept(raw=raw, user=verified(invitee, False))
    assert "second factor" in exc.value.message
    assert Invitation.objects.get().state == "pending"  # waits for the code
    invitations.accept(raw=raw, user=verified(invitee, True))
    assert HubRole.objects.get(user=invitee).role == "editor"


def test_a_network_coordinator_must_enrol_before_accepting(invite, make_user, settings):
    settings.ECHOS_REQUIRE_2FA = True
    raw = invite()
    network = make_user("network-2", email=INVITED, is_network_coordinator=True)
    with pytest.raises(RuleViolation):
        invitations.accept(raw=raw, user=verified(network, False))
    settings.ECHOS_REQUIRE_2FA = False
    invitations.accept(raw=raw, user=verified(network, False))


def test_an_inviter_who_lost_the_right_invalidates_the_invitation(invite, invitee, personas):
    raw = invite()
    HubRole.objects.filter(user=personas["coord_no"]).update(role="editor")
    with pytest.raises(RuleViolation) as exc:
        invitations.accept(raw=raw, user=invitee)
    assert "no longer" in exc.value.message


def test_accepting_cannot_demote_the_last_coordinator(invite, personas, hubs):
    raw = invite(email="coordinator@example.invalid", role="member", actor=personas["network"])
    personas["coord_no"].email = "coordinator@example.invalid"  # the address became theirs since
    personas["coord_no"].save()
    with pytest.raises(RuleViolation):
        invitations.accept(raw=raw, user=personas["coord_no"])
    assert HubRole.objects.get(user=personas["coord_no"]).role == "coordinator"


# --- changing and removing roles -----------------------------------------------------------------


def role_of(personas, name, hub):
    return HubRole.objects.get(user=personas[name], hub=hub)


def test_coordinator_changes_and_removes_an_editor(personas, hubs):
    editor = role_of(personas, "editor_no", hubs["norway"])
    roles.change_role(actor=personas["coord_no"], role=editor, new_role="member")
    assert HubRole.objects.get(pk=editor.pk).role == "member"
    assert ActionLog.objects.get(action="hubs.role.changed").data["role"] == ["editor", "member"]
    roles.remove_role(actor=personas["coord_no"], role=editor)
    assert not HubRole.objects.filter(pk=editor.pk).exists()
    assert ActionLog.objects.get(action="hubs.role.removed").data["role"] == "member"


@pytest.mark.parametrize("persona", ["coord_pt", "editor_no", "member_no"])
def test_others_cannot_change_or_remove(personas, hubs, persona):
    member = role_of(personas, "member_no", hubs["norway"])
    if persona == "member_no":
        member = role_of(personas, "editor_no", hubs["norway"])
    with pytest.raises(PermissionDenied):
        roles.change_role(actor=personas[persona], role=member, new_role="editor")
    with pytest.raises(PermissionDenied):
        roles.remove_role(actor=personas[persona], role=member)


def test_a_coordinator_cannot_promote_to_coordinator_at_their_own_level(personas, hubs):
    editor = role_of(personas, "editor_no", hubs["norway"])
    with pytest.raises(PermissionDenied):
        roles.change_role(actor=personas["coord_no"], role=editor, new_role="coordinator")
    assert HubRole.objects.get(pk=editor.pk).role == "editor"


def test_own_role_cannot_be_changed(personas, hubs):
    mine = role_of(personas, "coord_no", hubs["norway"])
    with pytest.raises(RuleViolation) as exc:
        roles.change_role(actor=personas["coord_no"], role=mine, new_role="editor")
    assert "your own role" in exc.value.message
    with pytest.raises(RuleViolation):
        roles.remove_role(actor=personas["coord_no"], role=mine)


def test_the_last_coordinator_stays(personas, hubs, make_user):
    last = role_of(personas, "coord_no", hubs["norway"])
    with pytest.raises(RuleViolation) as exc:
        roles.remove_role(actor=personas["network"], role=last)
    assert "only coordinator" in exc.value.message
    with pytest.raises(RuleViolation):
        roles.change_role(actor=personas["network"], role=last, new_role="editor")
    second = make_user("second-coordinator")
    roles.grant_role(actor=personas["network"], hub=hubs["norway"], user=second, role="coordinator")
    roles.remove_role(actor=personas["network"], role=last)
    assert not HubRole.objects.filter(pk=last.pk).exists()


def test_a_coordinator_above_manages_coordinators_below(personas, hubs, make_user):
    below = make_user("vestland-coordinator")
    roles.grant_role(
        actor=personas["coord_no"], hub=hubs["vestland"], user=below, role="coordinator"
    )
    other = make_user("vestland-coordinator-2")
    roles.grant_role(
        actor=personas["coord_no"], hub=hubs["vestland"], user=other, role="coordinator"
    )
    with pytest.raises(PermissionDenied):  # vestland's coordinator cannot demote a peer
        roles.change_role(
            actor=User.objects.get(pk=other.pk),
            role=HubRole.objects.get(user=below),
            new_role="member",
        )
    roles.change_role(
        actor=personas["coord_no"], role=HubRole.objects.get(user=below), new_role="editor"
    )
    assert HubRole.objects.get(user=below).role == "editor"


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "hub", "status"),
    [
        ("network", "norway", 200),
        ("coord_no", "norway", 200),
        ("coord_no", "vestland", 200),
        ("coord_pt", "norway", 403),
        ("editor_no", "norway", 403),
        ("member_no", "norway", 403),
    ],
)
def test_team_page_matrix(login, personas, hubs, persona, hub, status):
    response = login(personas[persona]).get(f"/hubs/{hubs[hub].pk}/team/")
    assert response.status_code == status
    invited = login(personas[persona]).post(
        f"/hubs/{hubs[hub].pk}/team/", {"email": INVITED, "role": "member"}
    )
    assert invited.status_code == (302 if status == 200 else 403)
    assert Invitation.objects.exists() == (status == 200)


def test_anonymous_team_page_asks_to_sign_in(client, hubs):
    response = client.get(f"/hubs/{hubs['norway'].pk}/team/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_team_page_lists_roles_and_offers_only_grantable_roles(login, personas, hubs):
    roles.grant_role(
        actor=personas["coord_no"], hub=hubs["norway"], user=personas["editor_no"], role="editor"
    )
    response = login(personas["coord_no"]).get(f"/hubs/{hubs['norway'].pk}/team/")
    text = response.content.decode()
    assert "editor-no" in text and "coordinator-no" in text and "(you)" in text
    assert [v for v, _l in response.context["form"].fields["role"].choices] == ["editor", "member"]
    members = {m["role"].user.username: m for m in response.context["members"]}
    assert members["editor-no"]["since"] is not None
    hub_page = login(personas["coord_no"]).get(f"/hubs/{hubs['norway'].pk}/").content.decode()
    assert f"/hubs/{hubs['norway'].pk}/team/" in hub_page
    editor_page = login(personas["editor_no"]).get(f"/hubs/{hubs['norway'].pk}/").content.decode()
    assert f"/hubs/{hubs['norway'].pk}/team/" not in editor_page


def test_team_page_refuses_a_coordinator_invitation_from_the_same_level(login, personas, hubs):
    response = login(personas["coord_no"]).post(
        f"/hubs/{hubs['norway'].pk}/team/", {"email": INVITED, "role": "coordinator"}
    )
    assert response.status_code == 422 and "role" in response.context["form"].errors
    assert not Invitation.objects.exists()


def test_team_page_change_remove_and_refusals(login, personas, hubs):
    browser = login(personas["coord_no"])
    editor = role_of(personas, "editor_no", hubs["norway"])
    url = f"/hubs/{hubs['norway'].pk}/team/roles/{editor.pk}/"
    assert browser.post(url, {"role": "member"}).status_code == 302
    assert HubRole.objects.get(pk=editor.pk).role == "member"
    response = browser.post(url, {"role": "coordinator"}, follow=True)
    assert "coordinator above" in response.content.decode()
    assert HubRole.objects.get(pk=editor.pk).role == "member"
    mine = role_of(personas, "coord_no", hubs["norway"])
    response = browser.post(
        f"/hubs/{hubs['norway'].pk}/team/roles/{mine.pk}/", {"action": "remove"}, follow=True
    )
    assert "your own role" in response.content.decode()
    assert browser.post(url, {"action": "remove"}).status_code == 302
    assert not HubRole.objects.filter(pk=editor.pk).exists()
    other = login(personas["coord_pt"]).post(
        f"/hubs/{hubs['norway'].pk}/team/roles/{mine.pk}/", {"action": "remove"}
    )
    assert other.status_code == 403


def test_role_of_another_hub_is_not_found_through_this_hub(login, personas, hubs):
    theirs = role_of(personas, "coord_pt", hubs["portugal"])
    response = login(personas["coord_no"]).post(
        f"/hubs/{hubs['norway'].pk}/team/roles/{theirs.pk}/", {"action": "remove"}
    )
    assert response.status_code == 404 and HubRole.objects.filter(pk=theirs.pk).exists()


def test_page_resend_and_revoke(
    invite, login, personas, hubs, mailoutbox, django_capture_on_commit_callbacks
):
    invite()
    invitation = Invitation.objects.get()
    url = f"/hubs/{hubs['norway'].pk}/team/invitations/{invitation.pk}/"
    browser = login(personas["coord_no"])
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(url, {"action": "resend"}).status_code == 302
    assert len(mailoutbox) == 2
    assert login(personas["editor_no"]).post(url, {"action": "revoke"}).status_code == 403
    assert browser.post(url, {"action": "revoke"}).status_code == 302
    assert Invitation.objects.get().state == "revoked"


def test_link_page_for_a_new_person_creates_the_account(invite, client, hubs):
    raw = invite()
    page = client.get(f"/invitations/{raw}/")
    assert page.status_code == 200 and "Create your account" in page.content.decode()
    bad = client.post(
        f"/invitations/{raw}/", {"username": "newbie", "password1": "short", "password2": "short"}
    )
    assert bad.status_code == 422 and "password1" in bad.context["form"].errors
    good_password = "a long enough passphrase 42"
    response = client.post(
        f"/invitations/{raw}/",
        {"username": "newbie", "password1": good_password, "password2": good_password},
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.email == INVITED and user.check_password(good_password)
    assert HubRole.objects.get(user=user, hub=hubs["norway"]).role == "editor"
    again = client.get(f"/invitations/{raw}/")
    assert again.status_code == 410 and "already been used" in again.content.decode()


def test_link_page_for_an_existing_account_asks_to_sign_in(invite, invitee, client, login):
    raw = invite()
    page = client.get(f"/invitations/{raw}/")
    assert "/accounts/login/?next=/invitations/" in page.content.decode()
    assert client.post(f"/invitations/{raw}/", {"username": "x"}).status_code == 302
    assert not User.objects.filter(username="x").exists()
    signed_in = login(invitee)
    assert signed_in.post(f"/invitations/{raw}/").status_code == 302
    assert HubRole.objects.get(user=invitee).role == "editor"


def test_link_page_refuses_another_signed_in_account(invite, login, personas):
    raw = invite()
    response = login(personas["member_no"]).post(f"/invitations/{raw}/")
    assert response.status_code == 403 and "another e-mail address" in response.content.decode()
    assert Invitation.objects.get().state == "pending"


def test_link_page_with_a_second_factor_owed_sends_to_verify(invite, invitee, login):
    raw = invite()
    TOTPDevice.objects.create(user=invitee, name="phone", confirmed=True)
    response = login(invitee).get(f"/invitations/{raw}/")
    assert response.status_code == 302 and "/accounts/2fa/verify/" in response["Location"]
    assert Invitation.objects.get().state == "pending"


# --- privacy -------------------------------------------------------------------------------------


def test_invitation_of_someone_without_account_is_found_exported_and_erased(invite, personas):
    invite()
    (match,) = search_people("new.editor")
    assert match.email == INVITED and match.where == {"hubs.invitations_received": 1}
    data = privacy.export_subject(privacy.find_subject(email=INVITED))
    (received,) = data["hubs"]["invitations_received"]
    assert received["email"] == INVITED and received["role"] == "editor"
    sent = privacy.export_subject(privacy.find_subject(username="coordinator-no"))
    assert len(sent["hubs"]["invitations_sent"]) == 1
    counts = privacy.erase_subject(privacy.find_subject(email=INVITED), apply=True)["counts"]
    assert counts["invitations_deleted"] == 1 and not Invitation.objects.exists()


def test_erasing_the_inviter_keeps_the_invitation_without_them(invite, personas):
    invite()
    privacy.erase_subject(privacy.find_subject(username="coordinator-no"), apply=True)
    assert Invitation.objects.get().invited_by is None


# --- revert by the network -----------------------------------------------------------------------


def test_network_reverts_a_role_change_and_a_removal(personas, hubs):
    editor = role_of(personas, "editor_no", hubs["norway"])
    roles.change_role(actor=personas["coord_no"], role=editor, new_role="member")
    changed = ActionLog.objects.get(action="hubs.role.changed")
    with pytest.raises(PermissionDenied):
        revert.revert(actor=personas["coord_no"], entry=changed)
    revert.revert(actor=personas["network"], entry=changed)
    assert HubRole.objects.get(pk=editor.pk).role == "editor"
    roles.remove_role(actor=personas["coord_no"], role=HubRole.objects.get(pk=editor.pk))
    removed = ActionLog.objects.get(action="hubs.role.removed")
    revert.revert(actor=personas["network"], entry=removed)
    assert HubRole.objects.get(user=personas["editor_no"], hub=hubs["norway"]).role == "editor"
    with pytest.raises(RuleViolation):  # once only
        revert.revert(actor=personas["network"], entry=removed)


def test_a_superseded_role_change_is_not_reverted(personas, hubs):
    editor = role_of(personas, "editor_no", hubs["norway"])
    roles.change_role(actor=personas["coord_no"], role=editor, new_role="member")
    first = ActionLog.objects.get(action="hubs.role.changed")
    roles.change_role(actor=personas["coord_no"], role=editor, new_role="editor")
    with pytest.raises(RuleViolation):
        revert.revert(actor=personas["network"], entry=first)
