"""API of the engagement network (mounted on the engagement router): the network map (public, with
the register for the hub's team), its GEXF/GraphML files, snapshots and their comparison (the
hub's team; the network's for the whole network), and the multistakeholder use cases with the hubs
that engage their groups (public reads, network coordinators write). Same services as the pages.
"""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from echos.core.api import TokenAuth, api_user, page_of, paginate
from echos.core.exceptions import RuleViolation
from echos.engagement import graph, usecases
from echos.engagement import network_store as store
from echos.engagement import network_views as nv
from echos.engagement.coverage import last_twelve_months
from echos.engagement.models import NetworkSnapshot, UseCase
from echos.hubs.models import Hub

router = Router(tags=["engagement"])
auth = TokenAuth()
MAX_ID = 2**63 - 1
MAX_NODES = 5_000


class NodeOut(Schema):
    """An organisation, hub or engagement record with its figures (never a person)."""

    id: str = Field(description="org:<id>, hub:<id> or rec:<id>")
    kind: Literal["organisation", "hub", "record"]
    label: str
    country: str
    group: str
    level: str
    date: str
    degree: int
    degree_centrality: float
    betweenness: float
    community: int


class EdgeOut(Schema):
    source: str
    target: str
    kind: str = Field(description="membership, participation, record, engagement (folded records) "
                      "or relationship:<kind>; several joined by ';'")  # fmt: skip
    weight: int


class NamedNodeOut(Schema):
    id: str
    label: str
    country: str


class SummaryOut(Schema):
    nodes: int
    edges: int
    organisations: int
    hubs: int
    records: int
    records_in_period: int
    communities: int
    bridge_edges: int
    exact_betweenness: bool
    folded: bool


class EngagementNetworkOut(Schema):
    hub: int | None
    start: dt.date
    end: dt.date
    group: str
    objective: str
    includes_register: bool
    summary: SummaryOut
    brokers: list[NamedNodeOut]
    bridges: list[NamedNodeOut]
    isolated: list[NamedNodeOut]
    node_count: int
    nodes: list[NodeOut] = Field(description="Most central first; a page of limit/offset")
    edges: list[EdgeOut] = Field(description="The ties between the nodes of this page")
    computed_at: dt.datetime | None = Field(
        None,
        description="A large selection is computed in the background: when these figures were "
        "computed. Null: computed for this answer.",
    )
    refreshing: bool = Field(False, description="A newer computation is queued or running")


class NetworkPendingOut(Schema):
    state: Literal["computing"]
    retry_after: int = Field(description="Seconds to wait before asking again")
    detail: str


class SnapshotOut(Schema):
    id: int
    hub: int | None
    label: str
    period_start: dt.date
    period_end: dt.date
    filters: dict[str, str]
    summary: dict[str, int | bool]
    created_at: dt.datetime


class SnapshotDetailOut(SnapshotOut):
    brokers: list[str]
    bridges: list[str]
    isolated: list[str]
    nodes: dict[str, dict[str, str | int | float]]


class SnapshotIn(Schema):
    hub: int | None = Field(None, ge=1, le=MAX_ID, description="Empty: the whole network")
    start: dt.date | None = None
    end: dt.date | None = None
    group: str = Field("", description="stakeholder_groups code")
    objective: str = Field("", description="objectives code")
    label: str = Field("", max_length=120)


class CompareRowOut(Schema):
    measure: str
    a: int
    b: int
    change: int


class LabelledOut(Schema):
    id: str
    label: str


class CompareOut(Schema):
    a: int
    b: int
    summary: list[CompareRowOut]
    entered_brokers: list[LabelledOut]
    left_brokers: list[LabelledOut]
    newly_isolated: list[LabelledOut]
    no_longer_isolated: list[LabelledOut]


class UseCaseOut(Schema):
    id: int
    title: str
    description: str
    mission_action: str
    groups: list[str]
    source: str
    is_demo: bool
    url: str


class UseCaseIn(Schema):
    title: str = Field(max_length=250)
    description: str = Field(max_length=20_000)
    mission_action: str = Field(max_length=250)
    groups: list[str] = Field(min_length=1, max_length=usecases.MAX_GROUPS)
    source: str = Field("", max_length=300)


