"""Follow-up actions: rules, pages, the overdue panel and the weekly digest (issue #14 item 3)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from echos.core.exceptions import RuleViolation
from echos.engagement import panels_records, services
from echos.engagement.models import FollowUp
from echos.engagement.tasks import digest, send_follow_up_digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(make_record):
    return make_record(date=timezone.localdate() - timedelta(days=60))


def add(record, actor=None, **extra):
    fields = {"title": "Send the minutes", "due_date": record.date + timedelta(days=7)}
    fields.update(extra)
    return services.save_follow_up(actor=actor, record=record, **fields)


def test_a_follow_up_due_before_its_engagement_is_refused(record):
    with pytest.raises(RuleViolation) as err:
        add(record, due_date=record.date - timedelta(days=1))
    assert err.value.field == "due_date"
    assert not FollowUp.objects.exists()


def test_the_owner_must_be_on_the_hub_team(record, personas):
    assert add(record, owner=personas["editor_no"].pk).owner == personas["editor_no"]
    with pytest.raises(RuleViolation) as err:
        add(record, owner=personas["coord_pt"].pk)
    assert err.value.field == "owner"


def test_complete_cancel_and_reopen(record, personas):
    follow_up = add(record)
    services.set_follow_up_status(actor=personas["coord_no"], follow_up=follow_up, status="done")
    assert follow_up.status == "done" and follow_up.done_at is not None
    services.set_follow_up_status(actor=personas["coord_no"], follow_up=follow_up, status="open")
    assert follow_up.done_at is None
    with pytest.raises(RuleViolation):
        services.set_follow_up_status(actor=None, follow_up=follow_up, status="later")


def test_add_and_complete_from_the_record_page(record, login, personas):
    client = login(personas["coord_no"])
    url = f"/engagement/records/{record.pk}/follow-ups/"
    bad = client.post(url, {"title": "Too early", "due_date": "2000-01-01"})
    assert bad.status_code == 422 and 'id="fu_due_date_error"' in bad.content.decode()
    due = (record.date + timedelta(days=3)).isoformat()
    ok = client.post(
        url, {"title": "Call back", "due_date": due, "owner": personas["editor_no"].pk}
    )
    assert ok.status_code == 302
    follow_up = FollowUp.objects.get()
    assert client.post(f"/engagement/follow-ups/{follow_up.pk}/done/").status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    assert client.post(f"/engagement/follow-ups/{follow_up.pk}/smash/").status_code == 404


@pytest.mark.parametrize(
    "who,sees,acts",
    [
        ("anonymous", False, False),
        ("coord_pt", False, False),
        ("member_no", True, False),
        ("editor_no", True, True),
        ("coord_no", True, True),
        ("network", True, True),
    ],
)
def test_who_sees_and_changes_follow_ups(record, login, personas, who, sees, acts):
    follow_up = add(record, title="Secret-ish action")
    client = login(personas[who])
    page = client.get(record.get_absolute_url()).content.decode()
    assert ("Secret-ish action" in page) is sees
    response = client.post(f"/engagement/follow-ups/{follow_up.pk}/cancel/")
    assert response.status_code == (302 if acts else 403 if personas[who] else 302)
    follow_up.refresh_from_db()
    assert (follow_up.status == "cancelled") is acts


def test_overdue_follow_ups_are_flagged_for_the_team_only(record, hubs, personas, rf):
    add(record, title="Overdue action", due_date=timezone.localdate() - timedelta(days=5))
    add(record, title="Future action", due_date=timezone.localdate() + timedelta(days=30))
    request = rf.get("/")
    request.user = personas["editor_no"]
    html = panels_records.hub_follow_ups(request, hubs["norway"])
    assert "Overdue action" in html and "Future action" not in html
    for who in ("coord_pt", "anonymous"):
        request.user = (
            personas[who]
            or __import__("django.contrib.auth.models", fromlist=["AnonymousUser"]).AnonymousUser()
        )
        assert panels_records.hub_follow_ups(request, hubs["norway"]) == ""


def test_the_engagement_hub_page_flags_overdue_for_the_team(record, hubs, login, personas):
    add(record, title="Overdue action", due_date=timezone.localdate() - timedelta(days=5))
    url = f"/engagement/hubs/{hubs['norway'].pk}/"
    assert "Overdue action" in login(personas["member_no"]).get(url).content.decode()
    assert "Overdue action" not in login(None).get(url).content.decode()
    assert "Overdue action" not in login(personas["coord_pt"]).get(url).content.decode()


def test_the_weekly_digest_goes_once_per_owner_and_week(record, personas):
    owner = personas["editor_no"]
    owner.email = "editor@example.invalid"
    owner.save()
    today = date(2026, 12, 2)  # a Wednesday
    add(record, title="Late one", owner=owner.pk, due_date=today - timedelta(days=2))
    add(record, title="Soon one", owner=owner.pk, due_date=today + timedelta(days=3))
    add(record, title="Far one", owner=owner.pk, due_date=today + timedelta(days=40))
    add(record, title="Nobody's", due_date=today - timedelta(days=2))
    mail.outbox.clear()
    assert digest(today) == 1
    (message,) = mail.outbox
    assert message.to == ["editor@example.invalid"]
    assert "Late one" in message.body and "Soon one" in message.body
    assert "Far one" not in message.body and "Nobody's" not in message.body
    # Idempotent within the week: a second run (a retry, a second worker) sends nothing.
    assert digest(today + timedelta(days=2)) == 0
    assert len(mail.outbox) == 1
    # Next week the owner is told again while the actions stay open.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "now", lambda: timezone.make_aware(timezone.datetime(2026, 12, 3)))
        assert digest(today + timedelta(days=7)) == 1
    FollowUp.objects.update(status="done")
    assert digest(today + timedelta(days=14)) == 0


def test_the_periodic_task_runs_the_digest(record, personas):
    personas["coord_no"].email = "coord@example.invalid"
    personas["coord_no"].save()
    add(record, owner=personas["coord_no"].pk, due_date=timezone.localdate())
    mail.outbox.clear()
    assert send_follow_up_digest.call_local() == 1
    assert mail.outbox[0].to == ["coord@example.invalid"]
