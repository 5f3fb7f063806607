"""Input validation for hub, organisation, membership and stage-change pages."""

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.forms import DateInput, ServiceFormMixin
from echos.core.models import Country, Region, Term
from echos.hubs.models import Archetype, Hub, Level, Membership, Organisation, Stage


class HubForm(ServiceFormMixin, forms.ModelForm):
    class Meta:
        model = Hub
        fields = [
            "name",
            "name_en",
            "country",
            "level",
            "parent",
            "region",
            "archetype",
            "mission",
            "website",
            "host_organisation",
            "latitude",
            "longitude",
        ]
        widgets = {"mission": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = (
            parents if parents is not None else Hub.objects.exclude(level=Level.LOCAL)
        )
        cast(
            forms.ModelChoiceField, self.fields["region"]
        ).queryset = Region.objects.select_related("country")
        cast(
            forms.ModelChoiceField, self.fields["host_organisation"]
        ).queryset = Organisation.objects.order_by("name")
        cast(forms.ModelChoiceField, self.fields["country"]).queryset = Country.objects.all()
        self.fields["region"].help_text = _("ISO 3166-2 subdivision, for regional and local hubs.")

    def clean(self):
        # Hierarchy and region rules are checked by the service; keep Django's own checks only.
        return super().clean()

    def _post_clean(self):
        # Defer model validation (unique, FK) to the service so one place owns the rules.
        pass


class StageChangeForm(ServiceFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    date = forms.DateField(
        label=_("Date of the change"), widget=DateInput, initial=timezone.localdate
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What shows the hub reached this stage (meeting, decision, launch)."),
    )
    link = forms.URLField(label=_("Link to the evidence"), required=False, assume_scheme="https")
    reason = forms.CharField(
        label=_("Reason (required when moving back)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OrganisationForm(ServiceFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "stakeholder_group", "country", "region", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["stakeholder_group"]).queryset = Term.objects.of(
            Term.Vocabulary.STAKEHOLDER_GROUPS
        )
        cast(
            forms.ModelChoiceField, self.fields["region"]
        ).queryset = Region.objects.select_related("country")

    def _post_clean(self):
        pass


class MembershipForm(ServiceFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["organisation", "role", "since", "until"]
        widgets = {"since": DateInput, "until": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            cast(
                forms.ModelChoiceField, self.fields["organisation"]
            ).queryset = Organisation.objects.select_related("country").order_by("name")

    def _post_clean(self):
        pass


class MembershipEditForm(MembershipForm):
    class Meta(MembershipForm.Meta):
        fields = ["role", "since", "until"]


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"), help_text=_("UTF-8 CSV (with or without BOM) or XLSX.")
    )


class DirectoryFilterForm(forms.Form):
    """The directory's filters; every value lives in the URL."""

    q = forms.CharField(label=_("Search"), required=False)
    country = forms.ModelChoiceField(
        Country.objects.all(), label=_("Country"), required=False, to_field_name="code"
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("Any level"))] + Level.choices, required=False
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("Any stage"))] + Stage.choices, required=False
    )
    archetype = forms.ChoiceField(
        label=_("Archetype"), choices=[("", _("Any archetype"))] + Archetype.choices, required=False
    )
    stakeholder_group = forms.ModelChoiceField(
        Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS),
        label=_("Has members from"),
        required=False,
        to_field_name="code",
    )
