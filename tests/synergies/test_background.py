"""A changed text is embedded again by a background task after the transaction commits."""

import pytest

from echos.core import pagecache
from echos.synergies import services

pytestmark = pytest.mark.django_db


def test_changed_activity_text_is_embedded_after_commit(hubs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        activity = services.save_activity(
            actor=None,
            hub=hubs["norway"],
            title="Screening dialogue",
            description="Citizens talk with doctors about bowel cancer screening.",
            language="en",
        )
    activity.refresh_from_db()
    queued = [c for c in queued if not pagecache.is_bump(c)]
    assert activity.get_vector() is None and len(queued) == 1  # queued, not computed in the request
    queued[0]()
    activity.refresh_from_db()
    first = activity.get_vector()
    assert first is not None and first.shape == (512,)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_activity(
            actor=None, activity=activity, description="Survivors share how they returned to work."
        )
    activity.refresh_from_db()
    second = activity.get_vector()
    assert second is not None and float(first @ second) < 0.99  # a new text, a new vector
    # Saving without a text change queues nothing.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.save_activity(actor=None, activity=activity, start=None)
    assert [c for c in queued if not pagecache.is_bump(c)] == []
