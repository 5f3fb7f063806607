"""Every page served from the shared page cache shows a committed write on the next request.

For each declared page: a first request renders and stores it, a second one is a hit, then a write
through the app's service (committed: its on-commit callbacks run) and the next response is a
fresh render that shows the change. An admin revert invalidates in the same way. Browsing every
cached page after people registered and answered leaves no name or e-mail address in the store.
"""

import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connections
from django.test import Client
from django.utils import timezone

from echos.core import pagecache
from echos.core.models import Term

TOKEN = re.compile(rb"[A-Za-z0-9]{64}")


@pytest.fixture
def page_cache(settings):
    settings.ECHOS_PAGE_CACHE = True
    caches[pagecache.PAGES_ALIAS].clear()
    caches[pagecache.VERSIONS_ALIAS].clear()


@pytest.fixture
def world(hubs, personas):
    """One of everything a public page shows: an event, a consultation, a proposal, an
    initiative, a library resource."""
    from echos.events import services as events
    from echos.library import services as library
    from echos.participation import services as participation
    from echos.synergies import services as synergies

    start = (timezone.now() + timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0, tzinfo=None
    )
    event = events.create_event(
        actor=None,
        hub=hubs["norway"],
        title="Citizen dialogue on screening",
        description="An open conversation about cancer screening.",
        type="citizen_dialogue",
        format="in_person",
        languages=["nb", "en"],
        audiences=["citizens"],
        objectives=["prevention"],
        start=start,
        end=start + timedelta(hours=3),
        time_zone="Europe/Oslo",
        venue="Litteraturhuset",
        address="Wergelands vei 29, Oslo",
        status="published",
        capacity=50,
    )
    now = timezone.now()
    consultation = participation.open_consultation(
        actor=None,
        hub=hubs["norway"],
        title="Priorities of the Norwegian hub",
        description="Tell us what matters.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
        languages=["nb", "en"],
    )
    closed = participation.open_consultation(
        actor=None,
        hub=hubs["norway"],
        title="Last year's consultation",
        description="Closed already.",
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=30),
    )
    proposal = participation.submit_proposal(
        hub=hubs["norway"],
        title="Screening bus in the north",
        body="A mobile screening unit visiting small towns.",
        user=personas["member_no"],
        display_name="Kari",
    )
    initiative = synergies.save_initiative(
        actor=None,
        key="screen-net",
        name="Screening network",
        programme="other",
        description="Organised screening of colorectal cancer with faecal tests.",
        objectives=["prevention"],
    )
    resource = library.create_resource(
        actor=personas["network"],
        title="Equity guide",
        description="How hubs reach everyone.",
        language="en",
        type="guideline",
        tags=[],
        url="https://example.org/equity",
    )
    # The test's transaction never commits: bump what the set-up wrote now, as its commit would,
    # so that a later write's callbacks bump only that write's own topics (otherwise every test
    # would pass by bumping everything the set-up left pending).
    pending = connections["default"].__dict__.get("_echos_pagecache")
    if pending is not None:
        pending.flush()
    return {
        **hubs,
        **personas,
        "event": event,
        "consultation": consultation,
        "closed": closed,
        "proposal": proposal,
        "initiative": initiative,
        "resource": resource,
    }


# --- writes through the services -------------------------------------------------------------


def rename_hub(w):
    from echos.hubs import services

    services.update_hub(actor=w["network"], hub=w["norway"], name_en="Renamed Norway Hub")
    return "Renamed Norway Hub"


def retitle_event(w):
    from echos.events import services

    services.update_event(actor=w["network"], event=w["event"], title="Renamed dialogue")
    return "Renamed dialogue"


def register_for_event(w):
    from echos.events import services

    services.register(
        event=w["event"], name="Ingrid Test", email="ingrid@example.invalid", consent=True
    )
    return None  # places left change; the name must not show


def new_consultation(w):
    from echos.participation import services

    now = timezone.now()
    services.open_consultation(
        actor=None,
        hub=w["norway"],
        title="Second consultation of Norway",
        description="More questions.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=5),
    )
    return "Second consultation of Norway"


def follow_up(w):
    from echos.participation import services

    services.publish_follow_up(
        actor=w["network"], consultation=w["closed"], text="We heard you: more evenings."
    )
    return "We heard you: more evenings."


def retitle_in_bulk(w):
    # A data fix in bulk (no signal is sent): still a write to what the results show.
    from echos.participation.models import Consultation

    Consultation.objects.filter(pk=w["closed"].pk).update(title="Renamed closed consultation")
    return "Renamed closed consultation"


def recount_in_bulk(w):
    from echos.participation.models import AnswerTally

    AnswerTally.objects.filter(consultation=w["closed"], question="role", option="").update(count=7)
    return None


