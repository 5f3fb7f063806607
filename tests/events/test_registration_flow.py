"""Registrations go through the one contribution flow (core/contributions.py) as an e-mail kind:
the stored address keeps its local part's case, and the same address in another case is the same
person (one registration, the notice to the address, the Conflict only to its owner)."""

import pytest

from echos.core import pagecache
from echos.core.exceptions import Conflict
from echos.events import services
from echos.events.models import Registration

pytestmark = pytest.mark.django_db


def _register(event, email, user=None):
    return services.register(event=event, name="Someone", email=email, user=user, consent=True)


def test_the_address_is_stored_with_its_local_part_as_typed(
    make_event, make_user, django_capture_on_commit_callbacks
):
    event = make_event()
    with django_capture_on_commit_callbacks() as queued:
        first = _register(event, "  Ana.Maria@Example.ORG ")
    assert first.email == "Ana.Maria@example.org" and first.email_confirmed_at is None
    queued = [c for c in queued if not pagecache.is_bump(c)]
    assert len(queued) == 1  # the confirmation with the personal link
    with django_capture_on_commit_callbacks() as again:
        assert _register(event, "ana.maria@example.org") == first
    # The notice to the address; nothing new written.
    assert len([c for c in again if not pagecache.is_bump(c)]) == 1
    ana = make_user("anamaria", email="ana.maria@example.org")
    with pytest.raises(Conflict) as own:
        _register(event, "ANA.MARIA@example.org", user=ana)
    assert own.value.field == "email"
    assert list(Registration.objects.filter(event=event).values_list("email", flat=True)) == [
        "Ana.Maria@example.org"
    ]
