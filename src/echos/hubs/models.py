"""Hubs at three levels, organisations, memberships, contacts, lifecycle history and roles."""

import re
import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.folding import words
from echos.core.models import Country, Region, Term
from echos.core.multilingual import MAX_QUERY_WORDS, TranslatableModel


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


LEVEL_RANK: dict[str, int] = {Level.NATIONAL: 0, Level.REGIONAL: 1, Level.LOCAL: 2}


class Stage(models.TextChoices):
    """The hub lifecycle, in order (DESIGN.md)."""

    NO_STRUCTURE = "no_structure", _("No structure")
    EXPLORING = "exploring", _("Exploring")
    INCEPTION_DIALOGUE = "inception_dialogue", _("Inception dialogue held")
    ESTABLISHMENT = "establishment", _("In establishment")
    LAUNCHED = "launched", _("Launched")
    OPERATIONAL = "operational", _("Operational")
    SUSTAINED = "sustained", _("Sustained")


STAGE_ORDER = {stage: index for index, stage in enumerate(Stage.values)}

STAGE_HINTS = {
    Stage.NO_STRUCTURE: _("No hub or hub-like structure is known."),
    Stage.EXPLORING: _("A hub-like structure is mapped or interest has been declared."),
    Stage.INCEPTION_DIALOGUE: _("An inception dialogue with national stakeholders has been held."),
    Stage.ESTABLISHMENT: _("Founding members are committed and governance is being drafted."),
    Stage.LAUNCHED: _("The hub has been officially launched."),
    Stage.OPERATIONAL: _("A coordination group meets and activities run regularly."),
    Stage.SUSTAINED: _("Multi-year funding and a continuity plan are in place."),
}


class Archetype(models.TextChoices):
    GOVERNMENT_LED = "government_led", _("Government-led")
    RESEARCH_DRIVEN = "research_driven", _("Research-driven")
    CIVIL_SOCIETY = "civil_society", _("Civil-society coalition")
    MIXED = "mixed", _("Mixed")


def normalise_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name, for duplicate checks."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


class HubQuerySet(models.QuerySet):
    def in_hierarchy_order(self):
        """National first, then regional, then local hubs, each by English name."""
        rank = models.Case(
            *[models.When(level=level, then=models.Value(r)) for level, r in LEVEL_RANK.items()],
            output_field=models.IntegerField(),
        )
        return self.annotate(level_rank=rank).order_by("country__name", "level_rank", "name_en")

    def national(self):
        """National hubs only."""
        return self.filter(level=Level.NATIONAL)

    def launched(self):
        """Hubs that have been officially launched or gone further."""
        return self.filter(stage__in=[Stage.LAUNCHED, Stage.OPERATIONAL, Stage.SUSTAINED])

    def search(self, text: str):
        """Hubs whose names, mission (in any of its languages), host organisation or country
        mention every word of ``text``, ignoring case and accents (``search_text``)."""
        qs = self
        for word in words(text)[:MAX_QUERY_WORDS]:
            qs = qs.filter(
                Q(search_text__contains=word)
                | Q(host_organisation__normalised_name__contains=word)
                | Q(country__name__icontains=word)
                | Q(country__code__iexact=word)
            )
        return qs


