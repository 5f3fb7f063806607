"""Countries, regions, vocabularies, users, API tokens and the audit log."""

import gettext as gettext_module
import hashlib
import secrets
from functools import lru_cache

import pycountry
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=32)
def _iso_translation(domain: str, language: str) -> gettext_module.NullTranslations:
    """Translations of ISO names shipped with pycountry."""
    lang = {"nb": "nb_NO"}.get(language, language)
    return gettext_module.translation(
        domain, pycountry.LOCALES_DIR, languages=[lang, language.split("-")[0]], fallback=True
    )


def localized_iso_name(domain: str, english: str) -> str:
    """Translate an ISO 3166 English name into the active language."""
    language = get_language() or "en"
    if language.startswith("en"):
        return english
    return _iso_translation(domain, language).gettext(english)


@lru_cache(maxsize=4096)
def _cldr_names(kind: str, language: str) -> dict[str, str]:
    from babel.core import Locale, UnknownLocaleError  # lazy: only for names pycountry lacks

    try:
        return dict(getattr(Locale.parse(language.replace("-", "_")), kind))
    except (UnknownLocaleError, ValueError):
        return {}


def cldr_name(kind: str, code: str) -> str:
    """CLDR's name (through Babel) of a territory (``kind="territories"``, ISO 3166 alpha-2) or a
    language (``"languages"``, ISO 639-1) in the active language; "" when CLDR has none. For the
    names pycountry does not translate: Kosovo (XK is no ISO code), Türkiye's new English name."""
    return _cldr_names(kind, get_language() or "en").get(code, "")


class User(AbstractUser):
    """A person with an account; roles on hubs live in ``hubs.HubRole``."""

    is_network_coordinator = models.BooleanField(
        _("network coordinator"),
        default=False,
        help_text=_("Member of the European secretariat: may see and change everything."),
    )
    is_demo = models.BooleanField(_("demo account"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def coordinates_network(self) -> bool:
        """True for network coordinators and superusers."""
        return self.is_active and (self.is_network_coordinator or self.is_superuser)


class Country(models.Model):
    """An EU Member State or a country associated to Horizon Europe (MS/AC)."""

    class Membership(models.TextChoices):
        EU = "eu", _("EU Member State")
        ASSOCIATED = "associated", _("Associated to Horizon Europe")

    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    membership = models.CharField(_("membership"), max_length=12, choices=Membership.choices)
    since = models.DateField(_("member or associated since"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The country's name in the active language (CLDR's where pycountry has no translation)."""
        name = localized_iso_name("iso3166-1", self.name)
        if name == self.name and not (get_language() or "en").startswith("en"):
            return cldr_name("territories", self.code) or name
        return name

    @property
    def numeric(self) -> str | None:
        """ISO 3166-1 numeric code, used to join the Natural Earth map."""
        record = pycountry.countries.get(alpha_2=self.code)
        return record.numeric if record else None


class Region(models.Model):
    """An ISO 3166-2 subdivision of an MS/AC country."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=10, primary_key=True)
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="regions")
    name = models.CharField(_("name"), max_length=150)
    type = models.CharField(_("type"), max_length=80, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The region's name in the active language where pycountry translates it."""
        return localized_iso_name("iso3166-2", self.name)


class TermQuerySet(models.QuerySet):
    def of(self, vocabulary: str) -> "TermQuerySet":
        """Terms of one vocabulary, in their defined order."""
        return self.filter(vocabulary=vocabulary).order_by("position")


class Term(models.Model):
    """One entry of a controlled vocabulary (objectives, stakeholder groups, ...)."""

    class Vocabulary(models.TextChoices):
        OBJECTIVES = "objectives", _("Mission on Cancer objectives")
        PRIORITIES = "priorities", _("Transversal priorities")
        POLICY_AREAS = "policy_areas", _("Policy areas")
        EBCP_PILLARS = "ebcp_pillars", _("Europe's Beating Cancer Plan pillars")
        STAKEHOLDER_GROUPS = "stakeholder_groups", _("Stakeholder groups")
        ENGAGEMENT_LEVELS = "engagement_levels", _("Engagement levels")
        ARCHETYPES = "archetypes", _("Hub archetypes")

    vocabulary = models.CharField(_("vocabulary"), max_length=30, choices=Vocabulary.choices)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = TermQuerySet.as_manager()

    class Meta:
        ordering = ["vocabulary", "position"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_unique_code")
        ]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """The label in the active language."""
        return gettext(self.label)


class ApiToken(models.Model):
    """A bearer token for the API; only a hash is stored.

    ``scope`` bounds what the token may do whatever its user may do: a read token is refused on
    every write (``core.api.TokenAuth``). Tokens made before scopes existed are read and write.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read only")
        WRITE = "write", _("Read and write")

    NAME_MAX = 100

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(_("name"), max_length=NAME_MAX, blank=True)
    scope = models.CharField(_("scope"), max_length=5, choices=Scope.choices, default=Scope.WRITE)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def hash(raw: str) -> str:
        """SHA-256 of a raw token."""
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str = "", scope: str = Scope.WRITE) -> tuple["ApiToken", str]:
        """Create a token and return it with the raw value, shown only once."""
        raw = "echos_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, scope=scope, prefix=raw[:12], digest=cls.hash(raw)
        )
        return token, raw

    @property
    def can_write(self) -> bool:
        """Whether the token may change data (POST, PUT, PATCH, DELETE)."""
        return self.scope == self.Scope.WRITE


class ActionLog(models.Model):
    """Who did what to which object, and when (written from services)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name = _("action log entry")
        verbose_name_plural = _("action log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


def validate_offered_language(value: str) -> None:
    """A language code the site's interface is offered in (settings.LANGUAGES), or blank."""
    if value and value not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(
            _("%(value)s is not a language echos is offered in."),
            code="invalid_choice",
            params={"value": value},
        )


class UserPreference(models.Model):
    """A person's own settings (issue #17): the interface language chosen for their account.

    Personal data: in the privacy export and deleted on erasure (``core/privacy.py``).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preference",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        validators=[validate_offered_language],
        help_text=_("The language of the interface and of the e-mails sent to you."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language or '-'}"
