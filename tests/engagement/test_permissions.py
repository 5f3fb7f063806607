"""Who may create, edit, delete and turn into an activity: every persona against the services and pages."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from echos.engagement import services
from echos.engagement.models import EngagementRecord
from echos.synergies.models import Activity

pytestmark = pytest.mark.django_db

# Hub → personas allowed to write its records (the others are refused).
ALLOWED = {
    # Norway's national hub: the network, its coordinator and its editor.
    "norway": {"network", "coord_no", "editor_no"},
    # Bergen sits below Vestland below Norway: Norway's coordinator coordinates it, the editor of
    # the national hub does not edit it.
    "bergen": {"network", "coord_no"},
    "portugal": {"network", "coord_pt"},
}
PERSONAS = ["network", "coord_no", "coord_pt", "editor_no", "member_no", "anonymous"]
CASES = [(hub, persona) for hub in ALLOWED for persona in PERSONAS]


def actor(personas, name):
    return personas[name] or AnonymousUser()


@pytest.mark.parametrize("hub, persona", CASES)
def test_create(hubs, personas, record_fields, hub, persona):
    fields = record_fields(region=None)
    if persona in ALLOWED[hub]:
        record = services.save_record(actor=actor(personas, persona), hub=hubs[hub], **fields)
        assert record.hub == hubs[hub]
    else:
        with pytest.raises(PermissionDenied):
            services.save_record(actor=actor(personas, persona), hub=hubs[hub], **fields)
        assert not EngagementRecord.objects.exists()


@pytest.mark.parametrize("hub, persona", CASES)
def test_edit(hubs, personas, make_record, hub, persona):
    record = make_record(hub=hubs[hub], region=None)
    call = lambda: services.save_record(  # noqa: E731
        actor=actor(personas, persona), record=record, title="Changed"
    )
    if persona in ALLOWED[hub]:
        call()
        assert EngagementRecord.objects.get(pk=record.pk).title == "Changed"
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert EngagementRecord.objects.get(pk=record.pk).title != "Changed"


@pytest.mark.parametrize("hub, persona", CASES)
def test_delete(hubs, personas, make_record, hub, persona):
    record = make_record(hub=hubs[hub], region=None)
    if persona in ALLOWED[hub]:
        services.delete_record(actor=actor(personas, persona), record=record)
        assert not EngagementRecord.objects.exists()
    else:
        with pytest.raises(PermissionDenied):
            services.delete_record(actor=actor(personas, persona), record=record)
        assert EngagementRecord.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("hub, persona", CASES)
def test_turn_into_activity(hubs, personas, make_record, hub, persona):
    record = make_record(hub=hubs[hub], region=None)
    if persona in ALLOWED[hub]:
        activity = services.activity_from_record(actor=actor(personas, persona), record=record)
        assert activity.hub == hubs[hub]
    else:
        with pytest.raises(PermissionDenied):
            services.activity_from_record(actor=actor(personas, persona), record=record)
        assert not Activity.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_follow_the_same_rules(hubs, personas, make_record, login, persona):
    """Anonymous visitors are sent to sign in; signed-in people without the right get 403."""
    record = make_record()
    client = login(personas[persona])
    urls = [
        ("get", f"/engagement/hubs/{hubs['norway'].pk}/new/"),
        ("get", f"/engagement/records/{record.pk}/edit/"),
        ("get", f"/engagement/records/{record.pk}/delete/"),
        ("post", f"/engagement/records/{record.pk}/activity/"),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        if persona == "anonymous":
            assert response.status_code == 302 and "/login" in response["Location"], url
        elif persona in ALLOWED["norway"]:
            assert response.status_code == (302 if method == "post" else 200), url
            if method == "post":
                assert response["Location"] == Activity.objects.get().get_absolute_url()
        else:
            assert response.status_code == 403, url
    response = client.post(f"/engagement/records/{record.pk}/delete/")
    assert EngagementRecord.objects.filter(pk=record.pk).exists() == (
        persona not in ALLOWED["norway"]
    )
    if persona not in ALLOWED["norway"]:
        assert not Activity.objects.exists()