class UseCasePatch(Schema):
    title: str | None = Field(None, max_length=250)
    description: str | None = Field(None, max_length=20_000)
    mission_action: str | None = Field(None, max_length=250)
    groups: list[str] | None = Field(None, min_length=1, max_length=usecases.MAX_GROUPS)
    source: str | None = Field(None, max_length=300)


class HubCoverageOut(Schema):
    hub: int
    name: str
    country: str
    level: str
    engaged: list[str]
    missing: list[str]
    complete: bool


class UseCaseCoverageOut(Schema):
    use_case: int
    start: dt.date
    end: dt.date
    groups: list[str]
    per_group: dict[str, int] = Field(description="Hubs engaging each group at involve or above")
    complete: int = Field(description="Hubs engaging every group")
    partial: int
    none: int
    hubs: list[HubCoverageOut] = Field(description="Hubs engaging all or some of the groups")


def _hub(pk: int | None) -> Hub | None:
    if pk is None:
        return None
    hub = Hub.objects.filter(pk=pk).first()
    if hub is None:
        raise RuleViolation("No such hub.", "hub")
    return hub


def _filters(start, end, group, objective) -> nv.Filters:
    return nv.parse_filters(
        start=start, end=end, group=group, objective=objective, today=timezone.localdate()
    )


@router.get(
    "/engagement-network",
    response={200: EngagementNetworkOut, 202: NetworkPendingOut},
    summary="The engagement network map",
)
def engagement_network(
    request,
    hub: int | None = Query(None, ge=1, le=MAX_ID, description="Empty: the whole network"),
    start: dt.date | None = Query(None, description="Default: 12 months before end"),
    end: dt.date | None = Query(None, description="Default: today"),
    group: str = Query("", description="stakeholder_groups code"),
    objective: str = Query("", description="objectives code"),
    limit: int = Query(1000, description=f"Nodes per page, at most {MAX_NODES}"),
    offset: int = Query(0),
):
    """Nodes, ties and figures of a hub's network (or the whole network's), most central first.

    Public; with a token of the hub's team (network coordinators for the whole network) the
    stakeholder register's entries are included. A selection larger than the site's inline limit
    is answered from the result the background job stored (``computed_at`` says when); until the
    first one exists the answer is 202 with ``retry_after``.
    """
    if limit < 1 or limit > MAX_NODES:
        raise RuleViolation(f"limit must be between 1 and {MAX_NODES}.", "limit")
    if offset < 0:
        raise RuleViolation("offset must not be negative.", "offset")
    user, scope = api_user(request), _hub(hub)
    f = _filters(start, end, group, objective)
    with_register = nv.sees_register(user, scope)
    out: dict[str, Any] = {
        "hub": hub,
        "start": f.start,
        "end": f.end,
        "group": f.group,
        "objective": f.objective,
        "includes_register": with_register,
    }
    if store.too_large(scope, f, with_register=with_register):
        row = store.stored(scope, f, with_register=with_register)
        table = store.table_page(row, offset, limit)
        if table is None:
            return Status(202, {
                "state": "computing", "retry_after": store.RETRY_AFTER,
                "detail": "This network is large: its figures are being computed in the "
                          "background; ask again in a minute.",
            })  # fmt: skip
        out.update(
            summary=row.payload["summary"],
            brokers=row.payload["brokers"],
            bridges=table["bridges"],
            isolated=table["isolated"],
            computed_at=row.computed_at,
            refreshing=row.queued_at is not None,
            node_count=table["node_count"],
            nodes=table["rows"],
            edges=table["edges"],
        )
        return out
    m = nv.measured_map(hub=scope, filters=f, with_register=with_register)
    rows, edges = m.rows(), m.edges()
    out.update(
        summary=m.summary,
        brokers=m.labelled(m.metrics.brokers),
        bridges=m.labelled(m.metrics.bridges),
        isolated=m.labelled(m.metrics.isolated),
    )
    page = rows[offset : offset + limit]
    ids = {r["id"] for r in page}
    out.update(
        node_count=len(rows),
        nodes=page,
        edges=[e for e in edges if e["source"] in ids and e["target"] in ids],
    )
    return out


