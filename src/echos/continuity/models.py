"""A hub's operations model: canvas versions, funding streams, cost lines, scenarios and risks,
the network's EUR rate table and the network's own operations model.

Money is stored as ``Decimal`` with its ISO 4217 currency; months are ``YYYY-MM`` text (the
engine's ``parse_month`` turns them into month indexes). Everything here belongs to one hub,
except ``EurRate`` and ``NetworkModel`` which the network coordinators keep.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.models import Term
from echos.hubs.models import Hub, Organisation

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}


class Period(models.TextChoices):
    MONTH = "month", _("every month")
    YEAR = "year", _("per year (spread monthly)")
    ONCE = "once", _("once")


class SourceType(models.TextChoices):
    EU_GRANT = "eu_grant", _("EU grant")
    NATIONAL_PUBLIC = "national_public", _("National public funding")
    REGIONAL_PUBLIC = "regional_public", _("Regional or local public funding")
    MEMBERSHIP_FEES = "membership_fees", _("Membership fees")
    IN_KIND = "in_kind", _("In-kind contribution")
    PHILANTHROPY = "philanthropy", _("Philanthropy")
    INDUSTRY = "industry", _("Industry sponsorship")
    SERVICE_INCOME = "service_income", _("Service income")


class CostCategory(models.TextChoices):
    STAFF = "staff", _("Staff")
    EVENTS = "events", _("Events")
    OPERATIONS = "operations", _("Operations")
    OTHER = "other", _("Other")


class RiskCategory(models.TextChoices):
    FUNDING = "funding", _("Funding")
    STAFF = "staff", _("Staff")
    MANDATE = "mandate", _("Mandate or political")
    GOVERNANCE = "governance", _("Governance")
    DEPENDENCY = "dependency", _("Dependency on one host organisation or one person")
    LEGAL = "legal", _("Legal")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATING = "mitigating", _("Being mitigated")
    CLOSED = "closed", _("Closed")


class Formula(models.TextChoices):
    FLAT = "flat", _("Flat: every hub pays the same")
    POPULATION = "population", _("By population of the hub's country")
    INCOME = "income", _("By hub income")


class EurRate(models.Model):
    """How many units of a currency one euro buys (the ECB's convention: 1 EUR = 11.50 NOK);
    kept by the network coordinators."""

    currency = models.CharField(_("currency"), max_length=3, unique=True)
    units_per_eur = models.DecimalField(_("units per euro"), max_digits=18, decimal_places=8)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["currency"]
        verbose_name = _("EUR rate")
        verbose_name_plural = _("EUR rates")

    def __str__(self) -> str:
        return f"1 EUR = {self.units_per_eur} {self.currency}"


class HubModel(models.Model):
    """A hub's projection settings and continuity plan: start month, horizon, starting balance,
    the recorded plan, mandate and coordinator successor (the "sustained" stage reads them)."""

    hub = models.OneToOneField(Hub, on_delete=models.CASCADE, related_name="continuity_model")
    start = models.CharField(_("starting month"), max_length=7, default="2026-01")
    months = models.PositiveSmallIntegerField(
        _("horizon in months"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    balance = models.DecimalField(_("starting balance"), default=Decimal("0"), **MONEY)
    currency = models.CharField(_("currency of the balance"), max_length=3, default="EUR")
    continuity_plan = models.TextField(_("continuity plan"), blank=True)
    mandate = models.TextField(
        _("mandate"), blank=True, help_text=_("The document or decision that mandates the hub.")
    )
    mandate_link = models.URLField(_("link to the mandate"), blank=True)
    successor = models.CharField(
        _("named successor for the coordinator role"), max_length=200, blank=True
    )
    canvas_published = models.BooleanField(_("canvas published"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hub operations model")
        verbose_name_plural = _("hub operations models")

    def __str__(self) -> str:
        return f"{self.hub}"


class FundingStream(models.Model):
    """Money a hub expects: who pays, how much, how often, from when, and how sure it is."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="funding_streams")
    name = models.CharField(_("name"), max_length=200)
    source_type = models.CharField(_("source type"), max_length=20, choices=SourceType.choices)
    funder = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("funder"),
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    period = models.CharField(_("period"), max_length=5, choices=Period.choices)
    start = models.CharField(_("start month"), max_length=7)
    end = models.CharField(_("end month"), max_length=7, blank=True)
    probability = models.DecimalField(
        _("probability"), max_digits=4, decimal_places=3, default=Decimal("1")
    )
    slip_months = models.PositiveSmallIntegerField(_("slip in months"), default=0)
    restrictions = models.TextField(_("restrictions"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["hub", "start", "pk"]
        verbose_name = _("funding stream")
        verbose_name_plural = _("funding streams")

    def __str__(self) -> str:
        return self.name


class CostLine(models.Model):
    """Money a hub spends: staff (with role and FTE), events, operations, other."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="cost_lines")
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=12, choices=CostCategory.choices)
    role = models.CharField(_("staff role"), max_length=200, blank=True)
    fte = models.DecimalField(_("FTE"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    period = models.CharField(_("period"), max_length=5, choices=Period.choices)
    start = models.CharField(_("start month"), max_length=7)
    end = models.CharField(_("end month"), max_length=7, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["hub", "start", "pk"]
        verbose_name = _("cost line")
        verbose_name_plural = _("cost lines")

    def __str__(self) -> str:
        return self.name


class CanvasVersion(models.Model):
    """One dated version of a hub's operations model canvas; each save adds a version."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="canvas_versions")
    number = models.PositiveIntegerField(_("version"))
    value_proposition = models.TextField(_("value proposition"), blank=True)
    stakeholder_segments = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        verbose_name=_("stakeholder segments"),
        limit_choices_to={"vocabulary": Term.Vocabulary.STAKEHOLDER_GROUPS},
    )
    relationships = models.TextField(_("stakeholder relationships"), blank=True)
    channels = models.TextField(_("channels"), blank=True)
    key_partners = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("key partners")
    )
    key_activities = models.TextField(_("key activities"), blank=True)
    key_resources = models.TextField(_("key resources"), blank=True)
    cost_structure = models.TextField(_("cost structure"), blank=True)
    revenue_streams = models.TextField(_("revenue streams"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["hub", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "number"], name="canvas_unique_version")
        ]
        verbose_name = _("canvas version")
        verbose_name_plural = _("canvas versions")

    def __str__(self) -> str:
        return f"{self.hub} canvas v{self.number}"


class Scenario(models.Model):
    """A copy of the hub's baseline with changes (JSON list of the engine's change variants)."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="continuity_scenarios")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    changes = models.JSONField(_("changes"), default=list)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["hub", "name"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.name


class RiskQuerySet(models.QuerySet):
    def unresolved(self):
        """Risks not closed."""
        return self.exclude(status=RiskStatus.CLOSED)


class Risk(models.Model):
    """One continuity risk of a hub with its likelihood, impact, owner and mitigation."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="continuity_risks")
    title = models.CharField(_("risk"), max_length=250)
    category = models.CharField(_("category"), max_length=12, choices=RiskCategory.choices)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    impact = models.PositiveSmallIntegerField(
        _("impact (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    mitigation = models.TextField(_("mitigation"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["hub", "-likelihood", "-impact", "pk"]
        verbose_name = _("continuity risk")
        verbose_name_plural = _("continuity risks")

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        """Likelihood × impact (1–25)."""
        return self.likelihood * self.impact

    @property
    def is_high(self) -> bool:
        """High risk: likelihood × impact of 15 or more."""
        return self.score >= 15


class NetworkModel(models.Model):
    """How the European network of hubs pays for itself (one row, kept by network coordinators).

    Amounts are per year in EUR; hub contributions follow ``formula``.
    """

    start = models.CharField(_("starting month"), max_length=7, default="2026-01")
    months = models.PositiveSmallIntegerField(_("horizon in months"), default=60)
    balance = models.DecimalField(_("starting balance"), default=Decimal("0"), **MONEY)
    secretariat_costs = models.DecimalField(
        _("secretariat costs per year"), default=Decimal("0"), **MONEY
    )
    shared_services = models.DecimalField(
        _("shared services per year"), default=Decimal("0"), **MONEY
    )
    eu_funding = models.DecimalField(_("EU funding per year"), default=Decimal("0"), **MONEY)
    eu_funding_end = models.CharField(_("EU funding ends"), max_length=7, blank=True)
    eu_probability = models.DecimalField(
        _("probability of the EU funding"), max_digits=4, decimal_places=3, default=Decimal("1")
    )
    formula = models.CharField(
        _("contribution formula"), max_length=12, choices=Formula.choices, default=Formula.FLAT
    )
    contribution_total = models.DecimalField(
        _("hub contributions per year, in total"), default=Decimal("0"), **MONEY
    )
    contribution_probability = models.DecimalField(
        _("probability that a hub pays"), max_digits=4, decimal_places=3, default=Decimal("0.9")
    )
    stopping_hubs = models.PositiveIntegerField(
        _("hubs that stop contributing (what if)"), default=0
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("network operations model")
        verbose_name_plural = _("network operations models")

    def __str__(self) -> str:
        return str(_("Network operations model"))


class NetworkScenario(models.Model):
    """A named change of the network operations model, compared side by side with it: the same
    changes as a hub's scenario (``changes``, the engine's JSON list) and, optionally, the
    ``stopping_hubs`` largest contributions removed."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    stopping_hubs = models.PositiveIntegerField(_("hubs that stop contributing"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("network scenario")
        verbose_name_plural = _("network scenarios")

    def __str__(self) -> str:
        return self.name
