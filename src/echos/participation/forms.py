"""Input validation for consultations, follow-ups, proposals, comments, reports, answers and moderation.

Length limits match the services' (which check again), so a form names the field before a
service is called; a service's RuleViolation is put on the field it names.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from echos.core.emails import EmailAddressField
from echos.core.forms import DateTimeInput, ServiceFormMixin
from echos.core.multilingual import TranslationsFormMixin, active_language
from echos.core.multilingual import _source_language_choices as language_choices
from echos.participation.models import (
    BODY_MAX,
    COMMENT_MAX,
    NAME_MAX,
    REASON_MAX,
    TITLE_MAX,
    Consultation,
    ModerationAction,
    Proposal,
    Report,
)


def _max_length_message(limit: int) -> dict:
    return {"max_length": _("Keep this under %(limit_value)d characters (it has %(show_value)d).")}


def _consultation_text_fields() -> dict[str, forms.Field]:
    return {
        "title": forms.CharField(label=_("Title"), max_length=200),
        "description": forms.CharField(
            label=_("Description"),
            max_length=BODY_MAX,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages=_max_length_message(BODY_MAX),
        ),
    }


class ConsultationForm(TranslationsFormMixin, ServiceFormMixin, forms.Form):
    """A new consultation; its title and description in other languages on the same form."""

    translatable_fields = _consultation_text_fields()
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the consultation is about, and what the hub will do with the answers."),
        error_messages=_max_length_message(BODY_MAX),
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"), widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=100,
        help_text=_("ISO 639-1 codes separated by commas, e.g. en, pl."),
    )
    mode = forms.ChoiceField(
        label=_("Who may answer"), choices=Consultation.Mode.choices, initial="open"
    )
    definition = forms.CharField(
        label=_("Questionnaire (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_(
            "Leave empty to use the standard questionnaire on the hub's priorities, or paste a "
            "definition in the questionnaire engine's JSON format (sections and questions)."
        ),
    )

    def __init__(self, *args, source_language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_translations()
        self.fields["source_language"].required = False  # default: the hub's country's language
        if source_language:
            self.fields["source_language"].initial = source_language

    def clean_languages(self) -> list[str]:
        return [c.strip() for c in self.cleaned_data["languages"].split(",") if c.strip()]


class ConsultationTextForm(TranslationsFormMixin, ServiceFormMixin, forms.Form):
    """The organiser's text of an existing consultation and its translations."""

    translatable_fields = _consultation_text_fields()
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=_max_length_message(BODY_MAX),
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        kwargs.setdefault(
            "initial", {"title": consultation.title, "description": consultation.description}
        )
        super().__init__(*args, **kwargs)
        self.setup_translations(consultation)


class FollowUpForm(TranslationsFormMixin, forms.Form):
    """The follow-up, in the consultation's source language, and its translations."""

    translatable_fields = {
        "follow_up": forms.CharField(
            label=_("What we did with your input"),
            max_length=BODY_MAX * 2,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages=_max_length_message(BODY_MAX * 2),
        )
    }
    follow_up = forms.CharField(
        label=_("What we did with your input"),
        required=False,
        max_length=BODY_MAX * 2,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Shown on the consultation's page once it has closed. Leave empty to withdraw it."
        ),
        error_messages=_max_length_message(BODY_MAX * 2),
    )

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_translations(consultation)
        self.fields["source_language"].required = False
        # Written in the consultation's language: shown, changed with the consultation's text.
        self.fields["source_language"].disabled = True
        self.fields["source_language"].help_text = _(
            "The consultation's language (change it with the consultation's text)."
        )


class ParticipantMixin:
    """An e-mail field for people without an account (removed for signed-in users)."""

    fields: dict[str, forms.Field]  # the form's

    def _participant_fields(self, user) -> None:
        if user is not None and user.is_authenticated:
            self.fields.pop("email", None)


def _email_field():
    return EmailAddressField(
        label=_("Your e-mail address"),
        help_text=_(
            "We send you a link to confirm; it is never shown or exported with your contribution."
        ),
    )


def _language_field():
    return forms.ChoiceField(
        label=_("Written in"),
        choices=language_choices,
        required=False,
        help_text=_("The language you write in; your words are shown as you wrote them."),
    )


def _name_field():
    return forms.CharField(
        label=_("Name shown (optional)"),
        required=False,
        max_length=NAME_MAX,
        help_text=_("Leave empty to appear as “a participant”."),
        error_messages=_max_length_message(NAME_MAX),
    )


class AnswerIdentityForm(ParticipantMixin, forms.Form):
    email = _email_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._participant_fields(user)


class ProposalForm(ServiceFormMixin, ParticipantMixin, forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX, error_messages=_max_length_message(TITLE_MAX)
    )
    body = forms.CharField(
        label=_("Your proposal"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("At most %(n)d characters. Do not include other people's personal details.")
        % {"n": BODY_MAX},
        error_messages=_max_length_message(BODY_MAX),
    )
    language = _language_field()
    display_name = _name_field()
    email = _email_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._participant_fields(user)
        self.fields["language"].initial = active_language()


class CommentForm(ServiceFormMixin, ParticipantMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_max_length_message(COMMENT_MAX),
    )
    language = _language_field()
    display_name = _name_field()
    email = _email_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._participant_fields(user)
        self.fields["language"].initial = active_language()


class SupportForm(ParticipantMixin, forms.Form):
    email = _email_field()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._participant_fields(user)


class ReportForm(ServiceFormMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Why do you report this?"), choices=Report.Reason.choices)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is “Other”."),
        error_messages=_max_length_message(REASON_MAX),
    )


class AnswerProposalForm(TranslationsFormMixin, ServiceFormMixin, forms.Form):
    """The hub's answer to a proposal, and the answer in other languages."""

    translatable_fields = {
        "answer": forms.CharField(
            label=_("Answer to the author and the public"),
            max_length=BODY_MAX,
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages=_max_length_message(BODY_MAX),
        )
    }
    status = forms.ChoiceField(label=_("Status"), choices=Proposal.Status.choices)
    reason = forms.CharField(
        label=_("Answer to the author and the public"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required when the proposal is not taken forward."),
        error_messages=_max_length_message(BODY_MAX),
    )

    def __init__(self, *args, proposal: Proposal, source_language: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_translations(proposal if proposal.answer else None)
        self.fields["source_language"].required = False  # default: as before, or the hub's
        if source_language and not proposal.answer:
            self.fields["source_language"].initial = source_language


class ModerationForm(ServiceFormMixin, forms.Form):
    action = forms.ChoiceField(label=_("Decision"), choices=ModerationAction.Action.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_max_length_message(REASON_MAX),
    )