@router.get(
    "/engagement-network/export/{fmt}",
    response={200: None},
    summary="The engagement network map as GEXF or GraphML",
    openapi_extra={
        "responses": {
            200: {
                "description": "The graph file",
                "content": {
                    t: {"schema": {"type": "string"}} for t in graph.EXPORT_FORMATS.values()
                },
            }
        }
    },
)
def engagement_network_export(
    request,
    fmt: Literal["gexf", "graphml"] = Path(...),
    hub: int | None = Query(None, ge=1, le=MAX_ID),
    start: dt.date | None = None,
    end: dt.date | None = None,
    group: str = "",
    objective: str = "",
):
    """Organisations, hubs and records with their figures, for Gephi, Kumu or yEd. A large
    selection's file is the one the background job wrote (503 with Retry-After until it exists).
    """
    scope = _hub(hub)
    f = _filters(start, end, group, objective)
    name = f"echos-network-{f'hub{hub}' if hub else 'all'}-{f.start}-{f.end}.{fmt}"
    with_register = nv.sees_register(api_user(request), scope)
    if store.too_large(scope, f, with_register=with_register):
        path = store.export_file(store.stored(scope, f, with_register=with_register), fmt)
        if path is None:
            pending = HttpResponse(
                "This network is large: its file is being prepared; ask again in a minute.",
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            pending["Retry-After"] = str(store.RETRY_AFTER)
            return pending
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=name,
            content_type=graph.EXPORT_FORMATS[fmt],
        )
    m = nv.measured_map(hub=scope, filters=f, with_register=with_register)
    response = HttpResponse(m.export(fmt), content_type=graph.EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def snapshot_out(s: NetworkSnapshot, detail: bool = False) -> dict:
    out = {
        "id": s.pk,
        "hub": s.hub_id,
        "label": s.label,
        "period_start": s.period_start,
        "period_end": s.period_end,
        "filters": s.filters,
        "summary": s.metrics.get("summary", {}),
        "created_at": s.created_at,
    }
    if detail:
        out.update({k: s.metrics.get(k, [] if k != "nodes" else {}) for k in
                    ("brokers", "bridges", "isolated", "nodes")})  # fmt: skip
    return out


def _snapshot(request, pk: int) -> NetworkSnapshot:
    snap = get_object_or_404(NetworkSnapshot.objects.select_related("hub"), pk=pk)
    if not nv.can_snapshot(request.user, snap.hub):
        raise PermissionDenied
    return snap


@router.get("/engagement-network/snapshots", response=page_of(SnapshotOut), auth=auth)
def list_network_snapshots(
    request,
    hub: int | None = Query(None, ge=1, le=MAX_ID, description="Empty: the whole network's"),
    limit: int = 50,
    offset: int = 0,
):
    """Snapshots of a hub (its team) or of the whole network (network coordinators)."""
    scope = _hub(hub)
    if not nv.can_snapshot(request.user, scope):
        raise PermissionDenied
    return paginate(nv.snapshots_of(scope), limit, offset, snapshot_out)


@router.post("/engagement-network/snapshots", response={201: SnapshotDetailOut}, auth=auth)
def create_network_snapshot(request, payload: SnapshotIn):
    """Keep the figures of a period."""
    scope = _hub(payload.hub)
    if not nv.can_snapshot(request.user, scope):
        raise PermissionDenied
    f = _filters(payload.start, payload.end, payload.group, payload.objective)
    snap = store.save_snapshot(actor=request.user, hub=scope, filters=f, label=payload.label)
    return Status(201, snapshot_out(snap, detail=True))


@router.get("/engagement-network/snapshots/{snapshot_id}", response=SnapshotDetailOut, auth=auth)
def get_network_snapshot(request, snapshot_id: int = Path(..., ge=1, le=MAX_ID)):
    return snapshot_out(_snapshot(request, snapshot_id), detail=True)


@router.get("/engagement-network/compare", response=CompareOut, auth=auth)
def compare_network_snapshots(
    request, a: int = Query(..., ge=1, le=MAX_ID), b: int = Query(..., ge=1, le=MAX_ID)
):
    """Two snapshots side by side; ``a`` is taken as the earlier period whatever the order."""
    result = nv.compare_snapshots(
        actor=request.user, a=_snapshot(request, a), b=_snapshot(request, b)
    )
    return {**result, "a": result["a"].pk, "b": result["b"].pk}


def use_case_out(u: UseCase) -> dict:
    return {
        "id": u.pk,
        "title": u.title,
        "description": u.description,
        "mission_action": u.mission_action,
        "groups": [t.code for t in u.groups.all()],
        "source": u.source,
        "is_demo": u.is_demo,
        "url": f"/engagement/use-cases/{u.pk}/",
    }


@router.get("/use-cases", response=page_of(UseCaseOut), summary="Multistakeholder use cases")
def list_use_cases(request, limit: int = 50, offset: int = 0):
    return paginate(UseCase.objects.prefetch_related("groups"), limit, offset, use_case_out)


@router.get("/use-cases/{use_case_id}", response=UseCaseOut)
def get_use_case(request, use_case_id: int = Path(..., ge=1, le=MAX_ID)):
    return use_case_out(get_object_or_404(UseCase, pk=use_case_id))


@router.post("/use-cases", response={201: UseCaseOut}, auth=auth)
def create_use_case(request, payload: UseCaseIn):
    """Network coordinators record a use case."""
    case = usecases.save_use_case(
        actor=request.user,
        title=payload.title,
        description=payload.description,
        mission_action=payload.mission_action,
        groups=payload.groups,
        source=payload.source,
    )
    return Status(201, use_case_out(case))


@router.patch("/use-cases/{use_case_id}", response=UseCaseOut, auth=auth)
def patch_use_case(request, payload: UseCasePatch, use_case_id: int = Path(..., ge=1, le=MAX_ID)):
    case = get_object_or_404(UseCase.objects.prefetch_related("groups"), pk=use_case_id)
    if not usecases.can_edit_use_cases(request.user):
        raise PermissionDenied
    data: dict[str, Any] = {
        "title": case.title,
        "description": case.description,
        "mission_action": case.mission_action,
        "groups": [t.code for t in case.groups.all()],
        "source": case.source,
    }
    data.update({k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None})
    return use_case_out(usecases.save_use_case(actor=request.user, use_case=case, **data))


@router.delete("/use-cases/{use_case_id}", response={204: None}, auth=auth)
def delete_use_case(request, use_case_id: int = Path(..., ge=1, le=MAX_ID)):
    case = get_object_or_404(UseCase, pk=use_case_id)
    usecases.delete_use_case(actor=request.user, use_case=case)
    return Status(204, None)


@router.get("/use-cases/{use_case_id}/coverage", response=UseCaseCoverageOut)
def use_case_coverage(
    request,
    use_case_id: int = Path(..., ge=1, le=MAX_ID),
    start: dt.date | None = Query(None, description="Default: 12 months before end"),
    end: dt.date | None = Query(None, description="Default: today"),
):
    """Hubs engaging the use case's groups at "involve" or above, and the groups they lack."""
    case = get_object_or_404(UseCase.objects.prefetch_related("groups"), pk=use_case_id)
    default_start, default_end = last_twelve_months(timezone.localdate())
    end = end or default_end
    start = start or (end - (default_end - default_start))
    if (end - start).days > 366 * nv.MAX_PERIOD_YEARS:
        raise RuleViolation(
            f"The period may not be longer than {nv.MAX_PERIOD_YEARS} years.", "end"
        )
    table = usecases.coverage(case, start=start, end=end)
    return {
        "use_case": case.pk,
        "start": table.start,
        "end": table.end,
        "groups": [g.code for g in table.groups],
        "per_group": table.per_group,
        "complete": len(table.complete),
        "partial": len(table.partial),
        "none": table.none,
        "hubs": [
            {
                "hub": h.hub_id,
                "name": h.name,
                "country": h.country,
                "level": h.level,
                "engaged": h.engaged,
                "missing": h.missing,
                "complete": h.complete,
            }
            for h in table.hubs
        ],
    }
