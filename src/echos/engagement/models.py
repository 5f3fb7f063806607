"""Engagement records: who a hub engaged (stakeholder groups, organisations), how deeply, on what."""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.models import Region, Term
from echos.hubs.models import Hub, Organisation


class Format(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    WORKSHOP = "workshop", _("Workshop")
    SURVEY = "survey", _("Survey")
    PUBLIC_EVENT = "public_event", _("Public event")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


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
    format = models.CharField(_("format"), max_length=14, choices=Format.choices)
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
        ]
        verbose_name = _("engagement record")
        verbose_name_plural = _("engagement records")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("engagement:record", args=[self.pk])
