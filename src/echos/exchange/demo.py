"""Demo data of the network of support (``data/demo.json``): Malta's roadmap and its real
pre-inception dialogue, the real Oslo and Utrecht exchanges with invented commitments, a roadmap
offering a stage change, twinnings and support requests. Sources are named in the file."""

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from echos.core.models import Country, Term
from echos.exchange import roadmap, sessions, support, twinning
from echos.exchange.models import (
    Answer,
    Commitment,
    ExchangeSession,
    Invitation,
    Roadmap,
    SupportRequest,
)
from echos.hubs.models import Hub

DATA = Path(__file__).parent / "data" / "demo.json"


def _national(code: str) -> Hub | None:
    return Hub.objects.national().filter(country_id=code).order_by("pk").first()


def _day(spec: dict, prefix: str) -> date | None:
    """A date given as ISO text (``<prefix>``) or relative to today."""
    today = timezone.localdate()
    if spec.get(prefix):
        return date.fromisoformat(spec[prefix])
    if spec.get(f"{prefix}_days_ago") is not None:
        return today - timedelta(days=spec[f"{prefix}_days_ago"])
    if spec.get(f"{prefix}_in_days") is not None:
        return today + timedelta(days=spec[f"{prefix}_in_days"])
    return None


def _roadmaps(rows: list[dict]) -> int:
    made = 0
    for row in rows:
        country = Country.objects.get(pk=row["country"])
        if Roadmap.objects.filter(country=country).exists() or not roadmap.eligible(country):
            continue
        r = roadmap.create_roadmap(actor=None, country=country, notes=row["notes"], is_demo=True)
        for code, spec in row["steps"].items():
            changes: dict[str, Any] = {"status": spec["status"]}
            for name in ("owner", "evidence", "link"):
                if spec.get(name):
                    changes[name] = spec[name]
            due = _day(spec, "due")
            if due:
                changes["due"] = due
            done = _day(spec, "completed_on")
            if done:
                changes["completed_on"] = done
            roadmap.update_step(actor=None, step=r.steps.get(code=code), **changes)
        made += 1
    return made


def _session(row: dict, sources: dict[str, dict]) -> ExchangeSession | None:
    host = _national(row["host"])
    if host is None:
        return None
    source = sources[row["source"]]
    event = {
        "title": row["title"],
        "description": row["description"],
        "format": "in_person",
        "languages": row["languages"],
        "start": datetime.fromisoformat(row["start"]),
        "end": datetime.fromisoformat(row["end"]),
        "time_zone": row["time_zone"],
        "status": "published",
        "objectives": row["objectives"],
    }
    participating = [h.pk for c in row.get("participating", []) if (h := _national(c))]
    s = sessions.create_session(
        actor=None,
        hub=host,
        kind=row["kind"],
        event={**event, "country": row["country"]},
        is_demo=True,
        participating_hubs=participating,
        countries=row["countries"],
        objectives=row["objectives"],
        dimensions=row["dimensions"],
        goals=row["goals"],
        materials=row["materials"],
        conclusions=row["conclusions"],
        next_steps=row.get("next_steps", ""),
        challenges=row["challenges"],
        source=f"{source['publisher']}: {source['title']} — {source['url']}"[:300],
    )
    for group, name in row.get("invitations", []):
        Invitation.objects.create(
            session=s,
            stakeholder_group_id=_group_id(group),
            name=name,
            status=Invitation.Status.ATTENDED,
        )
    if row.get("dialogue_status"):
        ExchangeSession.objects.filter(pk=s.pk).update(dialogue_status=row["dialogue_status"])
    for c in row.get("commitments", []):
        hub = _national(c["hub"])
        if hub is None:
            continue
        made = sessions.add_commitment(
            actor=None,
            session=s,
            hub=hub,
            owner=c["owner"],
            what=c["what"],
            due=_day(c, "due"),
            is_demo=True,
        )
        done = _day(c, "done_on")
        if done:
            Commitment.objects.filter(pk=made.pk).update(
                status=Commitment.Status.DONE, done_on=done
            )
    return s


