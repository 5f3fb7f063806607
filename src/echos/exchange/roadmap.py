"""Establishment roadmaps: the steps (from the lifecycle and the maturity model), progress, the
checks read from data, the suggested next step and the stage change a roadmap offers.

Which steps define which stage follows ``hubs.models.STAGE_HINTS``: the inception dialogue makes
"inception dialogue held"; founding members, terms of reference, a coordination group and a first
meeting make "in establishment" (founding members committed, governance drafted); the launch,
first funding and a mandate make "launched". Recording the stage goes through the lifecycle
service ``hubs.services.record_stage_change`` — this module never writes a stage itself.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echos.core.audit import log_action, snapshot
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.core.models import Country, Term
from echos.core.rules import check_web_address
from echos.events.models import Event, EventType
from echos.exchange import permissions as perms
from echos.exchange.models import (
    KEY_GROUPS,
    ExchangeSession,
    Roadmap,
    RoadmapStep,
    StepStatus,
)
from echos.exchange.resources import attachable
from echos.hubs import services as hub_services
from echos.hubs.models import STAGE_HINTS, STAGE_ORDER, Hub, Membership, Stage, StageChange


@dataclass(frozen=True)
class StepDef:
    """A kind of roadmap step: the stage it helps reach and the maturity dimension it builds."""

    code: str
    title: object
    hint: object
    stage: str
    dimension: str


STEPS: tuple[StepDef, ...] = (
    StepDef(
        "inception_dialogue",
        gettext_lazy("Inception dialogue"),
        gettext_lazy(
            "Hold a dialogue with every key stakeholder group on whether and how to set up the hub."
        ),
        Stage.INCEPTION_DIALOGUE,
        "representation",
    ),
    StepDef(
        "founding_members",
        gettext_lazy("Founding members across the key stakeholder groups"),
        gettext_lazy("Commit founding members from each key stakeholder group."),
        Stage.ESTABLISHMENT,
        "representation",
    ),
    StepDef(
        "terms_of_reference",
        gettext_lazy("Terms of reference"),
        gettext_lazy(
            "Draft and agree the hub's terms of reference (purpose, membership, decisions)."
        ),
        Stage.ESTABLISHMENT,
        "governance",
    ),
    StepDef(
        "coordination_group",
        gettext_lazy("Coordination group"),
        gettext_lazy("Name the members of the coordination group."),
        Stage.ESTABLISHMENT,
        "governance",
    ),
    StepDef(
        "first_meeting",
        gettext_lazy("First meeting"),
        gettext_lazy("Hold the first meeting of the founding members."),
        Stage.ESTABLISHMENT,
        "activities",
    ),
    StepDef(
        "launch_event",
        gettext_lazy("Launch event"),
        gettext_lazy("Launch the hub publicly."),
        Stage.LAUNCHED,
        "communication",
    ),
    StepDef(
        "first_funding",
        gettext_lazy("First funding"),
        gettext_lazy("Secure the first funding for the hub's secretariat and activities."),
        Stage.LAUNCHED,
        "funding",
    ),
    StepDef(
        "mandate",
        gettext_lazy("Mandate"),
        gettext_lazy(
            "Obtain a mandate (from a ministry, the national cancer plan or the partners)."
        ),
        Stage.LAUNCHED,
        "alignment",
    ),
)
STEP_BY_CODE = {s.code: s for s in STEPS}
STAGES_WITH_STEPS = (Stage.INCEPTION_DIALOGUE, Stage.ESTABLISHMENT, Stage.LAUNCHED)
MAX_TEXT = 5000


@dataclass
class DataCheck:
    """What the data says about a step (e.g. "5 of 7 key groups among the members")."""

    met: bool
    text: str


@dataclass
class StageOffer:
    """A stage the roadmap's done steps define and the national hub has not reached."""

    stage: str
    label: str
    hint: str
    date: date
    evidence: str
    link: str
    hub: Hub | None


@dataclass
class Progress:
    """A roadmap's steps with their checks, the share done and the next step."""

    roadmap: Roadmap
    steps: list[RoadmapStep]
    checks: dict[str, DataCheck] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.is_done)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def next_step(self) -> RoadmapStep | None:
        """The first step not done, in the lifecycle's order."""
        return next((s for s in self.steps if not s.is_done), None)

    @property
    def next_title(self) -> str:
        """The title of the suggested next step ("" when every step is done)."""
        step = self.next_step
        return str(STEP_BY_CODE[step.code].title) if step else ""


