"""Resources of the library (files with versions, or links), their tags and their versions.

A resource is either a link (``url``) or a file; a file resource has one ``ResourceVersion`` per
upload and a new upload never overwrites an older one. Resources that translate one another share
a ``translation_group`` (a UUID): lists and searches show each group once. ``visibility`` says who
may read a resource at all; ``Resource.objects.visible_to(user)`` is the one place that rule is
written for lists, searches, feeds and the API.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.multilingual import TranslatableModel
from echos.core.roles import is_network_coordinator
from echos.hubs.models import Hub, HubRole, Organisation


class ResourceType(models.TextChoices):
    GUIDELINE = "guideline", _("Guideline")
    TEMPLATE = "template", _("Template")
    TOOLKIT = "toolkit", _("Toolkit")
    TRAINING = "training", _("Training material")
    REPORT = "report", _("Report")
    POLICY_BRIEF = "policy_brief", _("Policy brief")
    DELIVERABLE = "deliverable", _("Deliverable")
    CASE_STUDY = "case_study", _("Case study")
    DATASET = "dataset", _("Dataset")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    NETWORK = "network", _("Network (signed-in members)")
    HUB = "hub", _("The hub's team")


class TextStatus(models.TextChoices):
    PENDING = "pending", _("Text extraction pending")
    EXTRACTED = "extracted", _("Text extracted")
    FAILED = "failed", _("Text could not be extracted")
    NONE = "none", _("No text to extract")


class Vocabulary(models.TextChoices):
    """The vocabularies a resource is tagged with (codes stay stable, labels translate)."""

    OBJECTIVES = "objectives", _("Mission objectives")
    DIMENSIONS = "dimensions", _("Maturity dimensions")
    STAKEHOLDER_GROUPS = "stakeholder_groups", _("Stakeholder groups")
    STAGES = "stages", _("Lifecycle stages")
    POLICY_AREAS = "policy_areas", _("Policy areas")


class ResourceQuerySet(models.QuerySet):
    def public(self) -> "ResourceQuerySet":
        """Resources anyone may read, signed in or not."""
        return self.filter(visibility=Visibility.PUBLIC)

    def visible_to(self, user) -> "ResourceQuerySet":
        """Resources ``user`` may read: public ones; network ones when signed in; a hub's own ones
        for its team (any role on the hub, and the coordinators of the hubs above it, who may edit
        it); everything for the network; one's own uploads."""
        if is_network_coordinator(user):
            return self.all()
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.public()
        roles = HubRole.objects.filter(user=user)
        team = roles.values("hub_id")
        above = roles.filter(role=HubRole.Role.COORDINATOR).values("hub_id")
        return self.filter(
            Q(visibility__in=[Visibility.PUBLIC, Visibility.NETWORK])
            | Q(visibility=Visibility.HUB, hub_id__in=team)
            | Q(visibility=Visibility.HUB, hub__parent_id__in=above)
            | Q(visibility=Visibility.HUB, hub__parent__parent_id__in=above)
            | Q(created_by=user)
        )

    def in_language(self, language: str) -> "ResourceQuerySet":
        return self.filter(language=language)

    def of_type(self, type: str) -> "ResourceQuerySet":
        return self.filter(type=type)

    def tagged(self, vocabulary: str, code: str) -> "ResourceQuerySet":
        """Resources carrying one tag (one subquery, so that several tags combine with AND)."""
        return self.filter(
            pk__in=ResourceTag.objects.filter(vocabulary=vocabulary, code=code).values(
                "resource_id"
            )
        )


class Resource(TranslatableModel):
    """A document or a link of the library, in one language.

    ``language`` is the language of the document itself (the file or the linked page); another
    language of the same document is another resource of its ``translation_group``.
    ``source_language`` is the language the catalogue text (title, description) is written in,
    and ``translations`` that text in other languages: a Polish report may be catalogued with an
    English summary, and its title read in French without a French document existing.
    """

    TRANSLATABLE = ("title", "description")

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    language = models.CharField(_("language"), max_length=8, help_text=_("ISO 639-1 code, e.g. pt"))
    type = models.CharField(_("type"), max_length=20, choices=ResourceType.choices)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    hub = models.ForeignKey(
        Hub,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("hub"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("organisation"),
    )
    licence = models.CharField(_("licence"), max_length=120, blank=True)
    published = models.DateField(_("publication date"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    translation_group = models.UUIDField(_("translation group"), default=uuid.uuid4, db_index=True)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    text_status = models.CharField(
        _("text"), max_length=10, choices=TextStatus.choices, default=TextStatus.NONE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["visibility", "language"]),
            models.Index(fields=["type"]),
            models.Index(fields=["hub", "visibility"]),
        ]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:resource", args=[self.pk])

    @property
    def is_link(self) -> bool:
        return bool(self.url)

    def latest_version(self) -> "ResourceVersion | None":
        """The newest upload (None for a link)."""
        return self.versions.order_by("-number").first()

    def other_languages(self) -> "ResourceQuerySet":
        """The other resources of its translation group: the same document in other languages
        (visibility is the caller's to apply)."""
        return Resource.objects.filter(translation_group=self.translation_group).exclude(pk=self.pk)


class ResourceTag(models.Model):
    """One tag of a resource: a code of one vocabulary (``Vocabulary``)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="tags")
    vocabulary = models.CharField(_("vocabulary"), max_length=30, choices=Vocabulary.choices)
    code = models.CharField(_("code"), max_length=40)

    class Meta:
        ordering = ["vocabulary", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "vocabulary", "code"], name="resourcetag_unique"
            )
        ]
        indexes = [models.Index(fields=["vocabulary", "code"])]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"


def version_path(instance: "ResourceVersion", filename: str) -> str:
    """Stored under ``library/<resource id>/<version>/`` in the data directory's media folder."""
    return f"library/{instance.resource_id}/{instance.number}/{filename}"


class ResourceVersion(models.Model):
    """One uploaded file of a resource; older versions stay downloadable."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    text = models.TextField(_("extracted text"), blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="resourceversion_unique")
        ]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("library:download", args=[self.resource_id, self.number])
