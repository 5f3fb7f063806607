"""Engagement records: who a hub engaged (stakeholder groups, organisations), how deeply, on what."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.models import Region, Term
from echos.hubs.models import Hub, Organisation


class Format(models.TextChoices):
    """The formats hubs use (issue #14); the first six are the original list, kept for old records."""

    MEETING = "meeting", _("Meeting")
    WORKSHOP = "workshop", _("Workshop")
    SURVEY = "survey", _("Survey")
    PUBLIC_EVENT = "public_event", _("Public event")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")
    PENTA_HELIX_WORKSHOP = "penta_helix_workshop", _("Penta Helix workshop")
    CONSULTATION = "consultation", _("Consultation")
    POLICY_DIALOGUE = "policy_dialogue", _("Policy dialogue")
    CAMPAIGN = "campaign", _("Campaign")
    TRAINING = "training", _("Training")
    CONFERENCE = "conference", _("Conference")
    CITIZEN_DIALOGUE = "citizen_dialogue", _("Citizen dialogue")
    MEDIA = "media", _("Media")


class RecordStatus(models.TextChoices):
    """A planned engagement may lie in the future; a held one may not."""

    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Sector(models.TextChoices):
    """The five Penta Helix sectors; a stakeholder group maps to one (``engagement.sectors``)."""

    PUBLIC = "public", _("Public sector")
    ACADEMIA = "academia", _("Academia and research")
    INDUSTRY = "industry", _("Industry")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    CITIZENS = "citizens", _("Citizens")


class EngagementRecordQuerySet(models.QuerySet):
    def between(self, start: date, end: date) -> "EngagementRecordQuerySet":
        """Records whose (first) day lies in [start, end]."""
        return self.filter(date__gte=start, date__lte=end)

    def at_level(self, code: str) -> "EngagementRecordQuerySet":
        return self.filter(level__code=code)

    def reaching(self, group_code: str) -> "EngagementRecordQuerySet":
        """Records that reached one stakeholder group (a join: a group is linked once per record)."""
        return self.filter(stakeholder_groups__code=group_code)


class EngagementRecord(models.Model):
    """One engagement of a hub with stakeholders: a meeting, workshop, survey, public event...

    It names organisations, never private persons: personal data stays out by design.
    """

    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="engagement_records", verbose_name=_("hub")
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"))
    date = models.DateField(_("date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    level = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("engagement level"),
        limit_choices_to={"vocabulary": Term.Vocabulary.ENGAGEMENT_LEVELS},
    )
    stakeholder_groups = models.ManyToManyField(
        Term,
        related_name="+",
        verbose_name=_("stakeholder groups reached"),
        limit_choices_to={"vocabulary": Term.Vocabulary.STAKEHOLDER_GROUPS},
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="engagement_records",
        verbose_name=_("organisations involved"),
    )
    participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    format = models.CharField(_("format"), max_length=24, choices=Format.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.HELD
    )
    language = models.CharField(_("language"), max_length=8, help_text=_("ISO 639-1 code, e.g. pl"))
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("region")
    )
    objectives = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        verbose_name=_("Mission objectives"),
        limit_choices_to={"vocabulary": Term.Vocabulary.OBJECTIVES},
    )
    policy_areas = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        verbose_name=_("policy areas"),
        limit_choices_to={"vocabulary": Term.Vocabulary.POLICY_AREAS},
    )
    outcomes = models.TextField(_("outcome notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EngagementRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["hub", "date"]),
            models.Index(fields=["hub", "level"]),
            # Covers the coverage aggregates (matrix, regions, trend): held records of a hub in
            # a period by level, region and participants, read from the index alone.
            models.Index(
                fields=["hub", "status", "date", "level", "region", "participants"],
                name="engrecord_coverage_idx",
            ),
        ]
        verbose_name = _("engagement record")
        verbose_name_plural = _("engagement records")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:record", args=[self.pk])


class ParticipantCount(models.Model):
    """How many participants of one stakeholder group took part in a record (never who)."""

    record = models.ForeignKey(
        EngagementRecord,
        on_delete=models.CASCADE,
        related_name="participant_counts",
        verbose_name=_("engagement record"),
    )
    group = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stakeholder group"),
        limit_choices_to={"vocabulary": Term.Vocabulary.STAKEHOLDER_GROUPS},
    )
    count = models.PositiveIntegerField(_("participants"))

    class Meta:
        ordering = ["record", "group__position"]
        constraints = [
            models.UniqueConstraint(fields=["record", "group"], name="participantcount_unique")
        ]
        verbose_name = _("participants of a group")
        verbose_name_plural = _("participants per group")

    def __str__(self) -> str:
        return f"{self.group}: {self.count}"


