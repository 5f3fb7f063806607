"""Network maps too large to compute in a request: computed by the worker, stored, served.

A selection (scope, period, filters, with or without the stakeholder register) whose graph would
have more than ``ECHOS_NETWORK_INLINE_MAX_NODES`` nodes is never built in a request. Default 500:
on the loaded bench machine the biggest hub of the Europe-scale data (487 nodes) takes 0.8 s
with its files, 630 nodes take 2.5 s (betweenness is exact up to 2,000 nodes), and the whole
network (51,000 nodes) 44 s and 1 GiB.
The page, the API and the exports answer from the latest stored result of that selection — a
``NetworkResult`` row (what the page shows) and files under ``DATA_DIR/engagement/network/`` (every
node and tie for the API, paged without reading the rest; the snapshot figures; the GEXF and
GraphML files) — and say how old it is. A missing result,
or one older than ``ECHOS_NETWORK_MAX_AGE`` seconds, queues one background job: the row's
``queued_at`` is claimed by a conditional UPDATE, so a hundred visitors queue one job (a job that
has not finished after ``QUEUE_TIMEOUT`` may be queued again). The whole network's default
selection is also recomputed nightly (``network_tasks``).

Why the database and files rather than the cache: the cache is per process without Redis and may
evict; a stored result must survive restarts and be shared by every app process and the worker.

Smaller selections are computed in the request as before (``network_views.network_map``).
"""

import json
import os
import time
from datetime import timedelta
from hashlib import sha256
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation, guard
from echos.engagement import graph
from echos.engagement import network_views as nv
from echos.engagement.models import EngagementRecord, NetworkResult, NetworkSnapshot, Stakeholder
from echos.hubs.models import Hub, Membership, Organisation

DEFAULT_INLINE_MAX_NODES = 500
DEFAULT_MAX_AGE = 3600
QUEUE_TIMEOUT = timedelta(minutes=30)
MAX_QUEUED = 4
KEEP = timedelta(days=7)
RETRY_AFTER = 60
TABLE_ROWS = 200
MAX_DRAWN_NODES = 300
LISTED = 50


def inline_max_nodes() -> int:
    return int(
        getattr(
            settings,
            "ECHOS_NETWORK_INLINE_MAX_NODES",
            os.getenv("ECHOS_NETWORK_INLINE_MAX_NODES", DEFAULT_INLINE_MAX_NODES),
        )
    )


def max_age() -> timedelta:
    seconds = getattr(
        settings, "ECHOS_NETWORK_MAX_AGE", os.getenv("ECHOS_NETWORK_MAX_AGE", DEFAULT_MAX_AGE)
    )
    return timedelta(seconds=int(seconds))


def estimated_nodes(hub: Hub | None, f: nv.Filters, *, with_register: bool) -> int:
    """The size of a selection's graph from counts (at most three queries), without reading it:
    hubs, records when shown one by one, and the organisations engaged, members or registered.
    Stops counting as soon as the limit is passed."""
    limit = inline_max_nodes()
    total = Hub.objects.count() if hub is None else 1
    if total > limit:
        return total
    records = nv._records(hub, f)
    n_records = records.count()
    total += 0 if n_records > graph.MAX_RECORD_NODES else n_records
    if total > limit:
        return total
    through = EngagementRecord.organisations.through
    orgs = Q(pk__in=through.objects.filter(engagementrecord__in=records.values("pk")).values(
        "organisation_id"))  # fmt: skip
    members = Membership.objects.exclude(status=Membership.Status.DECLINED).filter(
        nv._overlapping("", f)
    )
    if hub is not None:
        members = members.filter(hub=hub)
    orgs |= Q(pk__in=members.values("organisation_id"))
    if with_register:
        register = Stakeholder.objects.all() if hub is None else Stakeholder.objects.filter(hub=hub)
        orgs |= Q(pk__in=register.values("organisation_id"))
    found = Organisation.objects.filter(orgs)
    if f.group:
        found = found.filter(stakeholder_group__code=f.group)
    return total + found.count()


