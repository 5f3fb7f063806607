"""Consultations and their answers (with tallies), proposals, supports, comments, reports, moderation.

A *participant* is either a signed-in account (counted at once) or an e-mail address confirmed
through a signed link (``confirmed_at`` stays empty until then). Only confirmed contributions are
public or counted; pending ones expire after ``PENDING_HOURS`` and are purged by retention.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.contributions import normalise_email  # the one normal form (also privacy.py)
from echos.core.multilingual import TranslatableModel
from echos.hubs.models import Hub
from echos.questionnaires.models import Instrument

PENDING_HOURS = 72
TITLE_MAX = 150
BODY_MAX = 5000
COMMENT_MAX = 2000
REASON_MAX = 2000
NAME_MAX = 80


class ContributionQuerySet(models.QuerySet):
    def confirmed(self):
        """Contributions that count: from an account or with a confirmed e-mail."""
        return self.filter(confirmed_at__isnull=False)

    def pending(self):
        """Waiting for the e-mail confirmation."""
        return self.filter(confirmed_at__isnull=True)

    def expired(self, now=None):
        """Pending contributions whose confirmation link has expired."""
        cutoff = (now or timezone.now()) - timedelta(hours=PENDING_HOURS)
        return self.filter(confirmed_at__isnull=True, created_at__lt=cutoff)

    def of(self, user=None, emails=()):
        """Contributions of one person: their account or any of their e-mail addresses."""
        q = Q(pk__in=[])
        if user is not None and getattr(user, "pk", None):
            q |= Q(user=user)
        for email in emails:
            if normalise_email(email):
                q |= Q(email=normalise_email(email))
        return self.filter(q)


class Contribution(models.Model):
    """Who contributed: an account, or an e-mail confirmed through a signed link."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    email = models.CharField(_("e-mail (normalised)"), max_length=254, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def is_expired(self, now=None) -> bool:
        """Pending and older than the confirmation link's lifetime."""
        now = now or timezone.now()
        return not self.is_confirmed and self.created_at < now - timedelta(hours=PENDING_HOURS)


class ConsultationQuerySet(models.QuerySet):
    def open(self, now=None):
        """Consultations taking answers now."""
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def closed(self, now=None):
        """Consultations whose period has ended."""
        return self.filter(closes_at__lte=now or timezone.now())

    def upcoming(self, now=None):
        """Announced consultations that have not opened yet."""
        return self.filter(opens_at__gt=now or timezone.now())


