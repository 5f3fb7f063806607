"""European initiatives, hub activities, decisions on suggestions and synergy links."""

import hashlib
import uuid
from typing import ClassVar

import numpy as np
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.models import Country, Region, Term
from echos.core.multilingual import TranslatableModel, every_language
from echos.hubs.models import Hub


class VectorMixin(models.Model):
    """A cached embedding of ``matching_text()`` (defined by each model), recomputed when the text changes."""

    # The fields whose text the engine reads (title first).
    MATCHED: ClassVar[tuple[str, ...]] = ()

    vector = models.BinaryField(null=True, blank=True, editable=False)
    vector_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    def matching_text(self) -> str:
        """The text that is embedded: the source text, or, when the semantic model does not know
        the source language, its translation into a language it knows (English first)."""
        language = self.matching_language()
        if language == getattr(self, "source_language", language):
            return self.source_matching_text()
        texts = (getattr(self, "translations", None) or {}).get(language) or {}
        return "\n".join(
            p for p in (texts.get(f) or getattr(self, f, "") for f in self.MATCHED) if p
        )

    def source_matching_text(self) -> str:
        """The source text that is embedded: the ``MATCHED`` fields, one per line."""
        return "\n".join(p for p in (getattr(self, f, "") for f in self.MATCHED) if p)

    def matching_language(self) -> str:
        """The language of ``matching_text``: the source language when the semantic model was
        trained on it or no translation is in one it was, else the first such translation."""
        from echos.synergies.engine import covered  # lazy: SciPy loads with the engine only

        source = getattr(self, "source_language", "") or ""
        if covered(source):
            return source
        versions = self.text_versions()
        for language in ["en", *sorted(versions)]:
            if language in versions and language != source and covered(language):
                return language
        return source

    def text_versions(self) -> dict[str, str]:
        """``{language: title and description}``: the source text and every translation, for the
        engine, which reads each version (a Polish query meets the Polish translation)."""
        out: dict[str, list[str]] = {}
        for field in self.MATCHED:
            for language, text in every_language(self, field).items():
                out.setdefault(language, []).append(text)
        return {language: "\n".join(p for p in parts if p) for language, parts in out.items()}

    def text_key(self) -> str:
        return hashlib.sha256(self.matching_text().encode()).hexdigest()

    def get_vector(self) -> np.ndarray | None:
        if not self.vector or self.vector_key != self.text_key():
            return None
        return np.frombuffer(bytes(self.vector), dtype=np.float32)


class Initiative(VectorMixin, TranslatableModel):
    """A European cancer initiative (Mission project, EBCP flagship, joint action, ERN...).

    Its name and description are what a visitor reads: written in one language and translatable
    (the EU publishes many initiative names in every language). The acronym and the partners'
    names are proper names, kept single; search finds them all the same.
    """

    TRANSLATABLE = ("name", "description")
    SEARCH_ALSO = ("acronym", "partners")
    MATCHED = ("name", "description")

    class Programme(models.TextChoices):
        MISSION = "mission_on_cancer", _("Mission on Cancer")
        EU4HEALTH = "eu4health_ebcp", _("EU4Health / Europe's Beating Cancer Plan flagship")
        JOINT_ACTION = "joint_action", _("Joint action")
        ERN = "ern", _("European Reference Network")
        OTHER = "other", _("Other")

    key = models.SlugField(_("key"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=250)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices)
    description = models.TextField(_("description"))
    objectives = models.ManyToManyField(
        Term, blank=True, related_name="+", limit_choices_to={"vocabulary": "objectives"}
    )
    ebcp_pillars = models.ManyToManyField(
        Term, blank=True, related_name="+", limit_choices_to={"vocabulary": "ebcp_pillars"}
    )
    policy_areas = models.ManyToManyField(
        Term, blank=True, related_name="+", limit_choices_to={"vocabulary": "policy_areas"}
    )
    countries = models.ManyToManyField(Country, blank=True, related_name="initiatives")
    partners = models.TextField(_("partners"), blank=True)
    start = models.CharField(_("start"), max_length=10, blank=True)
    end = models.CharField(_("end"), max_length=10, blank=True)
    website = models.URLField(_("website"), blank=True)
    source = models.CharField(_("source"), max_length=400, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("synergies:initiative", args=[self.key])

    def source_matching_text(self) -> str:
        return "\n".join(p for p in [str(self), self.description] if p)


class Activity(VectorMixin, TranslatableModel):
    """Something a hub does, written in its own language (``source_language``, ISO 639-1) and
    translatable, tagged by objectives and policy areas."""

    TRANSLATABLE = ("title", "description")
    MATCHED = ("title", "description")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Entered")
        EVENT = "event", _("From an event")
        ENGAGEMENT = "engagement", _("From an engagement record")

    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="activities", verbose_name=_("hub")
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"))
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("region")
    )
    target_groups = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        verbose_name=_("target groups"),
        limit_choices_to={"vocabulary": "stakeholder_groups"},
    )
    objectives = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        verbose_name=_("Mission objectives"),
        limit_choices_to={"vocabulary": "objectives"},
    )
    policy_areas = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        verbose_name=_("policy areas"),
        limit_choices_to={"vocabulary": "policy_areas"},
    )
    origin = models.CharField(
        _("origin"), max_length=12, choices=Origin.choices, default=Origin.MANUAL
    )
    origin_id = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("synergies:activity", args=[self.pk])


class Decision(models.Model):
    """A hub's answer to a suggestion; a rejected pair is not suggested to that hub again."""

    class Verdict(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="synergy_decisions")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="decisions")
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    other_activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    score = models.FloatField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(initiative__isnull=False)
                ^ models.Q(other_activity__isnull=False),
                name="decision_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()}: {self.activity} ↔ {self.initiative or self.other_activity}"


class SynergyLink(models.Model):
    """An accepted synergy followed from first contact to collaboration."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONTACTED = "contacted", _("Contacted")
        COLLABORATING = "collaborating", _("Collaborating")
        CONCLUDED = "concluded", _("Concluded")

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="synergy_links")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="links")
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, null=True, blank=True, related_name="links"
    )
    other_activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.PROPOSED
    )
    notes = models.TextField(_("notes"), blank=True)
    score = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-status_changed_at"]
        verbose_name = _("synergy link")
        verbose_name_plural = _("synergy links")

    def __str__(self) -> str:
        return f"{self.activity} ↔ {self.initiative or self.other_activity}"

    @property
    def target(self):
        return self.initiative or self.other_activity


class MatchJobQuerySet(models.QuerySet):
    def active(self):
        """Jobs not finished yet (queued or running)."""
        return self.filter(status__in=["queued", "running"])


class MatchJob(models.Model):
    """A token holder's batch too large for one request, matched by the worker; read by its owner."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_jobs"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    # The request body (initiatives, activities, top, mode, explain), emptied once the job ends.
    request = models.JSONField(default=dict)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    # Documents embedded and matched so far, of all initiatives and activities.
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = MatchJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("matching job")
        verbose_name_plural = _("matching jobs")

    def __str__(self) -> str:
        return f"{self.id} ({self.status})"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.done / max(self.total, 1))