def too_large(hub: Hub | None, f: nv.Filters, *, with_register: bool) -> bool:
    return estimated_nodes(hub, f, with_register=with_register) > inline_max_nodes()


def key_of(hub: Hub | None, f: nv.Filters, *, with_register: bool) -> str:
    parts = {"hub": hub.pk if hub else None, **f.as_dict(), "register": with_register}
    return sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def directory() -> Path:
    return Path(settings.DATA_DIR) / "engagement" / "network"


def file_of(key: str, ext: str) -> Path:
    return directory() / f"{key}.{ext}"


def page_payload(m: nv.NetworkMap) -> dict:
    """What the page shows of a measured map (the same for a map computed now or stored)."""
    rows = m.rows()
    index = {r["id"]: i for i, r in enumerate(rows)}
    keys = ("id", "label", "kind", "country", "group", "level", "date", "degree", "betweenness")
    drawing = None
    if 0 < len(rows) <= MAX_DRAWN_NODES:
        drawing = {
            "nodes": [{**{k: r[k] for k in keys}, "community": r["community"]} for r in rows],
            "edges": [[index[e["source"]], index[e["target"]], e["kind"]] for e in m.edges()],
        }
    bridges, isolated = m.labelled(m.metrics.bridges), m.labelled(m.metrics.isolated)
    return {
        "with_register": m.with_register,
        "summary": m.summary,
        "rows": rows[:TABLE_ROWS],
        "more_rows": max(0, len(rows) - TABLE_ROWS),
        "drawing": drawing,
        "brokers": m.labelled(m.metrics.brokers),
        "bridges": bridges[:LISTED],
        "bridges_total": len(bridges),
        "isolated": isolated[:LISTED],
        "isolated_total": len(isolated),
    }