class Hub(TranslatableModel):
    """A Cancer Mission Hub at national, regional or local level.

    Its mission statement is what a visitor reads: written in one language (``source_language``)
    and translatable into any other. Its names are proper names, kept as given (the local name and
    the English name), not translated; search finds them all the same (``SEARCH_ALSO``).
    """

    TRANSLATABLE = ("mission",)
    SEARCH_ALSO = ("name", "name_en")

    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="hubs", verbose_name=_("country")
    )
    level = models.CharField(
        _("level"), max_length=10, choices=Level.choices, default=Level.NATIONAL
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent hub"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hubs",
        verbose_name=_("region"),
    )
    name = models.CharField(_("name in the local language"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    mission = models.TextField(_("mission statement"), blank=True)
    website = models.URLField(_("website"), blank=True)
    host_organisation = models.ForeignKey(
        "Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_hubs",
        verbose_name=_("host organisation"),
    )
    archetype = models.CharField(
        _("archetype"), max_length=20, choices=Archetype.choices, blank=True
    )
    stage = models.CharField(
        _("lifecycle stage"), max_length=20, choices=Stage.choices, default=Stage.NO_STRUCTURE
    )
    stage_since = models.DateField(_("in this stage since"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HubQuerySet.as_manager()

    class Meta:
        ordering = ["country__name", "level", "name_en"]
        indexes = [models.Index(fields=["country", "level"]), models.Index(fields=["stage"])]
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")

    def __str__(self) -> str:
        return self.name_en or self.name

    def get_absolute_url(self) -> str:
        return reverse("hubs:hub", args=[self.pk])

    @property
    def stage_rank(self) -> int:
        """Position of the current stage in the lifecycle (0 = no structure)."""
        return STAGE_ORDER[self.stage]

    def ancestors(self) -> list["Hub"]:
        """Parent, grandparent, ... nearest first."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def descendant_ids(self) -> set[int]:
        """Primary keys of every hub below this one."""
        found: set[int] = set()
        frontier = [self.pk]
        while frontier:
            children = list(Hub.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            frontier = [pk for pk in children if pk not in found]
            found.update(frontier)
        return found


class StageChange(models.Model):
    """A dated move of a hub to a lifecycle stage, with its evidence."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"),
        max_length=5,
        default="day",
        choices=[("day", _("day")), ("month", _("month only")), ("year", _("year only"))],
        help_text=_(
            "Sources sometimes give only the month or year; the date then is its first day."
        ),
    )
    evidence = models.TextField(_("evidence"), blank=True)
    link = models.URLField(_("evidence link"), blank=True)
    reason = models.TextField(_("reason for moving back"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-recorded_at", "-id"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.hub}: {self.get_stage_display()} ({self.date})"


class Organisation(models.Model):
    """An organisation that takes part in hubs (hospital, authority, NGO, company...)."""

    name = models.CharField(_("name"), max_length=250)
    normalised_name = models.CharField(max_length=250, editable=False, db_index=True)
    stakeholder_group = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("stakeholder group"),
        limit_choices_to={"vocabulary": Term.Vocabulary.STAKEHOLDER_GROUPS},
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("country")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "normalised_name"], name="organisation_unique_name"
            )
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.normalised_name = normalise_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("hubs:organisation", args=[self.pk])


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Memberships in force on a date (today by default); those the organisation declined
        never are."""
        on = on or timezone.localdate()
        return (
            self.filter(Q(since__isnull=True) | Q(since__lte=on))
            .filter(Q(until__isnull=True) | Q(until__gte=on))
            .exclude(status=Membership.Status.DECLINED)
        )

    def confirmed(self):
        """Memberships the organisation (or the network) has confirmed: the only ones that grant
        rights over the organisation."""
        return self.filter(status=Membership.Status.CONFIRMED)

    def pending(self):
        """Memberships awaiting the organisation's confirmation."""
        return self.filter(status=Membership.Status.PENDING)


class Membership(models.Model):
    """An organisation's membership of a hub, with its role and period."""

    class Role(models.TextChoices):
        COORDINATING_GROUP = "coordinating_group", _("Coordinating group")
        FOUNDING_MEMBER = "founding_member", _("Founding member")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the organisation's confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined by the organisation")

    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("hub")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # A hub may list any organisation, but only a membership the organisation's representatives
    # (or the network) confirmed gives the hub's team rights over it (permissions.home_hubs).
    status = models.CharField(
        _("confirmation"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(_("confirmed or declined at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed or declined by"),
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["hub", "organisation__name"]
        indexes = [models.Index(fields=["hub", "role"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | Q(until__gte=models.F("since")),
                name="membership_ends_after_start",
            )
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.organisation} in {self.hub}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED


class Person(models.Model):
    """A contact person of an organisation; personal data, private by default."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        help_text=_("The account of this person, if any."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    def __str__(self) -> str:
        return self.name


class HubRole(models.Model):
    """A user's role on a hub: coordinator (hub and sub-hubs), editor, or stakeholder member."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Hub coordinator")
        EDITOR = "editor", _("Hub editor")
        MEMBER = "member", _("Stakeholder member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hub_roles"
    )
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "hub"], name="hubrole_unique_user_hub")
        ]
        verbose_name = _("hub role")
        verbose_name_plural = _("hub roles")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.hub}"


# --- Team invitations (issue #16) ----------------------------------------------------------------


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Neither accepted nor revoked nor expired."""
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """An e-mail invitation to take a role on a hub; the link's token is stored only as a hash.

    The e-mail address is personal data of someone who may have no account yet: the privacy
    section finds, exports and erases invitations by that address.
    """

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=12, choices=HubRole.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["hub", "created_at"])]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} — {self.get_role_display()} — {self.hub}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def state(self) -> str:
        """accepted, revoked, expired or pending."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
