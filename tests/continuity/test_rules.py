"""The sustained-stage rule, the hub-page panel flags, revert, the XLSX export and scenario deltas."""

import io
import json
from datetime import date, timedelta
from decimal import Decimal

from openpyxl import load_workbook

from echos.continuity import services
from echos.continuity.models import FundingStream
from echos.core.models import ActionLog
from echos.core.revert import revert
from echos.hubs.models import StageChange


def _stage(client, hub, day="2026-01-05"):
    return client.post(
        f"/hubs/{hub.pk}/stage/", {"stage": "sustained", "date": day, "evidence": "x"}
    )


def test_sustained_refused_naming_each_missing_item(norway_model, personas, login, token_client):
    hub = norway_model["hub"]
    response = _stage(login(personas["coord_no"]), hub)
    text = response.content.decode()
    assert response.status_code == 422
    assert "24 months of runway on committed funding (the projection shows 14)" in text
    assert "a mandate (a document or decision recorded as evidence)" in text
    assert "a named successor for the coordinator role" in text
    api = token_client(personas["coord_no"]).post(
        f"/api/v1/hubs/{hub.pk}/stage-changes",
        json.dumps({"stage": "sustained", "date": "2026-01-05"}),
        content_type="application/json",
    )
    assert api.status_code == 400 and "named successor" in api.json()["detail"]
    assert not StageChange.objects.filter(hub=hub, stage="sustained").exists()


def test_sustained_passes_with_plan_mandate_and_successor(norway_model, personas, login):
    hub = norway_model["hub"]
    services.save_settings(
        actor=personas["coord_no"],
        hub=hub,
        continuity_plan="Plan adopted by the board.",
        mandate="Ministry decision 2025/12",
        successor="Deputy coordinator",
    )
    response = _stage(login(personas["coord_no"]), hub)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert StageChange.objects.filter(hub=hub, stage="sustained").exists()


def test_runway_alone_counts_as_the_plan(norway_model, personas):
    from echos.continuity.guards import sustained

    hub = norway_model["hub"]
    services.save_settings(
        actor=None, hub=hub, balance=Decimal("100000"), mandate="Decision", successor="Deputy"
    )
    assert sustained(hub, "sustained", date(2026, 1, 1)) == []
    assert sustained(hub, "operational", date(2026, 1, 1)) == []


def test_panel_flags_high_unmitigated_and_overdue(norway_model, personas, login):
    hub = norway_model["hub"]
    services.save_line(
        actor=None,
        kind="risk",
        hub=hub,
        title="Funder leaves",
        category="funding",
        likelihood=3,
        impact=5,
        owner="Coordinator",
        mitigation="",
        status="open",
    )
    services.save_line(
        actor=None,
        kind="risk",
        hub=hub,
        title="Mitigated one",
        category="funding",
        likelihood=5,
        impact=5,
        mitigation="Second funder",
        status="open",
        review_date=date.today() - timedelta(days=3),
    )
    services.save_line(
        actor=None,
        kind="risk",
        hub=hub,
        title="Low one",
        category="legal",
        likelihood=2,
        impact=7 - 4,
        mitigation="",
        status="open",
    )
    page = login(personas["coord_no"]).get(f"/hubs/{hub.pk}/").content.decode()
    assert 'id="continuity-high-risks"' in page and "Funder leaves" in page
    assert "Low one" not in page  # 2 × 3 = 6 is not high
    assert 'id="continuity-overdue"' in page and "Mitigated one" in page
    # Denied twin: Portugal's coordinator and the public see no panel (the canvas is unpublished).
    for who in ("coord_pt", "anonymous"):
        assert (
            'id="continuity-panel"'
            not in login(personas[who]).get(f"/hubs/{hub.pk}/").content.decode()
        )