def _write(path: Path, writer) -> None:
    """Write through a temporary file renamed into place: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    try:
        writer(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def compute(key: str) -> bool:
    """The background job: measure the selection of ``key``, store its page, table and files."""
    row = NetworkResult.objects.select_related("hub").filter(key=key).first()
    if row is None:
        return False
    started, at = time.perf_counter(), timezone.now()
    f = nv.Filters(start=row.period_start, end=row.period_end, **row.filters)
    m = nv.measured_map(hub=row.hub, filters=f, with_register=row.with_register)
    snapshot = graph.snapshot_metrics(m.g, m.metrics)
    snapshot["summary"].update(records_in_period=m.data.record_count, folded=m.data.folded)
    _write(file_of(key, "snapshot.json"), lambda p: p.write_text(json.dumps(snapshot)))
    _write_table(key, m)
    for fmt in graph.EXPORT_FORMATS:
        _write(file_of(key, fmt), lambda p, fmt=fmt: graph.write_export(m.g, m.metrics, fmt, p))
    NetworkResult.objects.filter(pk=row.pk).update(
        payload=page_payload(m),
        nodes=m.g.number_of_nodes(),
        computed_at=at,
        seconds=round(time.perf_counter() - started, 2),
        queued_at=None,
    )
    return True


def enqueue(key: str) -> None:
    # cycle: network_tasks wraps ``compute`` of this module as a huey task
    from echos.engagement import network_tasks

    network_tasks.compute_network_map(key)


def _row(hub: Hub | None, f: nv.Filters, *, with_register: bool) -> NetworkResult:
    key = key_of(hub, f, with_register=with_register)
    defaults = {
        "hub": hub,
        "period_start": f.start,
        "period_end": f.end,
        "filters": {k: v for k, v in f.as_dict().items() if k in ("group", "objective")},
        "with_register": with_register,
    }
    try:
        with transaction.atomic():
            row, _created = NetworkResult.objects.get_or_create(key=key, defaults=defaults)
    except IntegrityError:  # another visitor created it at the same moment
        row = NetworkResult.objects.get(key=key)
    return row


def queue_once(row: NetworkResult) -> bool:
    """Queue the computation of ``row`` unless a job is already queued (one UPDATE decides), or
    ``MAX_QUEUED`` other selections are waiting (so many different filters cannot flood the
    worker: the page keeps saying "being computed" and a later visit queues it)."""
    now = timezone.now()
    busy = NetworkResult.objects.filter(queued_at__gte=now - QUEUE_TIMEOUT).exclude(pk=row.pk)
    if busy.count() >= MAX_QUEUED:
        return False
    claimed = (
        NetworkResult.objects.filter(pk=row.pk)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUE_TIMEOUT))
        .update(queued_at=now)
    )
    if not claimed:
        return False
    enqueue(row.key)
    return True


def stored(hub: Hub | None, f: nv.Filters, *, with_register: bool) -> NetworkResult:
    """The stored result of a selection; queues its computation when missing or older than
    ``ECHOS_NETWORK_MAX_AGE`` (once, whatever the number of visitors). Without a separate worker
    the job runs at once and the result is read back."""
    row = _row(hub, f, with_register=with_register)
    if row.computed_at is None or row.computed_at < timezone.now() - max_age():
        if queue_once(row):
            row.refresh_from_db()
    return row


def _write_table(key: str, m: nv.NetworkMap) -> None:
    """Every node (one JSON line each, most central first, with the byte offset of each line) and
    every tie (as the positions of its two nodes), so that a page of the API reads only its lines
    and selects its ties from arrays, whatever the size of the graph."""
    rows = m.rows()
    rank = {r["id"]: i for i, r in enumerate(rows)}
    edges = m.edges()
    kinds = sorted({e["kind"] for e in edges})
    kind_of = {k: i for i, k in enumerate(kinds)}
    lines = [json.dumps(r).encode() + b"\n" for r in rows]
    arrays = {
        "offsets": np.cumsum([0, *(len(line) for line in lines)], dtype=np.int64),
        "source": np.array([rank[e["source"]] for e in edges], dtype=np.int64),
        "target": np.array([rank[e["target"]] for e in edges], dtype=np.int64),
        "kind": np.array([kind_of[e["kind"]] for e in edges], dtype=np.int64),
        "weight": np.array([e["weight"] for e in edges], dtype=np.int64),
    }
    meta = {
        "kinds": kinds,
        "node_count": len(rows),
        "bridges": m.labelled(m.metrics.bridges),
        "isolated": m.labelled(m.metrics.isolated),
    }
    _write(file_of(key, "rows.jsonl"), lambda p: p.write_bytes(b"".join(lines)))

    def save(path: Path) -> None:
        with path.open("wb") as fh:
            np.savez(
                fh,
                offsets=arrays["offsets"],
                source=arrays["source"],
                target=arrays["target"],
                kind=arrays["kind"],
                weight=arrays["weight"],
            )

    _write(file_of(key, "npz"), save)
    _write(file_of(key, "meta.json"), lambda p: p.write_text(json.dumps(meta)))


def table_page(row: NetworkResult, offset: int, limit: int) -> dict | None:
    """A page of a stored result's nodes (most central first), the ties inside it, the findings
    and the node count (None if not yet written)."""
    paths = [file_of(row.key, ext) for ext in ("meta.json", "npz", "rows.jsonl")]
    if row.computed_at is None or not all(p.exists() for p in paths):
        return None
    meta = json.loads(paths[0].read_text())
    with np.load(paths[1]) as npz:
        arrays = {k: npz[k] for k in ("offsets", "source", "target", "kind", "weight")}
    first = min(offset, meta["node_count"])
    last = min(offset + limit, meta["node_count"])
    offsets = arrays["offsets"]
    with paths[2].open("rb") as fh:
        fh.seek(int(offsets[first]))
        chunk = fh.read(int(offsets[last] - offsets[first]))
    rows = [json.loads(line) for line in chunk.splitlines()]
    a, b = arrays["source"], arrays["target"]
    inside = np.flatnonzero((a >= first) & (a < last) & (b >= first) & (b < last))
    edges = [
        {
            "source": rows[int(a[i]) - first]["id"],
            "target": rows[int(b[i]) - first]["id"],
            "kind": meta["kinds"][int(arrays["kind"][i])],
            "weight": int(arrays["weight"][i]),
        }
        for i in inside
    ]
    return {**meta, "rows": rows, "edges": edges}


def stored_snapshot(row: NetworkResult) -> dict | None:
    path = file_of(row.key, "snapshot.json")
    if row.computed_at is None or not path.exists():
        return None
    return json.loads(path.read_text())


def export_file(row: NetworkResult, fmt: str) -> Path | None:
    path = file_of(row.key, fmt)
    return path if row.computed_at is not None and path.exists() else None


def prune() -> int:
    """Forget the results (rows and files) not computed in the last ``KEEP`` and not queued."""
    old = NetworkResult.objects.filter(
        Q(computed_at__lt=timezone.now() - KEEP) | Q(computed_at__isnull=True),
        Q(queued_at__isnull=True) | Q(queued_at__lt=timezone.now() - QUEUE_TIMEOUT),
    )
    keys = list(old.values_list("key", flat=True))
    for key in keys:
        for path in directory().glob(f"{key}.*"):
            path.unlink(missing_ok=True)
    old.delete()
    return len(keys)


def refresh_whole_network(today=None) -> int:
    """Recompute the whole network's default selection (the last 12 months), public and with the
    register, whatever their age, and prune the results nobody asked for in a week: the nightly
    task. Returns the results computed."""
    prune()
    f = nv.parse_filters(today=today or timezone.localdate())
    done = 0
    for with_register in (False, True):
        row = _row(None, f, with_register=with_register)
        NetworkResult.objects.filter(pk=row.pk).update(queued_at=timezone.now())
        done += compute(row.key)
    return done


def snapshot_of(hub: Hub | None, f: nv.Filters, *, with_register: bool) -> dict | None:
    """A selection's figures as a snapshot keeps them: computed now when small; else the stored
    result's (its computation queued when missing; None until it exists)."""
    if not too_large(hub, f, with_register=with_register):
        m = nv.measured_map(hub=hub, filters=f, with_register=with_register)
        snap = graph.snapshot_metrics(m.g, m.metrics)
        snap["summary"].update(records_in_period=m.data.record_count, folded=m.data.folded)
        return snap
    return stored_snapshot(stored(hub, f, with_register=with_register))


