"""The demo keeps working under membership confirmation: its memberships are confirmed, and one
waits for the organisation, for the demo's stakeholder member to answer."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_memberships_are_confirmed_but_one_that_waits(django_capture_on_commit_callbacks):
    from django.core import mail

    from echos.core.models import User
    from echos.hubs import permissions as perms
    from echos.hubs.demo import load_demo, load_reference_hubs
    from echos.hubs.models import Membership, Organisation

    load_reference_hubs()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    (pending,) = Membership.objects.pending()
    occ = Organisation.objects.get(name="Oslo Cancer Cluster")
    assert pending.organisation == occ and pending.is_demo and pending.hub.is_demo
    assert not Membership.objects.filter(status="declined").exists()
    # The demo accounts keep their rights; the stakeholder member is asked and may answer.
    coordinator, member = (User.objects.get(username=u) for u in ("coordinator-no", "member-no"))
    assert perms.can_view_contacts(coordinator, occ)
    assert perms.can_decide_membership(member, pending)
    assert [m.to for m in mail.outbox] == [["member-no@demo.invalid"]]
