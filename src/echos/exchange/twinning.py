"""Twinning agreements between hubs: goals on maturity dimensions, dates, milestones, notes, the
practice transferred and how it was adapted, and the self-rated levels before and after (read from
the hubs' maturity assessments when they exist)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation, guard
from echos.exchange import permissions as perms
from echos.exchange.levels import latest_levels
from echos.exchange.models import Milestone, ProgressNote, Twinning
from echos.exchange.sessions import MAX_TEXT, _text, clean_dimensions
from echos.hubs.models import Hub

MAX_HUBS = 12
MAX_MILESTONES = 50
TEXT_FIELDS = ("goals", "practice", "adaptation", "outcome")


def _hubs(ids) -> list[Hub]:
    ids = [h.pk if isinstance(h, Hub) else h for h in list(ids or [])]
    if len(ids) != len(set(ids)):
        raise RuleViolation(_("A hub cannot be twinned with itself."), "hubs")
    if len(ids) < 2:
        raise RuleViolation(_("A twinning needs at least two different hubs."), "hubs")
    if len(ids) > MAX_HUBS:
        raise RuleViolation(_("At most %(n)d hubs.") % {"n": MAX_HUBS}, "hubs")
    found = list(Hub.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        raise RuleViolation(_("Unknown hub."), "hubs")
    return found


def _dates(start, end) -> None:
    if not isinstance(start, date):
        raise RuleViolation(_("Give the start date."), "start")
    if not isinstance(end, date):
        raise RuleViolation(_("Give the end date."), "end")
    if end <= start:
        raise RuleViolation(_("The agreement must end after it starts."), "end")


def _levels(value, hubs: list[Hub], dimensions: list[str], field: str) -> dict:
    """{"<hub id>": {"<dimension>": 1-5 or null}} restricted to the agreement's hubs and dimensions."""
    if not isinstance(value, dict):
        raise RuleViolation(_("Give levels per hub and dimension."), field)
    ids = {str(h.pk) for h in hubs}
    out: dict[str, dict[str, int | None]] = {}
    for hub_id, levels in value.items():
        if str(hub_id) not in ids:
            raise RuleViolation(_("A level is given for a hub outside the agreement."), field)
        if not isinstance(levels, dict):
            raise RuleViolation(_("Give levels per hub and dimension."), field)
        row: dict[str, int | None] = {}
        for dim, level in levels.items():
            if dim not in dimensions:
                raise RuleViolation(
                    _("A level is given for a dimension the agreement does not target."), field
                )
            if level is not None and (
                isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5
            ):
                raise RuleViolation(_("Levels go from 1 to 5."), field)
            row[dim] = level
        out[str(hub_id)] = row
    return out


def assessed_levels(hubs: list[Hub], dimensions: list[str]) -> dict[str, dict[str, int | None]]:
    """Each hub's latest self-rated level on the targeted dimensions (missing when not assessed)."""
    out = {}
    for hub in hubs:
        levels = latest_levels(hub)
        if levels:
            out[str(hub.pk)] = {d: levels.get(d) for d in dimensions}
    return out