def rename_country(w):
    # Reference data has no service: the admin saves the row.
    from echos.core.models import Country, Region

    for model, pk in ((Country, "NO"), (Region, "NO-46")):
        row = model.objects.get(pk=pk)
        row.name = f"{row.name} (renamed)"
        row.save()
    return "(renamed)"


def new_proposal(w):
    from echos.participation import services

    services.submit_proposal(
        hub=w["norway"],
        title="Screening letters in plain language",
        body="Shorter letters.",
        user=w["editor_no"],
        display_name="Ola",
    )
    return "Screening letters in plain language"


def support_proposal(w):
    from echos.participation import services

    services.support(proposal=w["proposal"], user=w["editor_no"])
    return None


def rename_initiative(w):
    from echos.synergies import services

    services.save_initiative(actor=None, initiative=w["initiative"], name="Renamed network")
    return "Renamed network"


def retitle_resource(w):
    from echos.library import services

    services.update_resource(actor=w["network"], resource=w["resource"], title="Renamed guide")
    return "Renamed guide"


def relabel_term(w):
    # Reference data has no service: the admin saves the row.
    term = Term.objects.get(vocabulary="objectives", code="prevention")
    term.label = "Prevention (renamed)"
    term.save()
    return "Prevention (renamed)"


def gap_url(path):
    def url(w):
        today = timezone.localdate()
        return f"{path}?from={today - timedelta(days=30)}&to={today + timedelta(days=30)}"

    return url


def event_month(w):
    start = w["event"].start.astimezone(timezone.get_current_timezone())
    return f"/events/month/{start.year}/{start.month}/"


CASES = [
    ("hubs:home", lambda w: "/", rename_hub),
    ("hubs:directory", lambda w: "/hubs/", rename_hub),
    ("hubs:hub", lambda w: f"/hubs/{w['norway'].pk}/", rename_hub),
    ("hubs:country", lambda w: "/countries/NO/", rename_hub),
    ("events:calendar", lambda w: "/events/", retitle_event),
    ("events:month_current", lambda w: "/events/month/", retitle_event),
    ("events:month", event_month, retitle_event),
    ("events:event", lambda w: f"/events/{w['event'].pk}/", retitle_event),
    ("events:event (places)", lambda w: f"/events/{w['event'].pk}/", register_for_event),
    ("events:feed", lambda w: "/events/feed.ics", retitle_event),
    ("events:feed_country", lambda w: "/events/feeds/country/NO.ics", retitle_event),
    ("events:feed_hub", lambda w: f"/events/feeds/hub/{w['norway'].pk}.ics", retitle_event),
    ("events:feed_type", lambda w: "/events/feeds/type/citizen_dialogue.ics", retitle_event),
    ("events:feed_audience", lambda w: "/events/feeds/audience/citizens.ics", retitle_event),
    ("events:feed_language", lambda w: "/events/feeds/language/nb.ics", retitle_event),
    ("events:event_ics", lambda w: f"/events/{w['event'].pk}/event.ics", retitle_event),
    ("events:gap", gap_url("/events/gap/"), register_for_event),
    ("events:gap_csv", gap_url("/events/gap.csv"), register_for_event),
    ("participation:index", lambda w: "/participate/", new_consultation),
    ("participation:hub", lambda w: f"/participate/hubs/{w['norway'].pk}/", new_consultation),
    (
        "participation:consultation",
        lambda w: f"/participate/consultations/{w['closed'].pk}/",
        follow_up,
    ),
    (
        "participation:results",
        lambda w: f"/participate/consultations/{w['closed'].pk}/results/",
        retitle_in_bulk,
    ),
    ("participation:proposals", lambda w: "/participate/proposals/", new_proposal),
    (
        "participation:proposal",
        lambda w: f"/participate/proposals/{w['proposal'].pk}/",
        support_proposal,
    ),
    ("synergies:catalogue", lambda w: "/synergies/", rename_initiative),
    ("synergies:initiative", lambda w: "/synergies/initiatives/screen-net/", rename_initiative),
    ("synergies:matrix", lambda w: "/synergies/matrix/", relabel_term),
    ("library:index", lambda w: "/library/", retitle_resource),
    ("library:resource", lambda w: f"/library/{w['resource'].pk}/", retitle_resource),
    ("api:list_countries", lambda w: "/api/v1/countries", rename_country),
    ("api:get_country", lambda w: "/api/v1/countries/NO", rename_country),
    ("api:list_regions", lambda w: "/api/v1/regions?country=NO", rename_country),
    ("api:list_terms", lambda w: "/api/v1/vocabularies/objectives", relabel_term),
    ("api:list_hubs", lambda w: "/api/v1/hubs", rename_hub),
    ("api:get_hub", lambda w: f"/api/v1/hubs/{w['norway'].pk}", rename_hub),
    ("api:list_events", lambda w: "/api/v1/events", retitle_event),
    ("api:get_event", lambda w: f"/api/v1/events/{w['event'].pk}", register_for_event),
    ("api:list_consultations", lambda w: "/api/v1/consultations", new_consultation),
    ("api:get_consultation", lambda w: f"/api/v1/consultations/{w['closed'].pk}", follow_up),
    (
        "api:consultation_results",
        lambda w: f"/api/v1/consultations/{w['closed'].pk}/results",
        recount_in_bulk,
    ),
    ("api:list_proposals", lambda w: "/api/v1/proposals", new_proposal),
    ("api:get_proposal", lambda w: f"/api/v1/proposals/{w['proposal'].pk}", support_proposal),
    ("api:list_initiatives", lambda w: "/api/v1/initiatives", rename_initiative),
    ("api:get_initiative", lambda w: "/api/v1/initiatives/screen-net", rename_initiative),
    ("api:list_resources", lambda w: "/api/v1/resources", retitle_resource),
    ("api:get_resource", lambda w: f"/api/v1/resources/{w['resource'].pk}", retitle_resource),
]


