"""The ECHoS consortium: its programme facts with their sources, partners, work plan, milestones and
deliverables, reporting periods and risks.

Invariants:
- Months are *project months*: month 1 starts on ``Project.start``; every month number lies within
  ``1..Project.months``. ``Project.start`` and ``months`` are the working calendar the secretariat
  chose; the facts keep what each public source says, disagreements included.
- A fact key may hold several rows (one per source and value): nothing picks one value silently.
- Partners are organisations of the registry (``hubs.Organisation``): no person is stored here.
- Anything added for the demo only (statuses, risks) carries ``is_demo=True``.
"""

import calendar
import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from echos.hubs.models import Organisation
from echos.library.models import Resource

MAX_MONTHS = 120


class Source(models.Model):
    """A public page or document a fact was read from."""

    key = models.SlugField(_("key"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200)
    url = models.URLField(_("link"), max_length=500)
    checked = models.DateField(_("checked on"))
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["publisher", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"


class Project(models.Model):
    """The funded action (ECHoS) and the working calendar its month numbers count from."""

    acronym = models.CharField(_("acronym"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=300)
    start = models.DateField(_("start of month 1"))
    months = models.PositiveSmallIntegerField(
        _("duration in months"), validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)]
    )
    calendar_note = models.TextField(
        _("why this calendar"),
        blank=True,
        max_length=2000,
        help_text=_("Which source the working calendar follows, when sources disagree."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(months__gte=1, months__lte=MAX_MONTHS), name="project_months_range"
            )
        ]

    def __str__(self) -> str:
        return self.acronym

    def month_of(self, on: date) -> int:
        """The project month a day falls in: 1 from ``start``, 0 or less before, past ``months``
        after the end."""
        months = (on.year - self.start.year) * 12 + on.month - self.start.month
        if on.day < self.start.day:
            months -= 1
        return months + 1

    def month_start(self, month: int) -> date:
        """The first day of a project month."""
        years, month0 = divmod(self.start.month - 1 + month - 1, 12)
        year = self.start.year + years
        day = min(self.start.day, calendar.monthrange(year, month0 + 1)[1])
        return date(year, month0 + 1, day)

    def month_end(self, month: int) -> date:
        """The last day of a project month (a due month ends there)."""
        return self.month_start(month + 1) - timedelta(days=1)

    def check_month(self, month: int | None, field: str) -> None:
        """Refuse a month number outside the project's duration, naming the field."""
        if month is not None and not 1 <= month <= self.months:
            raise ValidationError(
                {
                    field: _("Month %(m)s is outside the project (months 1 to %(n)s).")
                    % {"m": month, "n": self.months}
                }
            )


class FactKey(models.TextChoices):
    PARTNERS_COUNT = "partners_count", _("Number of partners")
    COUNTRIES_COUNT = "countries_count", _("Number of countries")
    START = "start", _("Start")
    END = "end", _("End")
    DURATION = "duration", _("Duration")
    BUDGET = "budget", _("Budget")
    COORDINATOR = "coordinator", _("Coordinator")
    GRANT_AGREEMENT = "grant_agreement", _("Grant agreement")
    PROGRAMME = "programme", _("Funding programme")
    TYPE_OF_ACTION = "type_of_action", _("Type of action")
    TOPIC = "topic", _("Call topic")
    WORK_PACKAGES_COUNT = "work_packages_count", _("Number of work packages")
    WEBSITE = "website", _("Website")


class FactQuerySet(models.QuerySet):
    def disagreeing_keys(self) -> set[str]:
        """Keys for which the sources give more than one value (one aggregate query)."""
        rows = self.values("key").annotate(n=Count("value", distinct=True)).filter(n__gt=1)
        return {r["key"] for r in rows}


class Fact(models.Model):
    """One value of a programme fact as one source states it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="facts")
    key = models.CharField(_("fact"), max_length=30, choices=FactKey.choices)
    value = models.CharField(_("value"), max_length=300)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="facts", verbose_name=_("source")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = FactQuerySet.as_manager()

    class Meta:
        ordering = ["key", "value", "source__publisher"]
        verbose_name = _("programme fact")
        verbose_name_plural = _("programme facts")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "key", "value", "source"], name="fact_unique_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.value}"


class PartnerRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    BENEFICIARY = "beneficiary", _("Beneficiary")
    AFFILIATED_ENTITY = "affiliated_entity", _("Affiliated entity")
    ASSOCIATED_PARTNER = "associated_partner", _("Associated partner")


class Partner(models.Model):
    """An organisation of the registry taking part in the project; its country is the
    organisation's."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consortium_partners",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=PartnerRole.choices,
        blank=True,
        help_text=_("Left empty while no source states the partner's role."),
    )
    affiliated_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="affiliates",
        verbose_name=_("affiliated to"),
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("source")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["organisation__country__code", "organisation__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"], name="partner_unique_organisation"
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(role="coordinator"),
                name="partner_one_coordinator",
            ),
        ]

    def __str__(self) -> str:
        return self.organisation.name

    def clean(self) -> None:
        if self.affiliated_to_id and self.role != PartnerRole.AFFILIATED_ENTITY:
            raise ValidationError(
                {"affiliated_to": _("Only an affiliated entity is affiliated to a partner.")}
            )
        if self.affiliated_to_id and self.affiliated_to_id == self.pk:
            raise ValidationError({"affiliated_to": _("A partner cannot be its own affiliate.")})
        parent = self.affiliated_to
        if parent is not None and parent.project_id != self.project_id:
            raise ValidationError({"affiliated_to": _("That partner is in another project.")})