def compare_periods(*, user, hub: Hub | None, a: nv.Filters, b: nv.Filters) -> dict | None:
    """Two periods side by side (what ``user`` may see of each); None while a large period's
    figures are being computed in the background."""
    with_register = nv.sees_register(user, hub)
    metrics = []
    for f in (a, b):
        snap = snapshot_of(hub, f, with_register=with_register)
        if snap is None:
            return None
        snap["summary"]["records"] = snap["summary"].get("records_in_period", 0)
        metrics.append(snap)
    return graph.compare(metrics[0], metrics[1])


def save_snapshot(
    *, actor, hub: Hub | None, filters: nv.Filters, label: str = ""
) -> NetworkSnapshot:
    """``network_views.save_snapshot``, from the stored result when the selection is large."""
    with_register = True if actor is None else nv.sees_register(actor, hub)
    metrics = None
    if too_large(hub, filters, with_register=with_register):
        guard(nv.can_snapshot(actor, hub), actor)
        metrics = snapshot_of(hub, filters, with_register=with_register)
        if metrics is None:
            raise RuleViolation(
                _(
                    "This network is large, so its figures are computed in the background. "
                    "They are being computed now: save the snapshot again in a minute."
                ),
                "start",
            )
    return nv.save_snapshot(actor=actor, hub=hub, filters=filters, label=label, metrics=metrics)
