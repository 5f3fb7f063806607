"""The bench's hands inside echos: run by ``python -m echos shell -c`` with a stack's environment.

bench/run.py and bench/load.py start it once per stack (``Agent`` in run.py) and send it one JSON
request a line on standard input; each answer is one line ``AGENT {json}`` on standard output. Every
write goes through the services, in its own transaction, so whatever the site does on commit
(audit, e-mails, cache invalidation) happens as it would for a person; the answer is written only
after the commit, so the tools may treat the moment they read it as "after the commit".

Requests (``op`` and its arguments):

- ``facts``: counts and the ids of the measured hub, event and consultation;
- ``coordinator`` (``username``, ``password``): a network coordinator with that password;
- ``retitle`` (``kind``: event or hub, ``id``): rename it with a fresh ``bench<n>`` suffix;
- ``queries`` (``path``, ``username`` or null, ``write``: {kind, id} or null): SQL statements of a
  request in-process (Django test client) right after the write (cold) and again (warm);
- ``publish`` (``title``, ``hub``): a published event starting tomorrow;
- ``fair_setup`` (``title``, ``capacity``): a published event of the first national hub, in a week
  (its id, the hub and the hub's country);
- ``fair_rows`` (``event``): its registrations (id, e-mail, status, waitlist position), by id;
- ``answer_emails`` (``consultation``): the addresses of its stored answers;
- ``delete_events`` (``ids``): remove the tools' own events again (with their registrations).
"""

import itertools
import json
import re
import sys
import traceback
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from echos.assessment.models import Response
from echos.core.models import User
from echos.events import services as event_services
from echos.events.models import Event, Registration
from echos.hubs.models import Hub, Membership, Organisation, StageChange
from echos.hubs.services.hubs import update_hub
from echos.participation.models import Answer

SUFFIX = re.compile(r" bench\d+$")
counter = itertools.count(1)


def facts(_request):
    hub = (
        Hub.objects.national()
        .annotate(n=Count("memberships"))
        .order_by("-n", "id")
        .values_list("id", "n")
        .first()
    )
    event = (
        Registration.objects.values("event_id")
        .annotate(n=Count("id"))
        .order_by("-n", "event_id")
        .values_list("event_id", "n")
        .first()
    )
    consultation = (
        Answer.objects.values("consultation_id")
        .annotate(n=Count("id"))
        .order_by("-n", "consultation_id")
        .values_list("consultation_id", "n")
        .first()
    )
    return {
        "hub": Hub.objects.count(),
        "organisation": Organisation.objects.count(),
        "membership": Membership.objects.count(),
        "stagechange": StageChange.objects.count(),
        "hub_id": hub[0],
        "hub_members": hub[1],
        "maturity": Response.objects.filter(instrument__code="ncmh-maturity").count(),
        "mapping": Response.objects.filter(instrument__code="mapping-survey").count(),
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
        "event_id": event[0],
        "event_registrations": event[1],
        "answers": Answer.objects.count(),
        "consultation_id": consultation[0],
        "consultation_answers": consultation[1],
        "vendor": connection.vendor,
    }


def coordinator(request):
    user, _created = User.objects.get_or_create(username=request["username"])
    user.is_network_coordinator = True
    user.is_active = True
    user.set_password(request["password"])
    user.save()
    return {"id": user.pk}


def retitle(request):
    """A small real write: the event's title or the hub's name gets a new ``bench<n>`` suffix."""
    suffix = f" bench{next(counter)}{timezone.now():%H%M%S}"
    with transaction.atomic():
        if request["kind"] == "event":
            event = Event.objects.get(pk=request["id"])
            title = SUFFIX.sub("", event.title)[: 200 - len(suffix)] + suffix
            event_services.update_event(actor=None, event=event, title=title)
        else:
            hub = Hub.objects.get(pk=request["id"])
            title = SUFFIX.sub("", hub.name)[: 200 - len(suffix)] + suffix
            english = SUFFIX.sub("", hub.name_en or hub.name)[: 200 - len(suffix)] + suffix
            # Both names: the map and the lists show the English name, the hub page both.
            update_hub(actor=None, hub=hub, name=title, name_en=english)
    return {"marker": suffix.strip(), "title": title}


def queries(request):
    client = Client(HTTP_HOST="127.0.0.1")
    if request.get("username"):
        client.force_login(User.objects.get(username=request["username"]))
    if request.get("write"):
        retitle(request["write"])
    counts, statuses = [], []
    for _ in range(2):  # right after the write, then again
        with CaptureQueriesContext(connection) as captured:
            response = client.get(request["path"])
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        counts.append(len(captured.captured_queries))
        statuses.append(response.status_code)
    return {"cold": counts[0], "warm": counts[1], "status": statuses}


def _event_fields(title: str, start) -> dict:
    return {
        "title": title,
        "description": "Opened by the echos bench tools for a measurement; deleted after the run.",
        "type": "workshop",
        "format": "in_person",
        "languages": ["en"],
        "audiences": ["citizens"],
        "start": start,
        "end": start + timedelta(hours=3),
        "time_zone": "UTC",
        "venue": "Bench hall",
        "status": "published",
    }


def _naive_utc(delta: timedelta):
    return (timezone.now() + delta).replace(tzinfo=None, microsecond=0)


def publish(request):
    hub = Hub.objects.get(pk=request["hub"])
    event = event_services.create_event(
        actor=None, hub=hub, **_event_fields(request["title"], _naive_utc(timedelta(days=1)))
    )
    return {"id": event.pk}


def fair_setup(request):
    hub = Hub.objects.national().order_by("id").first()
    fields = _event_fields(request["title"], _naive_utc(timedelta(days=7)))
    event = event_services.create_event(
        actor=None, hub=hub, capacity=request["capacity"], registration_enabled=True, **fields
    )
    return {"id": event.pk, "hub": hub.pk, "country": hub.country_id}


def fair_rows(request):
    event = Event.objects.get(pk=request["event"])
    rows = []
    for r in event.registrations.order_by("id"):
        r.event = event
        rows.append(
            {
                "id": r.pk,
                "email": r.email,
                "status": r.status,
                "position": event_services.waitlist_position(r),
            }
        )
    return {"rows": rows}


def answer_emails(request):
    emails = Answer.objects.filter(consultation_id=request["consultation"])
    return {"emails": list(emails.values_list("email", flat=True))}


def delete_events(request):
    deleted, _ = Event.objects.filter(pk__in=request["ids"]).delete()
    return {"deleted": deleted}


OPS = {
    f.__name__: f
    for f in (
        facts,
        coordinator,
        retitle,
        queries,
        publish,
        fair_setup,
        fair_rows,
        answer_emails,
        delete_events,
    )
}


def serve():
    print("AGENT " + json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            answer = {"ok": True, **OPS[request["op"]](request)}
        except Exception as exc:  # the tool reports it and stops
            answer = {"ok": False, "error": repr(exc), "trace": traceback.format_exc()[-2000:]}
        print("AGENT " + json.dumps(answer), flush=True)


serve()
