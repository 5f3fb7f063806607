"""Versioned questionnaire instruments; their questions live in ``definition`` (see engine.py)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.questionnaires import engine


class Instrument(models.Model):
    """One version of a questionnaire; its questions live in ``definition`` (see engine.py)."""

    class Kind(models.TextChoices):
        SURVEY = "survey", _("Survey")
        MATURITY = "maturity", _("Maturity model")
        CONSULTATION = "consultation", _("Consultation")
        REGISTRATION = "registration", _("Registration questions")

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    definition = models.JSONField(_("definition"))
    is_current = models.BooleanField(_("current version"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # The table was created by assessment (0001_initial) and kept its name when the model
        # moved here (issue #11, WP3): the move changed no SQL on existing databases.
        db_table = "assessment_instrument"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="instrument_unique_version"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(is_current=True), name="instrument_one_current"
            ),
        ]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def display_title(self) -> str:
        """The title in the active language (through the catalogues for a shipped instrument)."""
        return engine.tr(self.title, engine.is_catalogued(self.code))

    @property
    def display_description(self) -> str:
        """The description in the active language (as ``display_title``)."""
        return engine.tr(self.description, engine.is_catalogued(self.code))