def test_revert_of_a_change_deletion_and_creation(norway_model, personas):
    grant = norway_model["grant"]
    services.save_line(actor=personas["coord_no"], kind="stream", obj=grant, amount=Decimal("1"))
    entry = ActionLog.objects.filter(action="continuity.stream.updated").latest("pk")
    revert(actor=personas["network"], entry=entry)
    grant.refresh_from_db()
    assert grant.amount == Decimal("12000")
    services.delete_line(actor=personas["coord_no"], kind="stream", obj=grant)
    revert(
        actor=personas["network"],
        entry=ActionLog.objects.filter(action="continuity.stream.deleted").latest("pk"),
    )
    assert FundingStream.objects.filter(name="Ministry grant", amount=Decimal("12000")).exists()
    created = services.save_line(
        actor=personas["coord_no"],
        kind="risk",
        hub=norway_model["hub"],
        title="R",
        category="legal",
        likelihood=1,
        impact=1,
        status="open",
    )
    revert(
        actor=personas["network"],
        entry=ActionLog.objects.filter(action="continuity.risk.created").latest("pk"),
    )
    assert not type(created).objects.filter(pk=created.pk).exists()


def test_xlsx_export_opens_with_a_sheet_per_part(norway_model, personas, login):
    hub = norway_model["hub"]
    response = login(personas["coord_no"]).get(f"/continuity/hubs/{hub.pk}/export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Streams", "Costs", "Projection", "Scenarios", "Risks", "Canvas"]
    rows = list(book["Projection"].iter_rows(values_only=True))
    assert rows[1][0] == "2027-01" and isinstance(rows[1][3], float | int)
    assert len(rows) == 37


def test_scenario_comparison_deltas(norway_model, personas, login):
    hub, cost, maybe = norway_model["hub"], norway_model["cost"], norway_model["maybe"]
    services.save_line(
        actor=None,
        kind="scenario",
        hub=hub,
        name="Cut staff by a third",
        changes=[{"op": "scale_cost", "cost": str(cost.pk), "factor": "0.66"}],
    )
    services.save_line(
        actor=None,
        kind="scenario",
        hub=hub,
        name="No foundation",
        changes=[{"op": "remove_stream", "stream": str(maybe.pk)}],
    )
    response = login(personas["coord_no"]).get(f"/continuity/hubs/{hub.pk}/scenarios/")
    rows = {r["name"]: r for r in response.context["rows"]}
    assert rows["Baseline"]["runway"] == 14
    # Staff at 990 a month: +10 a month in 2027 (10,120), then -990 a month: 10 more months.
    assert rows["Cut staff by a third"]["runway"] == 22
    assert rows["Cut staff by a third"]["runway_delta"] == 8
    assert rows["No foundation"]["runway_delta"] == 0
    assert rows["No foundation"]["coverage_24"] == 0.0


def test_revert_of_a_canvas_version_and_settings(norway_model, personas):
    hub = norway_model["hub"]
    services.save_canvas(actor=personas["coord_no"], hub=hub, value_proposition="One")
    services.save_canvas(actor=personas["coord_no"], hub=hub, value_proposition="Two")
    revert(
        actor=personas["network"],
        entry=ActionLog.objects.filter(action="continuity.canvas.saved").latest("pk"),
    )
    assert services.current_canvas(hub).value_proposition == "One"
    services.save_settings(actor=personas["coord_no"], hub=hub, balance=Decimal("5"))
    revert(
        actor=personas["network"],
        entry=ActionLog.objects.filter(action="continuity.settings.updated").latest("pk"),
    )
    assert services.model_of(hub).balance == Decimal("10000")


def test_scenario_page_guided_change(norway_model, personas, login):
    hub, maybe = norway_model["hub"], norway_model["maybe"]
    client = login(personas["coord_no"])
    url = f"/continuity/hubs/{hub.pk}/scenario/new/"
    response = client.post(
        url,
        {
            "name": "Delay",
            "changes": "[]",
            "op": "delay_stream",
            "stream": str(maybe.pk),
            "months": "3",
        },
    )
    assert response.status_code == 302
    from echos.continuity.models import Scenario

    assert Scenario.objects.get().changes == [
        {"op": "delay_stream", "stream": str(maybe.pk), "months": 3}
    ]
    fees = {
        "name": "Fees",
        "changes": "",
        "op": "add_membership_fees",
        "amount": "500",
        "period": "month",
        "start": "2027-01",
    }
    assert client.post(url, fees).status_code == 302
    rows = {
        r["name"]: r for r in client.get(f"/continuity/hubs/{hub.pk}/scenarios/").context["rows"]
    }
    assert rows["Fees"]["runway_delta"] > 0
    bad = client.post(url, {**fees, "name": "Bad", "start": "2027-13"})
    assert bad.status_code == 422 and "changes[0].line.start" in bad.content.decode()