def step_def(step: RoadmapStep) -> StepDef:
    return STEP_BY_CODE[step.code]


def eligible(country: Country) -> bool:
    """A roadmap is for a country with no national hub or one before "launched"."""
    hub = Hub.objects.national().filter(country=country).first()
    return hub is None or STAGE_ORDER[hub.stage] < STAGE_ORDER[Stage.LAUNCHED]


def key_group_check(hub: Hub | None) -> DataCheck:
    """Founding members across groups: the hub's current member organisations per key group."""
    if hub is None:
        return DataCheck(False, _("No national hub is registered yet, so no members are counted."))
    counts: dict[str, int] = {}
    for code in (
        Membership.objects.current()
        .filter(hub=hub)
        .values_list("organisation__stakeholder_group__code", flat=True)
    ):
        counts[code] = counts.get(code, 0) + 1
    covered = [g for g in KEY_GROUPS if counts.get(g)]
    labels = dict(Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS).values_list("code", "label"))
    missing = [str(labels.get(g, g)) for g in KEY_GROUPS if not counts.get(g)]
    text = _("%(n)d of %(total)d key stakeholder groups among the hub's members.") % {
        "n": len(covered),
        "total": len(KEY_GROUPS),
    }
    if missing:
        text += " " + _("Missing: %(groups)s.") % {"groups": ", ".join(missing)}
    return DataCheck(not missing, text)


def data_checks(roadmap: Roadmap) -> dict[str, DataCheck]:
    """The steps that can be checked from stored data, with what the data says."""
    hub = roadmap.national_hub
    checks = {"founding_members": key_group_check(hub)}
    dialogue = (
        ExchangeSession.objects.dialogues()
        .filter(event__country_id=roadmap.country_id, event__end__lte=timezone.now())
        .exclude(event__status=Event.Status.CANCELLED)
        .select_related("event")
        .order_by("-event__start")
        .first()
    )
    checks["inception_dialogue"] = (
        DataCheck(True, _("Held: %(title)s.") % {"title": dialogue.event.title})
        if dialogue
        else DataCheck(False, _("No inception dialogue of this country is on the calendar yet."))
    )
    if hub is not None:
        n = Membership.objects.current().filter(hub=hub, role="coordinating_group").count()
        checks["coordination_group"] = DataCheck(
            n > 0,
            _("%(n)d organisations in the hub's coordination group.") % {"n": n},
        )
        launched = (
            Event.objects.filter(hub=hub, type=EventType.LAUNCH, end__lte=timezone.now())
            .exclude(status=Event.Status.CANCELLED)
            .exists()
        )
        checks["launch_event"] = DataCheck(
            launched,
            _("A launch event of the hub took place.")
            if launched
            else _("No past launch event of the hub is on the calendar."),
        )
    return checks


def progress(roadmap: Roadmap) -> Progress:
    """The roadmap's steps in order, with their data checks."""
    steps = list(roadmap.steps.order_by("position"))
    return Progress(roadmap=roadmap, steps=steps, checks=data_checks(roadmap))


def stage_offer(roadmap: Roadmap, steps: list[RoadmapStep] | None = None) -> StageOffer | None:
    """The furthest stage whose defining steps are all done and that the national hub has not
    reached, with the steps' evidence attached; None when there is nothing to offer."""
    steps = steps if steps is not None else list(roadmap.steps.order_by("position"))
    hub = roadmap.national_hub
    current = STAGE_ORDER[hub.stage] if hub else 0
    by_stage: dict[str, list[RoadmapStep]] = {}
    for s in steps:
        by_stage.setdefault(step_def(s).stage, []).append(s)
    offer: StageOffer | None = None
    for stage in STAGES_WITH_STEPS:
        defining = by_stage.get(stage, [])
        if not defining or not all(s.is_done for s in defining):
            break
        if STAGE_ORDER[stage] <= current:
            continue
        dates = [s.completed_on for s in defining if s.completed_on]
        lines = [
            f"{step_def(s).title}: {s.evidence.strip() or _('done')}"
            + (f" ({s.completed_on.isoformat()})" if s.completed_on else "")
            for s in defining
        ]
        offer = StageOffer(
            stage=stage,
            label=str(Stage(stage).label),
            hint=str(STAGE_HINTS[Stage(stage)]),
            date=max(dates) if dates else timezone.localdate(),
            evidence="\n".join(lines),
            link=next((s.link for s in defining if s.link), "")
            or settings.SITE_URL.rstrip("/") + roadmap.get_absolute_url(),
            hub=hub,
        )
    return offer


