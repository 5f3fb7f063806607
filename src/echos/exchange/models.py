"""Network of support: establishment roadmaps, exchange sessions (an extension of calendar events),
commitments, inception invitations, twinning agreements and support requests.

A session is an ``events.Event``: ``ExchangeSession`` only adds the exchange fields to it, so the
calendar, registration and iCal feeds stay the events app's. Codes of stored lists (challenges,
maturity dimensions) are kept as JSON lists of codes; labels stay translatable in code.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.models import Country, Term
from echos.events.models import Event
from echos.hubs.models import Hub, Organisation

# The stakeholder groups a hub is expected to bring together from the start (Penta Helix:
# government, academia, industry, civil society, citizens; plus patients and care providers).
KEY_GROUPS: tuple[str, ...] = (
    "citizens",
    "patients",
    "healthcare_providers",
    "research",
    "industry",
    "authorities",
    "civil_society",
)


class Challenge(models.TextChoices):
    """The problems hubs share, raised in sessions (a closed vocabulary)."""

    FUNDING = "funding", _("Long-term funding")
    MANDATE = "mandate", _("Mandate")
    MOMENTUM = "momentum", _("Momentum")
    FRAGMENTATION = "fragmentation", _("Fragmentation")
    TRUST = "trust", _("Trust")
    RESOURCES = "resources", _("Resources")


class Roadmap(models.Model):
    """The establishment roadmap of a country that has no hub yet or a hub before "launched"."""

    country = models.OneToOneField(
        Country, on_delete=models.PROTECT, related_name="roadmap", verbose_name=_("country")
    )
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country__name"]
        verbose_name = _("establishment roadmap")
        verbose_name_plural = _("establishment roadmaps")

    def __str__(self) -> str:
        return str(_("Roadmap of %(country)s") % {"country": self.country.name})

    def get_absolute_url(self) -> str:
        return reverse("exchange:roadmap", args=[self.country_id])

    @property
    def national_hub(self) -> Hub | None:
        """The country's national hub, if one is registered."""
        return Hub.objects.national().filter(country_id=self.country_id).order_by("pk").first()


class StepStatus(models.TextChoices):
    TO_DO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class RoadmapStep(models.Model):
    """One step of a roadmap (``code`` is one of ``roadmap.STEPS``), with its owner and evidence."""

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="steps")
    code = models.SlugField(_("step"), max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=StepStatus.choices, default=StepStatus.TO_DO
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    link = models.URLField(_("evidence link"), blank=True)
    resources = models.ManyToManyField(
        "library.Resource", blank=True, related_name="+", verbose_name=_("library resources")
    )

    class Meta:
        ordering = ["roadmap", "position"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "code"], name="exchange_step_unique_code")
        ]
        verbose_name = _("roadmap step")
        verbose_name_plural = _("roadmap steps")

    def __str__(self) -> str:
        return f"{self.roadmap}: {self.code}"

    @property
    def is_done(self) -> bool:
        return self.status == StepStatus.DONE

    @property
    def is_overdue(self) -> bool:
        return not self.is_done and self.due is not None and self.due < timezone.localdate()


class SessionKind(models.TextChoices):
    KNOWLEDGE_EXCHANGE = "knowledge_exchange", _("Knowledge-exchange session")
    INCEPTION_DIALOGUE = "inception_dialogue", _("Inception dialogue")
    STUDY_VISIT = "study_visit", _("Study visit")
    TWINNING_MEETING = "twinning_meeting", _("Twinning meeting")


class SessionQuerySet(models.QuerySet):
    def dialogues(self):
        """Inception dialogues only."""
        return self.filter(kind=SessionKind.INCEPTION_DIALOGUE)

    def visible_to_public(self):
        """Sessions whose event the public calendar shows."""
        return self.exclude(event__status=Event.Status.DRAFT)


class ExchangeSession(models.Model):
    """The exchange fields of a calendar event: who hosts and takes part, goals, what came out."""

    class DialogueStatus(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        RECORDED = "recorded", _("Conclusions recorded")

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="exchange", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=SessionKind.choices)
    participating_hubs = models.ManyToManyField(
        Hub, blank=True, related_name="exchange_sessions", verbose_name=_("participating hubs")
    )
    countries = models.ManyToManyField(
        Country, blank=True, related_name="+", verbose_name=_("participating countries")
    )
    objectives = models.ManyToManyField(
        Term,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.OBJECTIVES},
        verbose_name=_("learning goals: Mission objectives"),
    )
    dimensions = models.JSONField(_("learning goals: maturity dimensions"), default=list)
    goals = models.TextField(_("learning goals"), blank=True)
    materials = models.TextField(_("materials"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    challenges = models.JSONField(_("challenges raised"), default=list)
    dialogue_status = models.CharField(
        _("dialogue status"),
        max_length=10,
        choices=DialogueStatus.choices,
        default=DialogueStatus.PLANNED,
    )
    resources = models.ManyToManyField(
        "library.Resource", blank=True, related_name="+", verbose_name=_("library resources")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["-event__start"]
        verbose_name = _("exchange session")
        verbose_name_plural = _("exchange sessions")

    def __str__(self) -> str:
        return self.event.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:session", args=[self.pk])

    @property
    def challenge_labels(self) -> list[str]:
        labels = dict(Challenge.choices)
        return [str(labels.get(c, c)) for c in self.challenges]

    @property
    def is_dialogue(self) -> bool:
        return self.kind == SessionKind.INCEPTION_DIALOGUE


class Invitation(models.Model):
    """A stakeholder invited to an inception dialogue, by group (an organisation or a named group)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        ATTENDED = "attended", _("Attended")

    session = models.ForeignKey(
        ExchangeSession, on_delete=models.CASCADE, related_name="invitations"
    )
    stakeholder_group = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.STAKEHOLDER_GROUPS},
        verbose_name=_("stakeholder group"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("invitee"), max_length=250)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.INVITED
    )

    class Meta:
        ordering = ["session", "stakeholder_group__position", "name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.name


class CommitmentQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Commitment.Status.DONE)

    def overdue(self, today: date | None = None):
        """Commitments not done whose date has passed."""
        return self.open().filter(due__lt=today or timezone.localdate())


class Commitment(models.Model):
    """What a hub committed to in a session: who (the hub and a named owner), what, by when."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    session = models.ForeignKey(
        ExchangeSession, on_delete=models.CASCADE, related_name="commitments"
    )
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="commitments")
    owner = models.CharField(_("owner"), max_length=200)
    what = models.TextField(_("what"))
    due = models.DateField(_("by when"))
    status = models.CharField(
        _("status"), max_length=6, choices=Status.choices, default=Status.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["status", "due"])]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return self.what[:80]

    @property
    def is_overdue(self) -> bool:
        return self.status != self.Status.DONE and self.due < timezone.localdate()