def masked(body: bytes) -> bytes:
    """A body without its per-visitor CSRF tokens."""
    return TOKEN.sub(b"-", body)


def test_every_declared_page_has_a_case():
    declared = set()
    for app in pagecache.registry.echos_apps():
        if app.page_cache:
            from importlib import import_module

            declared.update(import_module(app.page_cache).PAGES)
    assert declared == {name.split(" ")[0] for name, _url, _write in CASES}


@pytest.mark.parametrize(("name", "url", "write"), CASES, ids=[c[0] for c in CASES])
def test_a_write_through_a_service_changes_the_next_response(
    page_cache, world, name, url, write, django_capture_on_commit_callbacks
):
    client = Client()
    path = url(world)
    first = client.get(path)
    assert first.status_code == 200, path
    assert first[pagecache.HEADER] == "miss"
    second = client.get(path)
    assert second[pagecache.HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        shown = write(world)
    after = client.get(path)
    assert after.status_code == 200
    assert after[pagecache.HEADER] == "miss"
    assert masked(after.content) != masked(second.content)
    if shown is not None:
        assert shown.encode() in after.content
        assert shown.encode() not in second.content
    assert client.get(path)[pagecache.HEADER] == "hit"


REVERT_CASES = [c for c in CASES if c[2] is rename_hub] + [
    c for c in CASES if c[0] in {"events:calendar", "events:event"}
]


@pytest.mark.parametrize(("name", "url", "write"), REVERT_CASES, ids=[c[0] for c in REVERT_CASES])
def test_an_admin_revert_changes_the_next_response(
    page_cache, world, name, url, write, django_capture_on_commit_callbacks
):
    from echos.core.models import ActionLog
    from echos.core.revert import revert

    client = Client()
    path = url(world)
    with django_capture_on_commit_callbacks(execute=True):
        rename_hub(world)
    assert b"Renamed Norway Hub" in client.get(path).content
    assert client.get(path)[pagecache.HEADER] == "hit"
    entry = ActionLog.objects.filter(action="hubs.hub.updated").latest("id")
    with django_capture_on_commit_callbacks(execute=True):
        revert(actor=world["network"], entry=entry)
    after = client.get(path)
    assert after[pagecache.HEADER] == "miss"
    assert b"Renamed Norway Hub" not in after.content


def test_no_personal_field_ever_reaches_the_cache(
    page_cache, world, django_capture_on_commit_callbacks
):
    from echos.events import services as events
    from echos.participation import services as participation

    with django_capture_on_commit_callbacks(execute=True):
        events.register(
            event=world["event"],
            name="Ingrid Hemmelig",
            email="ingrid.hemmelig@example.invalid",
            consent=True,
        )
        participation.submit_answer(
            consultation=world["consultation"],
            answers={
                "role": "citizen",
                "objectives": ["prevention", "quality_of_life"],
                "screening_awareness": "3",
                "barriers": ["distance", "information"],
                "barriers_other": "Which screening letters apply to me.",
                "involvement": "consult",
                "idea": "More evening events.",
            },
            email="answerer.hemmelig@example.invalid",
        )
    client = Client()
    for name, url, _write in CASES:
        for _ in range(2):
            assert client.get(url(world)).status_code == 200, name
    from tests.core.test_pagecache import stored_keys

    store = caches[pagecache.PAGES_ALIAS]
    bodies = [store.get(key).body for key in stored_keys(store)]
    assert len(bodies) >= len({url(world) for _n, url, _w in CASES}) - 1
    for body in bodies:
        for secret in (b"Hemmelig", b"hemmelig", b"ingrid", b"contact@example.invalid"):
            assert secret not in body


@pytest.mark.parametrize("path", ["/", "/hubs/", "/events/"])
def test_a_registration_keeps_pages_that_show_none_in_the_cache(
    page_cache, world, path, django_capture_on_commit_callbacks
):
    """At a fair hundreds register a minute (#18): the map, the directory and the calendar show no
    registration, so they stay served from the cache while the event page shows the new count."""
    client = Client()
    client.get(path)
    assert client.get(path)[pagecache.HEADER] == "hit"
    event_path = world["event"].get_absolute_url()
    client.get(event_path)
    assert client.get(event_path)[pagecache.HEADER] == "hit"
    assert client.get(path)[pagecache.HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        register_for_event(world)
    assert client.get(path)[pagecache.HEADER] == "hit"
    assert client.get(event_path)[pagecache.HEADER] == "miss"


def answer_consultation(w):
    from echos.participation import services

    services.submit_answer(
        consultation=w["consultation"],
        answers={
            "role": "citizen",
            "objectives": ["prevention"],
            "screening_awareness": "3",
            "barriers": ["distance"],
            "involvement": "consult",
        },
        email="answerer.campaign@example.invalid",
    )


@pytest.mark.parametrize(
    "path", ["/", "/hubs/", "/events/", "/events/feed.ics", "/api/v1/events", "event"]
)
def test_an_answer_keeps_the_hubs_and_events_pages_in_the_cache(
    page_cache, world, path, django_capture_on_commit_callbacks
):
    """During a campaign several people answer a consultation a second (#18 load test): no hubs
    or events page shows an answer, so they stay cached while the consultation's own pages miss."""
    client = Client()
    path = world["event"].get_absolute_url() if path == "event" else path
    own = f"/participate/consultations/{world['consultation'].pk}/"
    for url in (path, own):
        client.get(url)
        assert client.get(url)[pagecache.HEADER] == "hit", url
    with django_capture_on_commit_callbacks(execute=True):
        answer_consultation(world)
    assert client.get(path)[pagecache.HEADER] == "hit"
    assert client.get(own)[pagecache.HEADER] == "miss"


def test_a_retitled_event_keeps_the_gap_dashboard_and_changes_the_calendar(
    page_cache, world, django_capture_on_commit_callbacks
):
    """An update of an event's words alone bumps "events.event:details" (events/pagecache.py
    COLUMN_TOPICS): the gap dashboard, which counts and shows none of them, stays cached; every
    page that shows the event is rendered again (#18 cold pages)."""
    client = Client()
    gap = gap_url("/events/gap/")(world)
    for path in (gap, "/events/"):
        client.get(path)
        assert client.get(path)[pagecache.HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        shown = retitle_event(world)
    assert client.get(gap)[pagecache.HEADER] == "hit"
    calendar = client.get("/events/")
    assert calendar[pagecache.HEADER] == "miss" and shown.encode() in calendar.content


def shifted(w, hours: int) -> dict:
    later = timedelta(hours=hours)
    return {"start": w["event"].start + later, "end": w["event"].end + later}


@pytest.mark.parametrize(
    "change",
    [
        lambda w: shifted(w, 24),
        lambda w: {"audiences": ["researchers"]},
        lambda w: {"title": "Retitled and moved", **shifted(w, 2)},
    ],
    ids=["moved", "audience", "words and time"],
)
def test_a_change_the_gap_counts_empties_it(
    page_cache, world, change, django_capture_on_commit_callbacks
):
    from echos.events import services

    client = Client()
    gap = gap_url("/events/gap/")(world)
    client.get(gap)
    assert client.get(gap)[pagecache.HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(actor=world["network"], event=world["event"], **change(world))
    assert client.get(gap)[pagecache.HEADER] == "miss"


def test_a_bulk_update_of_a_counted_column_empties_the_gap_dashboard(
    page_cache, world, django_capture_on_commit_callbacks
):
    from echos.events.models import Event

    client = Client()
    gap = gap_url("/events/gap/")(world)
    client.get(gap)
    with django_capture_on_commit_callbacks(execute=True):
        Event.objects.filter(pk=world["event"].pk).update(title="Bulk words")
    assert client.get(gap)[pagecache.HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        Event.objects.filter(pk=world["event"].pk).update(objectives=",early_detection,")
    assert client.get(gap)[pagecache.HEADER] == "miss"
