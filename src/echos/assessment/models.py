"""Responses (draft → submitted → superseded), evidence and consensus rounds."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.models import Country
from echos.hubs.models import Hub
from echos.questionnaires.models import Instrument


class ResponseQuerySet(models.QuerySet):
    def submitted(self):
        """Submitted responses that no newer one has replaced."""
        return self.filter(status=Response.Status.SUBMITTED)

    def official(self):
        """A hub's (or country's) own answers, not individual ratings inside a round."""
        return self.filter(kind=Response.Kind.OFFICIAL)


class Response(models.Model):
    """Answers of one respondent for one hub (or a country without a hub) to one instrument version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        SUPERSEDED = "superseded", _("Superseded")

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Hub's answer")
        INDIVIDUAL = "individual", _("Individual rating")

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="responses")
    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responses",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.OFFICIAL)
    round = models.ForeignKey(
        "ConsensusRound", on_delete=models.CASCADE, null=True, blank=True, related_name="responses"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    notes = models.JSONField(_("consensus notes"), default=dict, blank=True)
    is_public = models.BooleanField(_("answers are public"), default=False)
    supersedes = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="superseded_by"
    )
    overall_score = models.FloatField(_("overall score"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["instrument", "status", "kind"]),
            models.Index(fields=["hub", "status"]),
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        who = self.hub or self.country
        return f"{self.instrument.code} v{self.instrument.version} — {who} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("assessment:response", args=[self.pk])


class Evidence(models.Model):
    """A link or a file supporting one answer; never rendered inline."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="evidence")
    question = models.CharField(_("question"), max_length=60)
    link = models.URLField(_("link"), blank=True)
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.filename or self.link

    def get_absolute_url(self) -> str:
        """Where the file is downloaded (after the reader's access is checked), or the link."""
        return reverse("assessment:evidence", args=[self.pk]) if self.file else self.link


class ConsensusRound(models.Model):
    """Several members of a hub rate it individually; the coordinator then records the consensus."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for individual ratings")
        CLOSED = "closed", _("Consensus recorded")

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="consensus_rounds")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="rounds")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    opened_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    consensus = models.OneToOneField(
        Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="consensus_of"
    )

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("consensus round")
        verbose_name_plural = _("consensus rounds")

    def __str__(self) -> str:
        return f"{self.hub} — {self.opened_at:%Y-%m-%d}"