def _check_partner(project_id: int, partner: "Partner | None", field: str) -> None:
    if partner is not None and partner.project_id != project_id:
        raise ValidationError({field: _("That partner is not in this project.")})


class WorkPackage(models.Model):
    """A work package of the work plan."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="work_packages")
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    title = models.CharField(_("title"), max_length=300)
    lead = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_work_packages",
        verbose_name=_("lead partner"),
    )
    start_month = models.PositiveSmallIntegerField(_("start month"), null=True, blank=True)
    end_month = models.PositiveSmallIntegerField(_("end month"), null=True, blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("source")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["number"]
        verbose_name = _("work package")
        verbose_name_plural = _("work packages")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="wp_unique_number")
        ]

    def __str__(self) -> str:
        return f"WP{self.number} {self.title}"

    def clean(self) -> None:
        _check_span(self.project, self.start_month, self.end_month)
        _check_partner(self.project_id, self.lead, "lead")


def _check_span(project: Project, start: int | None, end: int | None) -> None:
    project.check_month(start, "start_month")
    project.check_month(end, "end_month")
    if start is not None and end is not None and end < start:
        raise ValidationError({"end_month": _("The end month comes before the start month.")})


TASK_NUMBER = re.compile(r"^(\d{1,2})\.(\d{1,2})$")


class Task(models.Model):
    """A task of a work package, numbered ``<work package>.<task>`` (3.2 is in WP3)."""

    work_package = models.ForeignKey(
        WorkPackage, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("work package")
    )
    number = models.CharField(
        _("number"),
        max_length=5,
        blank=True,
        help_text=_("For example 3.2; empty while no source states it."),
    )
    title = models.CharField(_("title"), max_length=300)
    lead = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_tasks",
        verbose_name=_("lead partner"),
    )
    contributors = models.ManyToManyField(
        Partner, blank=True, related_name="tasks", verbose_name=_("contributors")
    )
    start_month = models.PositiveSmallIntegerField(_("start month"), null=True, blank=True)
    end_month = models.PositiveSmallIntegerField(_("end month"), null=True, blank=True)
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("source")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["work_package__number", "number"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["work_package", "number"],
                condition=~Q(number=""),
                name="task_unique_number",
            )
        ]

    def __str__(self) -> str:
        return f"T{self.number} {self.title}" if self.number else self.title

    def clean(self) -> None:
        match = TASK_NUMBER.match(self.number or "")
        if self.number and not match:
            raise ValidationError({"number": _("A task number reads like 3.2.")})
        if match and int(match.group(1)) != self.work_package.number:
            raise ValidationError(
                {
                    "number": _("Task %(t)s is not in work package %(wp)s.")
                    % {"t": self.number, "wp": self.work_package.number}
                }
            )
        _check_span(self.work_package.project, self.start_month, self.end_month)
        _check_partner(self.work_package.project_id, self.lead, "lead")


class OutputKind(models.TextChoices):
    DELIVERABLE = "deliverable", _("Deliverable")
    MILESTONE = "milestone", _("Milestone")


class Dissemination(models.TextChoices):
    PUBLIC = "PU", _("Public")
    SENSITIVE = "SEN", _("Sensitive")


class OutputStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    REVISION = "revision_requested", _("Revision requested")
    ACCEPTED = "accepted", _("Accepted")


#: Statuses in which an output is still owed: past its due month, it is overdue.
OPEN_STATUSES = (OutputStatus.PLANNED, OutputStatus.IN_PROGRESS)


class OutputQuerySet(models.QuerySet):
    def overdue(self, project_month: int):
        """Due before the given project month and not submitted yet."""
        return self.filter(due_month__lt=project_month, status__in=OPEN_STATUSES)


class Output(models.Model):
    """A milestone or a deliverable, due in a project month, perhaps held by a library resource.

    "Late" is not a stored status: it is computed (``is_overdue``) from the due month and today,
    so it never goes stale.
    """

    work_package = models.ForeignKey(
        WorkPackage,
        on_delete=models.CASCADE,
        related_name="outputs",
        verbose_name=_("work package"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=OutputKind.choices)
    number = models.CharField(_("number"), max_length=10, help_text=_("D5.1 or MS3"))
    title = models.CharField(_("title"), max_length=300)
    due_month = models.PositiveSmallIntegerField(_("due month"))
    dissemination = models.CharField(
        _("dissemination level"),
        max_length=3,
        choices=Dissemination.choices,
        default=Dissemination.PUBLIC,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OutputStatus.choices, default=OutputStatus.PLANNED
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    resource = models.ForeignKey(
        Resource,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consortium_outputs",
        verbose_name=_("library resource"),
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("source")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = OutputQuerySet.as_manager()

    class Meta:
        ordering = ["due_month", "kind", "number"]
        verbose_name = _("milestone or deliverable")
        verbose_name_plural = _("milestones and deliverables")
        constraints = [
            models.UniqueConstraint(
                fields=["work_package", "kind", "number"], name="output_unique_number"
            ),
            models.CheckConstraint(condition=Q(due_month__gte=1), name="output_due_month_min"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        self.work_package.project.check_month(self.due_month, "due_month")
        if self.kind == OutputKind.DELIVERABLE:
            match = re.match(r"^D(\d{1,2})\.\d{1,2}$", self.number or "")
            if not match:
                raise ValidationError({"number": _("A deliverable number reads like D5.1.")})
            if int(match.group(1)) != self.work_package.number:
                raise ValidationError(
                    {
                        "number": _("Deliverable %(d)s is not in work package %(wp)s.")
                        % {"d": self.number, "wp": self.work_package.number}
                    }
                )
        elif not re.match(r"^MS\d{1,3}$", self.number or ""):
            raise ValidationError({"number": _("A milestone number reads like MS3.")})
        if self.status in OPEN_STATUSES and self.submitted_on:
            raise ValidationError(
                {"submitted_on": _("A planned or ongoing output has no submission date.")}
            )

    def is_overdue(self, project_month: int) -> bool:
        """Its due month has passed in project time and it is not submitted."""
        return self.status in OPEN_STATUSES and self.due_month < project_month


class ReportingPeriod(models.Model):
    """A reporting period to the funder, in project months."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    start_month = models.PositiveSmallIntegerField(_("start month"))
    end_month = models.PositiveSmallIntegerField(_("end month"))
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("source")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["number"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="period_unique_number"),
            models.CheckConstraint(
                condition=Q(end_month__gte=models.F("start_month")), name="period_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"RP{self.number} (M{self.start_month}–M{self.end_month})"

    def clean(self) -> None:
        _check_span(self.project, self.start_month, self.end_month)
        overlapping = (
            ReportingPeriod.objects.filter(
                project=self.project,
                start_month__lte=self.end_month,
                end_month__gte=self.start_month,
            )
            .exclude(pk=self.pk)
            .first()
        )
        if overlapping:
            raise ValidationError(
                {"start_month": _("The period overlaps %(p)s.") % {"p": overlapping}}
            )


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


LEVEL_SCORE = {Level.LOW: 1, Level.MEDIUM: 2, Level.HIGH: 3}


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MONITORED = "monitored", _("Monitored")
    CLOSED = "closed", _("Closed")


class RiskQuerySet(models.QuerySet):
    def open(self):
        """Risks not closed."""
        return self.exclude(status=RiskStatus.CLOSED)


class Risk(models.Model):
    """A risk to the project's implementation, as the grant's risk table keeps it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    description = models.TextField(_("description"), max_length=2000)
    likelihood = models.CharField(_("likelihood"), max_length=6, choices=Level.choices)
    impact = models.CharField(_("impact"), max_length=6, choices=Level.choices)
    mitigation = models.TextField(_("mitigation"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    work_package = models.ForeignKey(
        WorkPackage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risks",
        verbose_name=_("work package"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("project risk")
        verbose_name_plural = _("project risks")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="risk_unique_number")
        ]

    def __str__(self) -> str:
        return f"R{self.number}"

    @property
    def level(self) -> str:
        """High when likelihood × impact ≥ 6, medium from 3, else low."""
        return risk_level(self.likelihood, self.impact)

    def clean(self) -> None:
        wp = self.work_package
        if wp is not None and wp.project_id != self.project_id:
            raise ValidationError({"work_package": _("That work package is in another project.")})


def risk_level(likelihood: str, impact: str) -> str:
    """The level of a risk from its likelihood and impact (1–3 each; product ≥ 6 high, ≥ 3
    medium)."""
    score = LEVEL_SCORE[Level(likelihood)] * LEVEL_SCORE[Level(impact)]
    return Level.HIGH if score >= 6 else Level.MEDIUM if score >= 3 else Level.LOW