def _group_id(code: str) -> int:

    return Term.objects.get(vocabulary=Term.Vocabulary.STAKEHOLDER_GROUPS, code=code).pk


def _levels(spec: dict | None, hubs: dict[str, Hub]) -> dict:
    return {str(hubs[c].pk): levels for c, levels in (spec or {}).items() if c in hubs}


def _twinnings(rows: list[dict]) -> int:
    made = 0
    today = timezone.localdate()
    for row in rows:
        hubs = {c: h for c in row["hubs"] if (h := _national(c))}
        if len(hubs) < 2:
            continue
        start = today - timedelta(days=row["start_days_ago"])
        end = (
            today + timedelta(days=row["end_in_days"])
            if "end_in_days" in row
            else today - timedelta(days=row["end_days_ago"])
        )
        t = twinning.create_twinning(
            actor=None,
            title=row["title"],
            hubs=list(hubs.values()),
            dimensions=row["dimensions"],
            goals=row["goals"],
            start=start,
            end=end,
            practice=row.get("practice", ""),
            adaptation=row.get("adaptation", ""),
            milestones=[
                {"title": m[0], "due": today + timedelta(days=m[1])} for m in row["milestones"]
            ],
            levels_before=_levels(row.get("before"), hubs),
            is_demo=True,
        )
        for m, spec in zip(t.milestones.order_by("due", "pk"), row["milestones"], strict=False):
            if spec[2]:
                twinning.mark_milestone(actor=None, milestone=m, done_on=m.due)
        for text in row.get("notes", []):
            twinning.add_note(actor=None, twinning=t, text=text)
        if row.get("status"):
            twinning.update_twinning(
                actor=None,
                twinning=t,
                status=row["status"],
                outcome=row.get("outcome", ""),
                levels_after=_levels(row.get("after"), hubs),
            )
        made += 1
    return made


def _requests(rows: list[dict]) -> int:
    made = 0
    for row in rows:
        hub = _national(row["hub"])
        if hub is None:
            continue
        asked = [h.pk for c in row["asked"] if (h := _national(c))]
        r = support.create_request(
            actor=None,
            hub=hub,
            title=row["title"],
            text=row["text"],
            dimension=row["dimension"],
            visibility=row["visibility"],
            asked_hubs=asked,
            is_demo=True,
        )
        start = timezone.now() - timedelta(days=3)
        SupportRequest.objects.filter(pk=r.pk).update(created_at=start)
        for code, text, hours in row["answers"]:
            answering = _national(code)
            item = support.answer(actor=None, request=r, text=text, hub=answering, is_demo=True)
            Answer.objects.filter(pk=item.pk).update(
                at=start + timedelta(hours=hours), author_name="Demo member (invented person)"
            )
        r.refresh_from_db()
        if r.first_answered_at:
            first = r.answers.exclude(hub=hub).order_by("at").values_list("at", flat=True).first()
            SupportRequest.objects.filter(pk=r.pk).update(first_answered_at=first)
        if row["status"] == "closed":
            support.set_request_status(actor=None, request=r, status="closed")
        made += 1
    return made


@transaction.atomic
def load_demo() -> dict:
    """Load the demo roadmaps, sessions, twinnings and requests once (skipped when present)."""
    if ExchangeSession.objects.filter(is_demo=True).exists():
        return {"skipped": True}
    data = json.loads(DATA.read_text(encoding="utf-8"))
    sources = {s["key"]: s for s in data["sources"]}
    made_sessions = [s for row in data["sessions"] if (s := _session(row, sources))]
    return {
        "roadmaps": _roadmaps(data["roadmaps"]),
        "sessions": len(made_sessions),
        "commitments": Commitment.objects.filter(is_demo=True).count(),
        "twinnings": _twinnings(data["twinnings"]),
        "requests": _requests(data["requests"]),
    }