class FollowUp(models.Model):
    """An action agreed at an engagement: who does it, by when, and whether it is done."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    record = models.ForeignKey(
        EngagementRecord,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("engagement record"),
    )
    title = models.CharField(_("action"), max_length=250)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagement_follow_ups",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["status", "due_date"])]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")

    def __str__(self) -> str:
        return self.title


class StakeholderStatus(models.TextChoices):
    TO_APPROACH = "to_approach", _("To approach")
    ENGAGED = "engaged", _("Engaged")
    PARTNER = "partner", _("Partner")
    DORMANT = "dormant", _("Dormant")


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Stakeholder(models.Model):
    """An organisation in a hub's stakeholder register: a member or any organisation of the
    registry, in any country, with the hub team's view of its influence and interest."""

    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="stakeholders", verbose_name=_("hub")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="stakeholder_entries",
        verbose_name=_("organisation"),
    )
    group = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stakeholder group"),
        limit_choices_to={"vocabulary": Term.Vocabulary.STAKEHOLDER_GROUPS},
    )
    sector_override = models.CharField(
        _("Penta Helix sector (override)"),
        max_length=14,
        choices=Sector.choices,
        blank=True,
        help_text=_("Leave empty to derive the sector from the stakeholder group."),
    )
    influence = models.PositiveSmallIntegerField(_("influence"), validators=SCORE)
    interest = models.PositiveSmallIntegerField(_("interest"), validators=SCORE)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relationship owner"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=StakeholderStatus.choices,
        default=StakeholderStatus.TO_APPROACH,
    )
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["hub", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "organisation"], name="stakeholder_unique"),
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=5), name="stakeholder_influence_1_5"
            ),
            models.CheckConstraint(
                condition=Q(interest__gte=1, interest__lte=5), name="stakeholder_interest_1_5"
            ),
        ]
        indexes = [models.Index(fields=["hub", "status"])]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.hub})"

    @property
    def sector(self) -> str:
        """The override, else the sector of the group."""
        from echos.engagement.sectors import sector_of  # cycle: sectors imports Sector from here

        return self.sector_override or sector_of(self.group.code)


