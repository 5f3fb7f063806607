"""The hub's public list with its coverage table, the record page, and editing through forms."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from echos.engagement.models import EngagementRecord

pytestmark = pytest.mark.django_db


def cells(html: str, group_label: str) -> list[str]:
    """The cells of one stakeholder group's row in the coverage table."""
    table = html[html.index('id="coverage"') : html.index("</table>", html.index('id="coverage"'))]
    row = re.search(
        r"<tr>\s*<th scope=\"row\">" + re.escape(group_label) + r"</th>(.*?)</tr>", table, re.S
    )
    assert row, group_label
    return [
        re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    ]


def gaps(html: str) -> str:
    start = html.index('id="coverage-gaps"')
    return html[start : html.index("</section>", start)]


def test_public_list_counts_levels_by_group_and_names_the_gaps(client, hubs, make_record):
    today = timezone.localdate()
    make_record(date=today - timedelta(days=10), level="inform", stakeholder_groups=["citizens"])
    make_record(date=today - timedelta(days=20), level="inform", stakeholder_groups=["citizens"])
    make_record(
        date=today - timedelta(days=30), level="empower", stakeholder_groups=["citizens", "media"]
    )
    # Older than 12 months: listed, but not counted in the table, so research stays a gap.
    make_record(
        date=today - timedelta(days=400), level="collaborate", stakeholder_groups=["research"]
    )
    make_record(hub=hubs["portugal"], region=None, stakeholder_groups=["funders"])

    response = client.get(f"/engagement/hubs/{hubs['norway'].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    # Columns: inform, consult, involve, collaborate, empower, all levels, deepest level.
    assert cells(html, "Citizens") == ["2", "0", "0", "0", "1", "3", "Empower"]
    assert cells(html, "Media") == ["0", "0", "0", "0", "1", "1", "Empower"]
    assert cells(html, "Research and academia") == ["0", "0", "0", "0", "0", "0", "Not engaged"]
    assert "<caption>" in html and 'scope="col"' in html
    missing = gaps(html)
    assert "Research and academia" in missing and "Funders" in missing
    assert "Citizens" not in missing and "Media" not in missing
    # Four records of Norway are listed, Portugal's is not.
    assert html.count('href="/engagement/records/') == 4


def test_year_filter_moves_the_table_to_that_year(client, hubs, make_record):
    make_record(date=date(2023, 5, 1), level="involve", stakeholder_groups=["research"])
    make_record(date=date(2024, 5, 1), level="inform", stakeholder_groups=["patients"])
    html = client.get(f"/engagement/hubs/{hubs['norway'].pk}/", {"year": 2023}).content.decode()
    assert cells(html, "Research and academia")[:6] == ["0", "0", "1", "0", "0", "1"]
    assert cells(html, "Patients and patient organisations")[5] == "0"
    assert "Groups not engaged in 2023" in html
    assert html.count('href="/engagement/records/') == 1


def test_level_and_group_filters(client, hubs, make_record):
    a = make_record(title="Consulting patients", level="consult", stakeholder_groups=["patients"])
    b = make_record(title="Informing media", level="inform", stakeholder_groups=["media"])
    url = f"/engagement/hubs/{hubs['norway'].pk}/"
    html = client.get(url, {"level": "consult"}).content.decode()
    assert a.title in html and b.title not in html
    html = client.get(url, {"group": "media"}).content.decode()
    assert b.title in html and a.title not in html
    # Unknown values are ignored rather than failing the page.
    html = client.get(url, {"group": "aliens", "level": "x", "year": "abc"}).content.decode()
    assert a.title in html and b.title in html


def test_record_page_is_public_and_shows_the_buttons_only_to_editors(
    client, login, personas, make_record
):
    record = make_record()
    html = client.get(record.get_absolute_url()).content.decode()
    assert record.title in html and "Norwegian Cancer Society" in html and "Consult" in html
    assert "Turn into a synergy activity" not in html and "/edit/" not in html
    html = login(personas["member_no"]).get(record.get_absolute_url()).content.decode()
    assert "Turn into a synergy activity" not in html
    html = login(personas["editor_no"]).get(record.get_absolute_url()).content.decode()
    assert (
        "Turn into a synergy activity" in html and f"/engagement/records/{record.pk}/edit/" in html
    )
    assert f"/engagement/records/{record.pk}/delete/" in html


def test_hub_list_offers_recording_only_to_editors(client, login, personas, hubs):
    url = f"/engagement/hubs/{hubs['norway'].pk}/"
    new = f"/engagement/hubs/{hubs['norway'].pk}/new/"
    assert new not in client.get(url).content.decode()
    assert new not in login(personas["coord_pt"]).get(url).content.decode()
    assert new in login(personas["editor_no"]).get(url).content.decode()


def form_data(hubs, **extra):
    data = {
        "title": "Workshop with hospitals",
        "description": "Care pathways between hospitals and primary care.",
        "date": "2025-10-02",
        "end_date": "",
        "level": "involve",
        "stakeholder_groups": ["healthcare_providers", "patients"],
        "organisations": [str(hubs["ncs"].pk)],
        "participants": "18",
        "format": "workshop",
        "language": "nb",
        "region": "NO-46",
        "objectives": ["diagnosis_treatment"],
        "policy_areas": ["health"],
        "outcomes": "",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def test_create_through_the_form(login, personas, hubs):
    client = login(personas["editor_no"])
    response = client.post(f"/engagement/hubs/{hubs['norway'].pk}/new/", form_data(hubs))
    record = EngagementRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert record.hub == hubs["norway"] and record.level.code == "involve"
    assert [o.name for o in record.organisations.all()] == ["Norwegian Cancer Society"]
    assert record.created_by == personas["editor_no"]


def test_form_page_tells_people_not_to_name_persons(login, personas, hubs):
    html = login(personas["editor_no"]).get(f"/engagement/hubs/{hubs['norway'].pk}/new/")
    html = html.content.decode()
    assert "never private persons" in html
    # Only the hub's member organisations are offered.
    assert "Norwegian Cancer Society" in html and "AICIB" not in html
    assert "<fieldset" in html and "<legend>Stakeholder groups reached" in html


@pytest.mark.parametrize(
    "extra, field, label",
    [
        ({"stakeholder_groups": None}, "stakeholder_groups", "Stakeholder groups reached"),
        ({"participants": "-3"}, "participants", "Number of participants"),
        ({"language": "zz"}, "language", "Language"),
        ({"end_date": "2025-09-01"}, "end_date", "End date"),
        ({"title": ""}, "title", "Title"),
    ],
)
def test_form_errors_name_the_field(login, personas, hubs, extra, field, label):
    client = login(personas["editor_no"])
    response = client.post(f"/engagement/hubs/{hubs['norway'].pk}/new/", form_data(hubs, **extra))
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    summary = html[
        html.index('id="form-errors"') : html.index("</div>", html.index('id="form-errors"'))
    ]
    assert f">{label}</a>:" in summary
    assert not EngagementRecord.objects.exists()


def test_edit_through_the_form_keeps_what_was_not_shown_changed(login, personas, make_record, hubs):
    record = make_record()
    client = login(personas["coord_no"])
    page = client.get(f"/engagement/records/{record.pk}/edit/").content.decode()
    assert 'value="Dialogue with patient organisations"' in page
    response = client.post(
        f"/engagement/records/{record.pk}/edit/",
        form_data(hubs, title="Renamed", stakeholder_groups=["media"]),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title == "Renamed"
    assert [t.code for t in record.stakeholder_groups.all()] == ["media"]


def test_delete_through_the_confirmation_page(login, personas, make_record, hubs):
    record = make_record()
    client = login(personas["editor_no"])
    page = client.get(f"/engagement/records/{record.pk}/delete/")
    assert page.status_code == 200 and record.title in page.content.decode()
    response = client.post(f"/engagement/records/{record.pk}/delete/")
    assert response["Location"] == f"/engagement/hubs/{hubs['norway'].pk}/"
    assert not EngagementRecord.objects.exists()


def test_unknown_hub_and_record_are_404(client):
    assert client.get("/engagement/hubs/999999/").status_code == 404
    assert client.get("/engagement/records/999999/").status_code == 404