class Twinning(models.Model):
    """A twinning agreement between two or more hubs on chosen maturity dimensions."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ENDED_EARLY = "ended_early", _("Ended early")

    title = models.CharField(_("title"), max_length=200)
    hubs = models.ManyToManyField(Hub, related_name="twinnings", verbose_name=_("hubs"))
    dimensions = models.JSONField(_("targeted maturity dimensions"), default=list)
    goals = models.TextField(_("goals"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    practice = models.TextField(_("practice transferred"), blank=True)
    adaptation = models.TextField(_("how it was adapted"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    # {"<hub id>": {"<dimension>": level or null}}: self-rated levels before and after.
    levels_before = models.JSONField(_("levels before"), default=dict, blank=True)
    levels_after = models.JSONField(_("levels after"), default=dict, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="twinning_ends_after"
            )
        ]
        verbose_name = _("twinning agreement")
        verbose_name_plural = _("twinning agreements")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:twinning", args=[self.pk])

    @property
    def duration_days(self) -> int:
        return (self.end - self.start).days


class Milestone(models.Model):
    """A dated milestone of a twinning."""

    twinning = models.ForeignKey(Twinning, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title


class ProgressNote(models.Model):
    """A dated note on how a twinning is going."""

    twinning = models.ForeignKey(Twinning, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return self.text[:80]


class SupportRequestQuerySet(models.QuerySet):
    def visible_to(self, user, editable_hub_ids: set[int] | None):
        """Requests ``user`` may read: network-visible ones (signed in), their hubs' and those
        their hubs were asked to help with. ``editable_hub_ids`` None means everything (network)."""
        if editable_hub_ids is None:
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(
            Q(visibility=SupportRequest.Visibility.NETWORK)
            | Q(hub_id__in=editable_hub_ids)
            | Q(asked_hubs__in=editable_hub_ids)
        ).distinct()


class SupportRequest(models.Model):
    """A hub asking the network for help on a topic; answered in a thread."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class Visibility(models.TextChoices):
        PRIVATE = "private", _("Private: the hubs asked and the network coordinators")
        NETWORK = "network", _("Visible to the whole network (signed-in users)")

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="support_requests")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what help is needed"))
    dimension = models.CharField(_("maturity dimension"), max_length=60, blank=True)
    objective = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Term.Vocabulary.OBJECTIVES},
        verbose_name=_("Mission objective"),
    )
    visibility = models.CharField(
        _("who sees it"), max_length=8, choices=Visibility.choices, default=Visibility.NETWORK
    )
    asked_hubs = models.ManyToManyField(
        Hub, blank=True, related_name="support_asked", verbose_name=_("hubs asked")
    )
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    first_answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:request", args=[self.pk])

    @property
    def time_to_first_answer(self) -> timedelta | None:
        if self.first_answered_at is None:
            return None
        return self.first_answered_at - self.created_at

    @property
    def hours_to_first_answer(self) -> float | None:
        delta = self.time_to_first_answer
        return round(delta.total_seconds() / 3600, 1) if delta is not None else None


class Answer(models.Model):
    """One message of a support request's thread."""

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="answers")
    hub = models.ForeignKey(
        Hub,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answering hub"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    text = models.TextField(_("answer"))
    at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text[:80]


class ExchangeProfile(models.Model):
    """What a hub offers the exchange programme, set by its team: how many hubs it can mentor at
    once, the languages it works in and whether it takes mentoring requests. A hub without a
    profile gets the defaults of ``peers`` (capacity by stage, the country's language)."""

    MAX_CAPACITY = 20

    hub = models.OneToOneField(Hub, on_delete=models.CASCADE, related_name="exchange_profile")
    capacity = models.PositiveSmallIntegerField(_("hosting capacity"))
    # ISO 639-1 codes, sorted.
    languages = models.JSONField(_("working languages"), default=list)
    open_to_mentoring = models.BooleanField(_("open to mentoring requests"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__lte=20), name="exchange_profile_capacity_max"
            )
        ]
        verbose_name = _("exchange profile")
        verbose_name_plural = _("exchange profiles")

    def __str__(self) -> str:
        return str(self.hub)