class Consultation(TranslatableModel):
    """A hub's questionnaire open to the public for a period; answers come from the one engine.

    Its title, description and follow-up are the organiser's text: written in ``source_language``,
    with ``translations`` into other languages. The questions are the questionnaire's
    (``questionnaires``), translated there.
    """

    TRANSLATABLE = ("title", "description", "follow_up")
    # The follow-up is public only once published after the close: never found by a search.
    SEARCH_EXCLUDE = ("follow_up",)

    class Mode(models.TextChoices):
        OPEN = "open", _("Anyone: with an account, or with an e-mail address they confirm")
        ACCOUNT = "account", _("Signed-in participants only")

    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("hub")
    )
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("questionnaire"),
        limit_choices_to={"kind": Instrument.Kind.CONSULTATION},
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_("ISO 639-1 codes, e.g. en, pl")
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    mode = models.CharField(
        _("who may answer"), max_length=10, choices=Mode.choices, default=Mode.OPEN
    )
    confirmed_count = models.PositiveIntegerField(_("confirmed answers"), default=0)
    follow_up = models.TextField(_("what we did with your input"), blank=True)
    follow_up_published_at = models.DateTimeField(_("follow-up published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["closes_at", "opens_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:consultation", args=[self.pk])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at

    @property
    def state(self) -> str:
        """upcoming, open or closed."""
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"

    @property
    def follow_up_visible(self) -> bool:
        """The follow-up is public once published and the consultation has closed."""
        return bool(self.follow_up_published_at and self.follow_up and self.is_closed())


class Answer(Contribution):
    """One person's answers to a consultation: the engine's validated answers dict."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    answers = models.JSONField(_("answers"), default=dict)
    language = models.CharField(
        _("language"), max_length=8, blank=True, help_text=_("The language the person answered in.")
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["consultation", "confirmed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "email"],
                condition=~Q(email=""),
                name="answer_one_per_email",
            ),
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=Q(user__isnull=False),
                name="answer_one_per_account",
            ),
        ]
        verbose_name = _("consultation answer")
        verbose_name_plural = _("consultation answers")

    def __str__(self) -> str:
        return f"{self.consultation} #{self.pk}"


class AnswerTally(models.Model):
    """Confirmed answers per (question, option); option "" counts who answered the question.

    Updated in the transaction that confirms an answer, so results never read the answers.
    """

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="tallies")
    question = models.CharField(_("question"), max_length=60)
    option = models.CharField(_("option"), max_length=100, blank=True)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        ordering = ["consultation", "question", "option"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "question", "option"], name="tally_unique_cell"
            )
        ]
        verbose_name = _("answer tally")
        verbose_name_plural = _("answer tallies")

    def __str__(self) -> str:
        return f"{self.question}={self.option or '*'}: {self.count}"


class ProposalQuerySet(ContributionQuerySet):
    def public(self):
        """Confirmed and not hidden by moderators."""
        return self.filter(confirmed_at__isnull=False, is_hidden=False)


class Proposal(Contribution, TranslatableModel):
    """A citizen's idea for a hub (or within one of its consultations), and the hub's answer.

    The citizen's title and body are their own words, stored in the language they wrote
    (``language``) and never translated. The hub's ``answer`` is the hub's text: written in
    ``source_language`` with ``translations``. ``search_text`` holds both, folded.
    """

    TRANSLATABLE = ("answer",)
    SEARCH_ALSO = ("title", "body")

    class Status(models.TextChoices):
        UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
        ACCEPTED = "accepted", _("Accepted")
        IN_PROGRESS = "in_progress", _("In progress")
        NOT_TAKEN = "not_taken", _("Not taken forward")

    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("hub")
    )
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("consultation"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("proposal"))
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        help_text=_("The language the author wrote the proposal in."),
    )
    display_name = models.CharField(_("name shown"), max_length=NAME_MAX, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.UNDER_CONSIDERATION
    )
    answer = models.TextField(_("hub's answer"), blank=True)
    source_language = models.CharField(
        _("answer written in"),
        max_length=8,
        default="en",
        help_text=_("The language the hub's answer was written in."),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    # django-stubs types the abstract base's manager as a class variable.
    objects = ProposalQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["hub", "is_hidden", "confirmed_at"]),
            models.Index(fields=["status"]),
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("participation:proposal", args=[self.pk])


class Support(Contribution):
    """One person's support of a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "email"],
                condition=~Q(email=""),
                name="support_one_per_email",
            ),
            models.UniqueConstraint(
                fields=["proposal", "user"],
                condition=Q(user__isnull=False),
                name="support_one_per_account",
            ),
        ]
        verbose_name = _("support")
        verbose_name_plural = _("supports")

    def __str__(self) -> str:
        return f"+1 {self.proposal}"


class CommentQuerySet(ContributionQuerySet):
    def public(self):
        return self.filter(confirmed_at__isnull=False, is_hidden=False)


class Comment(Contribution):
    """A comment on a proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField(_("comment"))
    language = models.CharField(
        _("language"), max_length=8, blank=True, help_text=_("The language the comment is in.")
    )
    display_name = models.CharField(_("name shown"), max_length=NAME_MAX, blank=True)
    is_hidden = models.BooleanField(_("hidden by moderators"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)

    # django-stubs types the abstract base's manager as a class variable.
    objects = CommentQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["proposal", "is_hidden", "confirmed_at"])]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def hub(self) -> Hub:
        return self.proposal.hub


class Report(models.Model):
    """Someone flags a proposal or a comment for the moderators."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        OFFENSIVE = "offensive", _("Offensive or hateful")
        PERSONAL_DATA = "personal_data", _("Reveals personal data")
        OFF_TOPIC = "off_topic", _("Off topic")
        OTHER = "other", _("Other")

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("details"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False) ^ Q(comment__isnull=False),
                name="report_one_target",
            )
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.proposal or self.comment}"

    @property
    def target(self):
        return self.proposal or self.comment


class ModerationAction(models.Model):
    """A moderator hid, restored or cleared the reports of a proposal or a comment, with a reason."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        DISMISS = "dismiss", _("Reports dismissed")

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="moderation_actions")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposal__isnull=False) ^ Q(comment__isnull=False),
                name="moderation_one_target",
            )
        ]
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.proposal or self.comment}"