class Relationship(models.Model):
    """A dated, typed tie from one organisation to another, recorded by a hub's team."""

    class Kind(models.TextChoices):
        FUNDS = "funds", _("funds")
        REPRESENTS = "represents", _("represents")
        PARTNERS_WITH = "partners_with", _("partners with")
        HOSTS = "hosts", _("hosts")
        MEMBER_OF = "member_of", _("is a member of")

    source = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="relationships_out",
        verbose_name=_("from organisation"),
    )
    target = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="relationships_in",
        verbose_name=_("to organisation"),
    )
    kind = models.CharField(_("relationship"), max_length=14, choices=Kind.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    hub = models.ForeignKey(
        Hub,
        on_delete=models.CASCADE,
        related_name="relationships",
        verbose_name=_("recorded by hub"),
    )
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["source__name", "kind", "target__name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=F("target")), name="relationship_not_to_itself"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=F("since")),
                name="relationship_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["kind"])]
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class ImpactStage(models.TextChoices):
    """The columns of a logic model, in order."""

    INPUTS = "inputs", _("Inputs")
    ACTIVITIES = "activities", _("Activities")
    OUTPUTS = "outputs", _("Outputs")
    OUTCOMES = "outcomes", _("Outcomes")
    IMPACT = "impact", _("Impact")


class LogicElement(models.Model):
    """One box of a hub's impact model (logic model): an input, activity, output, outcome or
    impact."""

    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="logic_elements", verbose_name=_("hub")
    )
    stage = models.CharField(_("stage"), max_length=10, choices=ImpactStage.choices)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["hub", "stage", "position", "pk"]
        verbose_name = _("impact model element")
        verbose_name_plural = _("impact model elements")

    def __str__(self) -> str:
        return self.title


class Accumulation(models.TextChoices):
    """How an indicator's periods add up to the figure compared with its target."""

    PER_PERIOD = "per_period", _("Per period")
    CUMULATIVE = "cumulative", _("Cumulative")


class Indicator(models.Model):
    """A measure of a logic-model element; ``computation`` names a rule of
    ``engagement.indicators`` when the actual values come from the records themselves.
    ``accumulation`` says whether the target is met by a running total since ``baseline_date``
    (cumulative) or by one period's figure (per period); see ``engagement.impact``."""

    element = models.ForeignKey(
        LogicElement,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("impact model element"),
    )
    name = models.CharField(_("indicator"), max_length=250)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(
        _("target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    accumulation = models.CharField(
        _("how periods add up"),
        max_length=10,
        choices=Accumulation.choices,
        default=Accumulation.CUMULATIVE,
    )
    baseline_date = models.DateField(
        _("baseline date"),
        null=True,
        blank=True,
        help_text=_("A cumulative indicator counts from this date (empty: from the first period)."),
    )
    computation = models.CharField(
        _("computed from the records"),
        max_length=40,
        blank=True,
        help_text=_("Empty: actual values are entered by hand."),
    )
    parameter = models.CharField(
        _("parameter of the computation"),
        max_length=40,
        blank=True,
        help_text=_("e.g. the code of a stakeholder group"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["element", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target__isnull=True) | ~Q(unit=""), name="indicator_target_has_unit"
            )
        ]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class IndicatorValue(models.Model):
    """The actual value of an indicator over one period (entered, or computed from records)."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    actual = models.DecimalField(_("actual value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    is_computed = models.BooleanField(_("computed"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"], name="indicatorvalue_unique"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="indicatorvalue_period_order"
            ),
        ]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.actual}"


class UseCase(models.Model):
    """A Mission action where early multistakeholder cooperation is critical, recorded by the
    network with the stakeholder groups it needs."""

    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"))
    mission_action = models.CharField(
        _("Mission action"), max_length=250, help_text=_("The Mission on Cancer action it serves.")
    )
    groups = models.ManyToManyField(
        Term,
        related_name="+",
        verbose_name=_("stakeholder groups needed"),
        limit_choices_to={"vocabulary": Term.Vocabulary.STAKEHOLDER_GROUPS},
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("multistakeholder use case")
        verbose_name_plural = _("multistakeholder use cases")

    def __str__(self) -> str:
        return self.title


class NetworkSnapshot(models.Model):
    """The network map's figures for one period, kept so that two periods can be compared.

    ``hub`` empty: the whole network. ``metrics`` holds per-node degree, betweenness and community
    and the summary (nodes, edges, communities); organisations only, never people.
    """

    hub = models.ForeignKey(
        Hub,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_snapshots",
        verbose_name=_("hub"),
    )
    label = models.CharField(_("label"), max_length=120, blank=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    metrics = models.JSONField(_("metrics"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="snapshot_period_order"
            )
        ]
        verbose_name = _("network snapshot")
        verbose_name_plural = _("network snapshots")

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end}"


class NetworkResult(models.Model):
    """The latest network map of one selection too large to compute in a request (one row per
    ``key``: scope, period, filters, register or not), filled by a background job; ``queued_at``
    is set while a job is queued. Organisations and hubs only, never people (``network_store``).
    """

    key = models.CharField(_("key"), max_length=64, unique=True)
    hub = models.ForeignKey(
        Hub,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hub"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    with_register = models.BooleanField(_("includes the register"), default=False)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    nodes = models.PositiveIntegerField(_("nodes"), default=0)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds to compute"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)

    class Meta:
        verbose_name = _("computed network map")
        verbose_name_plural = _("computed network maps")

    def __str__(self) -> str:
        return f"{self.key} ({self.computed_at or 'pending'})"
