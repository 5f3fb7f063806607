"""The folded search text of events stored before it existed (issue #17): filled in batches."""

from echos.core.multilingual import refresh_search_text
from echos.events.models import Event

BATCH = 2000


def fill_search_text(queryset=None, batch: int = BATCH) -> int:
    """Fill ``search_text`` of the events of ``queryset`` (all by default) by primary key, ``batch``
    at a time, so that 100,000 events are done in bounded memory; returns how many were."""
    qs = (queryset if queryset is not None else Event.objects.all()).order_by("pk")
    qs = qs.only("pk", *Event.TRANSLATABLE, "translations", "source_language")
    last, done = 0, 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:batch])
        if not chunk:
            return done
        refresh_search_text(chunk)
        qs.model.objects.using(qs.db).bulk_update(chunk, ["search_text"], batch_size=500)
        last, done = chunk[-1].pk, done + len(chunk)
