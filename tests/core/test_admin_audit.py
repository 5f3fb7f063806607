"""The admin: the audit log is read-only by hand."""

import pytest
from django.test import RequestFactory

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