@transaction.atomic
def create_roadmap(*, actor, country: Country, notes: str = "", is_demo: bool = False) -> Roadmap:
    """Start a country's roadmap with every step to do."""
    guard(perms.can_create_roadmap(actor, country.pk), actor)
    if not eligible(country):
        raise RuleViolation(
            _("%(country)s already has a launched national hub: no roadmap is needed.")
            % {"country": country.name},
            "country",
        )
    if Roadmap.objects.filter(country=country).exists():
        raise Conflict(_("This country already has a roadmap."), "country")
    roadmap = Roadmap.objects.create(
        country=country,
        notes=(notes or "").strip()[:MAX_TEXT],
        is_demo=is_demo,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    RoadmapStep.objects.bulk_create(
        RoadmapStep(roadmap=roadmap, code=s.code, position=i) for i, s in enumerate(STEPS)
    )
    log_action(
        actor=actor, action="exchange.roadmap.created", target=roadmap, data={"country": country.pk}
    )
    return roadmap


STEP_FIELDS = ["owner", "due", "status", "completed_on", "evidence", "link"]


@transaction.atomic
def update_step(*, actor, step: RoadmapStep, **changes) -> RoadmapStep:
    """Change a step's owner, due date, status or evidence; a done step needs its date."""
    step = (
        RoadmapStep.objects.select_for_update().select_related("roadmap__country").get(pk=step.pk)
    )
    guard(perms.can_edit_roadmap(actor, step.roadmap), actor)
    resources = changes.pop("resources", None)
    unknown = set(changes) - set(STEP_FIELDS)
    if unknown:
        raise RuleViolation(_("Unknown field."), sorted(unknown)[0])
    before = snapshot(step, STEP_FIELDS)
    if resources is not None:
        attached = attachable(actor, list(resources), "resources")
        step.resources.set(attached)
        before["resources"] = None
        changes_log = [r.pk for r in attached]
    else:
        changes_log = None
    for name in ("owner", "evidence"):
        if name in changes:
            changes[name] = str(changes[name] or "").strip()
    if len(changes.get("owner", "")) > 200:
        raise RuleViolation(_("The owner is longer than 200 characters."), "owner")
    if len(changes.get("evidence", "")) > MAX_TEXT:
        raise RuleViolation(
            _("The evidence is longer than %(n)d characters.") % {"n": MAX_TEXT}, "evidence"
        )
    if "link" in changes:
        changes["link"] = str(changes["link"] or "").strip()
        check_web_address(changes["link"], "link")
    if "status" in changes and changes["status"] not in StepStatus.values:
        raise RuleViolation(_("Unknown status."), "status")
    for name, value in changes.items():
        setattr(step, name, value)
    if step.status == StepStatus.DONE:
        if step.completed_on is None:
            step.completed_on = timezone.localdate()
        if step.completed_on > timezone.localdate():
            raise RuleViolation(_("A step cannot be completed in the future."), "completed_on")
    else:
        step.completed_on = None
    step.save()
    after = snapshot(step, STEP_FIELDS)
    changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changes_log is not None:
        changed["resources"] = [None, changes_log]
    if changed:
        log_action(
            actor=actor,
            action="exchange.roadmap_step.updated",
            target=step.roadmap,
            data={"step": step.pk, "code": step.code, "changed": changed},
        )
    return step


@transaction.atomic
def record_offered_stage(*, actor, roadmap: Roadmap) -> StageChange:
    """Record the stage the roadmap's done steps offer, with their evidence, through the lifecycle
    service (which checks the right, the date and the stage guards)."""
    offer = stage_offer(roadmap)
    if offer is None:
        raise RuleViolation(_("The roadmap offers no stage change yet."), "stage")
    if offer.hub is None:
        raise RuleViolation(
            _("Register the country's national hub first: a stage is recorded for a hub."), "hub"
        )
    guard(perms.can_record_stage(actor, offer.hub), actor)
    change = hub_services.record_stage_change(
        actor=actor,
        hub=offer.hub,
        stage=offer.stage,
        date=offer.date,
        evidence=offer.evidence,
        link=offer.link,
    )
    log_action(
        actor=actor,
        action="exchange.roadmap.stage_recorded",
        target=roadmap,
        data={"hub": offer.hub.pk, "stage": offer.stage, "stage_change": change.pk},
    )
    return change