@transaction.atomic
def create_twinning(
    *,
    actor,
    title: str,
    hubs,
    dimensions,
    goals: str,
    start: date,
    end: date,
    practice: str = "",
    adaptation: str = "",
    milestones=(),
    levels_before: dict | None = None,
    is_demo: bool = False,
) -> Twinning:
    """Agree a twinning; the levels before are read from the assessments unless given."""
    found = _hubs(hubs)
    guard(perms.can_create_twinning(actor, found), actor)
    title = _text(title, "title", 200)
    if not title:
        raise RuleViolation(_("Give the agreement a title."), "title")
    dims = clean_dimensions(dimensions)
    if not dims:
        raise RuleViolation(_("Choose at least one maturity dimension."), "dimensions")
    goals = _text(goals, "goals")
    if not goals:
        raise RuleViolation(_("State the goals."), "goals")
    _dates(start, end)
    before = (
        _levels(levels_before, found, dims, "levels_before")
        if levels_before
        else assessed_levels(found, dims)
    )
    twinning = Twinning.objects.create(
        title=title,
        dimensions=dims,
        goals=goals,
        start=start,
        end=end,
        practice=_text(practice, "practice"),
        adaptation=_text(adaptation, "adaptation"),
        levels_before=before,
        is_demo=is_demo,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    twinning.hubs.set(found)
    for item in list(milestones)[:MAX_MILESTONES]:
        _add_milestone(twinning, item.get("title"), item.get("due"))
    log_action(
        actor=actor,
        action="exchange.twinning.created",
        target=twinning,
        data={"hubs": [h.pk for h in found], "dimensions": dims, "start": start, "end": end},
    )
    return twinning


def _add_milestone(twinning: Twinning, title, due) -> Milestone:
    title = _text(title, "milestones", 200)
    if not title:
        raise RuleViolation(_("Name the milestone."), "milestones")
    if not isinstance(due, date):
        raise RuleViolation(_("Give the milestone's date."), "milestones")
    if not twinning.start <= due <= twinning.end:
        raise RuleViolation(_("A milestone falls within the agreement's dates."), "milestones")
    return Milestone.objects.create(twinning=twinning, title=title, due=due)


UPDATABLE = {"title", "goals", "start", "end", "practice", "adaptation", "outcome", "status"}
LEVELS = {"levels_before", "levels_after"}


@transaction.atomic
def update_twinning(*, actor, twinning: Twinning, **changes) -> Twinning:
    """Change an agreement's text, dates, outcome or status; completing it reads the levels after."""
    twinning = Twinning.objects.select_for_update().get(pk=twinning.pk)
    guard(perms.can_edit_twinning(actor, twinning), actor)
    unknown = set(changes) - UPDATABLE - LEVELS
    if unknown:
        raise RuleViolation(_("Unknown field."), sorted(unknown)[0])
    before = {k: getattr(twinning, k) for k in UPDATABLE | LEVELS}
    changed = sorted(changes)
    if "title" in changes:
        changes["title"] = _text(changes["title"], "title", 200)
        if not changes["title"]:
            raise RuleViolation(_("Give the agreement a title."), "title")
    for name in TEXT_FIELDS:
        if name in changes:
            changes[name] = _text(changes[name], name, MAX_TEXT)
    if "goals" in changes and not changes["goals"]:
        raise RuleViolation(_("State the goals."), "goals")
    if "status" in changes and changes["status"] not in Twinning.Status.values:
        raise RuleViolation(_("Unknown status."), "status")
    _dates(changes.get("start", twinning.start), changes.get("end", twinning.end))
    hubs = list(twinning.hubs.all())
    for name in sorted(LEVELS & set(changes)):  # corrected by hand (page or API)
        setattr(twinning, name, _levels(changes.pop(name) or {}, hubs, twinning.dimensions, name))
    for name, value in changes.items():
        setattr(twinning, name, value)
    if twinning.status != Twinning.Status.ACTIVE and not twinning.levels_after:
        twinning.levels_after = assessed_levels(hubs, twinning.dimensions)
    twinning.save()
    log_action(
        actor=actor,
        action="exchange.twinning.updated",
        target=twinning,
        data={"before": before, "changed": changed},
    )
    return twinning


@transaction.atomic
def add_milestone(*, actor, twinning: Twinning, title: str, due: date) -> Milestone:
    guard(perms.can_edit_twinning(actor, twinning), actor)
    if twinning.milestones.count() >= MAX_MILESTONES:
        raise RuleViolation(_("At most %(n)d milestones.") % {"n": MAX_MILESTONES}, "milestones")
    milestone = _add_milestone(twinning, title, due)
    log_action(
        actor=actor,
        action="exchange.twinning.milestone_added",
        target=twinning,
        data={"milestone": milestone.pk, "title": milestone.title, "due": due},
    )
    return milestone


@transaction.atomic
def mark_milestone(*, actor, milestone: Milestone, done_on: date | None) -> Milestone:
    guard(perms.can_edit_twinning(actor, milestone.twinning), actor)
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    log_action(
        actor=actor,
        action="exchange.twinning.milestone_marked",
        target=milestone.twinning,
        data={"milestone": milestone.pk, "done_on": done_on},
    )
    return milestone


@transaction.atomic
def add_note(*, actor, twinning: Twinning, text: str) -> ProgressNote:
    guard(perms.can_edit_twinning(actor, twinning), actor)
    text = _text(text, "text", 5000)
    if not text:
        raise RuleViolation(_("Write the note."), "text")
    note = ProgressNote.objects.create(
        twinning=twinning,
        text=text,
        author=actor if actor is not None and actor.is_authenticated else None,
    )
    log_action(
        actor=actor,
        action="exchange.twinning.note_added",
        target=twinning,
        data={"note": note.pk},
    )
    return note
