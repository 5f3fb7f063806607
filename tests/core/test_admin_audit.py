"""The admin: the audit log is read-only by hand; second-factor devices are listed and reset."""

import pytest
from django.core import mail
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from echos.core.admin import ActionLogAdmin
from echos.core.audit import log_action
from echos.core.models import ActionLog

pytestmark = pytest.mark.django_db


def test_audit_entries_are_never_added_changed_or_deleted_by_hand(personas):
    from django.contrib import admin

    entry = log_action(actor=personas["network"], action="core.test.done")
    request = RequestFactory().get("/admin/core/actionlog/")
    request.user = personas["network"]
    model_admin = ActionLogAdmin(ActionLog, admin.site)
    assert model_admin.has_view_permission(request, entry)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)


def test_the_admin_add_page_of_the_audit_log_is_refused(personas, login):
    admin = login(personas["network"])
    before = ActionLog.objects.count()
    assert admin.get("/admin/core/actionlog/add/").status_code == 403
    assert admin.post("/admin/core/actionlog/add/", {"action": "x"}).status_code == 403
    assert ActionLog.objects.count() == before
    entry = log_action(actor=personas["network"], action="core.test.done")
    assert (
        admin.post(f"/admin/core/actionlog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert ActionLog.objects.filter(pk=entry.pk).exists()
    listing = admin.get("/admin/core/actionlog/").content.decode()
    assert "revert_changes" in listing and "delete_selected" not in listing


def test_network_coordinator_lists_and_resets_devices_in_the_admin(
    personas, login, django_capture_on_commit_callbacks
):
    member = personas["member_no"]
    member.email = "member@example.invalid"
    member.save()
    device = TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    admin = login(personas["network"])
    listing = admin.get("/admin/otp_totp/totpdevice/?q=member-no")
    assert listing.status_code == 200 and "member-no" in listing.content.decode()
    detail = admin.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in detail
    assert admin.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/admin/core/user/", {"action": "reset_two_factor", "_selected_action": [member.pk]}
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=member).exists()
    entry = ActionLog.objects.get(action="core.twofactor.reset")
    assert entry.actor == personas["network"] and entry.target_id == str(member.pk)
    assert mail.outbox[0].to == ["member@example.invalid"]


def test_removing_one_device_in_the_admin_is_audited(personas, login):
    device = TOTPDevice.objects.create(user=personas["member_no"], name="phone", confirmed=True)
    admin = login(personas["network"])
    response = admin.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    entry = ActionLog.objects.get(action="core.twofactor.device_removed")
    assert entry.actor == personas["network"]


def test_others_cannot_reach_the_device_admin(personas, login):
    TOTPDevice.objects.create(user=personas["member_no"], name="phone", confirmed=True)
    response = login(personas["coord_no"]).get("/admin/otp_totp/totpdevice/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
