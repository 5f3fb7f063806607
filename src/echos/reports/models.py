"""Report jobs: a PDF or XLSX report written by the worker, downloaded by who may see it."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A finished report's file is kept this long, then deleted with its job.
KEEP = timedelta(days=7)


def _expiry():
    return timezone.now() + KEEP


class ReportJobQuerySet(models.QuerySet):
    def active(self):
        """Jobs not finished yet (queued or running)."""
        return self.filter(status__in=["queued", "running"])

    def expired(self, now=None):
        """Jobs past their expiry: their files are deleted."""
        return self.filter(expires_at__lte=now or timezone.now())


class ReportJob(models.Model):
    """One report asked for: kind, scope, period, format and language, its progress and file."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("Network periodic report")
        HUB = "hub", _("Hub report")

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_jobs",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("report"), max_length=8, choices=Kind.choices)
    hub = models.ForeignKey(
        "hubs.Hub",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hub"),
    )
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Path of the file relative to the data directory, once done.
    file = models.CharField(max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), default=_expiry)

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")

    def __str__(self) -> str:
        return f"{self.kind} {self.format} {self.start:%Y-%m}:{self.end:%Y-%m} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def period(self) -> str:
        return f"{self.start:%Y-%m}:{self.end:%Y-%m}"

    def filename(self) -> str:
        """The download's file name: echos-network-report-2026-01-2026-06-en.pdf."""
        scope = "network" if self.hub_id is None else f"hub-{self.hub_id}"
        return f"echos-{scope}-report-{self.start:%Y-%m}-{self.end:%Y-%m}-{self.language}.{self.format}"
