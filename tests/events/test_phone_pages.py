"""The month as an agenda for phones and the check-in list (issue #16 item 1): what the pages hold,
without a browser (the layout itself is checked in tests/browser/test_responsive_pages.py)."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from echos.events import services

pytestmark = pytest.mark.django_db


def month_event(make_event, day: int, title: str, *, days: int = 0, **extra):
    start = datetime(2027, 3, day, 18, 30)
    return make_event(title=title, start=start, end=start + timedelta(days=days, hours=2), **extra)


def test_agenda_lists_only_days_with_events_and_marks_continuing_days(client, make_event):
    month_event(make_event, 4, "Screening evening")
    month_event(make_event, 30, "Spring fair", days=2)  # 30 March – 1 April
    for i in range(6):
        month_event(make_event, 12, f"Busy day talk {i}")
    response = client.get(reverse("events:month", args=[2027, 3]))
    agenda = response.context["agenda"]
    assert [d["date"].day for d in agenda] == [4, 12, 30, 31]
    assert [(e.title, starts) for e, starts, _line in agenda[0]["items"]] == [
        ("Screening evening", True)
    ]
    assert len(agenda[1]["items"]) == 4 and agenda[1]["more"] == 2
    assert [starts for _e, starts, _line in agenda[2]["items"] + agenda[3]["items"]] == [
        True,
        False,
    ]
    page = response.content.decode()
    # Both renderings are in the page; the CSS shows one (the other is display:none).
    assert 'class="table-wrap month-grid-box"' in page and 'class="month-agenda"' in page
    agenda_html = page[page.index('class="month-agenda"') :]
    assert "18:30" in agenda_html and "continues" in agenda_html and "Norway" in agenda_html
    assert agenda_html.count("2 more events") == 1
    assert "Thursday 4 March" in agenda_html


def test_agenda_of_an_empty_month_says_so(client):
    page = client.get(reverse("events:month", args=[2027, 3])).content.decode()
    assert "No event this month." in page
    page = client.get(reverse("events:month", args=[2027, 3]), {"country": "PT"}).content.decode()
    assert "No event this month matches these filters." in page
    assert '<details class="month-filters" open>' in page


def test_agenda_follows_the_filters(client, make_event, hubs):
    month_event(make_event, 4, "Oslo evening")
    month_event(make_event, 5, "Lisbon evening", hub=hubs["portugal"])
    response = client.get(reverse("events:month", args=[2027, 3]), {"country": "PT"})
    assert [e.title for d in response.context["agenda"] for e, _s, _line in d["items"]] == [
        "Lisbon evening"
    ]


@pytest.fixture
def checkin(login, personas, make_event, register_many):
    event = make_event()
    people = register_many(event, 3)
    services.register(
        event=event,
        name="Ana & Bo Silva",
        email="ana@example.invalid",
        audience="patients_carers",
        consent=True,
    )
    services.check_in(actor=personas["coord_no"], registration=people[0])
    return {"event": event, "client": login(personas["coord_no"]), "people": people}


def participants_url(event) -> str:
    return reverse("events:participants", args=[event.pk])


def test_check_in_list_search_works_as_a_plain_get_form(checkin):
    event, client = checkin["event"], checkin["client"]
    page = client.get(participants_url(event), {"q": "silva"}).content.decode()
    assert "Ana &amp; Bo Silva" in page and "person 1" not in page
    assert "Patients and carers" in page
    # The search comes first, then the summary, the folded tools and the list.
    order = [
        page.index('id="p-q"'),
        page.index("checkin-counts"),
        page.index('class="checkin-tools"'),
        page.index('id="participant-rows"'),
    ]
    assert order == sorted(order)
    # The status select belongs to the search form from inside the folded tools.
    assert 'form="p-find"' in page and '<form id="p-find" method="get"' in page


def test_check_in_list_summary_names_statuses_someone_has(checkin):
    page = checkin["client"].get(participants_url(checkin["event"])).content.decode()
    counts = page[page.index("checkin-counts") : page.index("</ul>", page.index("checkin-counts"))]
    assert "Registered <strong>3</strong>" in counts and "Attended <strong>1</strong>" in counts
    assert "Waitlisted" not in counts and "Cancelled" not in counts


def test_check_in_rows_have_the_right_buttons(checkin):
    page = checkin["client"].get(participants_url(checkin["event"])).content.decode()
    attended, waiting = checkin["people"][0], checkin["people"][1]
    row = page[page.index(f'id="r-{attended.pk}"') :]
    row = row[: row.index("</li>")]
    assert "Undo check-in" in row and "Cancel registration" not in row
    row = page[page.index(f'id="r-{waiting.pk}"') :]
    row = row[: row.index("</li>")]
    assert 'class="tap"' in row and "Check in" in row and "Cancel registration" in row
    assert f"More actions for {waiting.name}" in row


def test_check_in_list_htmx_search_returns_only_the_rows(checkin):
    response = checkin["client"].get(
        participants_url(checkin["event"]), {"q": "person 2"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html and "1 registration" in html and "person 2" in html


def test_check_in_list_keeps_the_search_in_page_links(checkin, register_many):
    register_many(checkin["event"], 60, prefix="guest")
    page = checkin["client"].get(participants_url(checkin["event"]), {"q": "guest & co"})
    assert page.status_code == 200
    page = checkin["client"].get(participants_url(checkin["event"]), {"q": "guest"})
    assert "?q=guest&amp;status=&amp;page=2" in page.content.decode()
    assert page.context["query"] == "q=guest&status="
    page = checkin["client"].get(participants_url(checkin["event"]), {"q": "a&b=c"})
    assert page.context["query"] == "q=a%26b%3Dc&status="


def test_an_unknown_status_is_named_and_ignored(checkin):
    response = checkin["client"].get(participants_url(checkin["event"]), {"status": "vip"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Status: “vip” is not a status; every status is shown." in page
    assert "4 registrations" in page
    assert '<details class="checkin-tools">' in page  # nothing chosen: the tools stay folded


def test_a_known_status_filters_and_opens_the_tools(checkin):
    response = checkin["client"].get(participants_url(checkin["event"]), {"status": "attended"})
    page = response.content.decode()
    assert "1 registration" in page and '<details class="checkin-tools" open>' in page
    assert '<option value="attended" selected>' in page


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("network", 200),
        ("coord_no", 200),
        ("editor_no", 200),
        ("member_no", 403),
        ("coord_pt", 403),
        ("anonymous", 302),
    ],
)
def test_check_in_list_search_is_for_organisers_only(checkin, login, personas, persona, expected):
    response = login(personas[persona]).get(
        participants_url(checkin["event"]), {"q": "silva"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == expected
    if expected != 200:
        assert b"Silva" not in response.content


def test_the_month_follows_its_filters_like_the_list(client, db):
    """#16 item 6: every list filters live (htmx) with a button for no-JS; the month answers an
    htmx request with its links, grid and agenda only, keeping the filter in the month links."""
    page = client.get("/events/month/2026/3/?audience=citizens")
    html = page.content.decode()
    assert 'hx-target="#month-body"' in html and '<div id="month-body">' in html
    partial = client.get("/events/month/2026/3/?audience=citizens", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert partial.status_code == 200 and "<html" not in body
    assert "/events/month/2026/4/?audience=citizens" in body and 'class="month-agenda"' in body
