"""Input validation for hub, organisation, membership and stage-change pages."""

from typing import cast

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.emails import EmailAddressField
from echos.core.forms import DateInput, ServiceFormMixin
from echos.core.languages import COUNTRY_LANGUAGE
from echos.core.models import Country, Region, Term
from echos.core.multilingual import TranslationsFormMixin
from echos.core.outline import PointOnMapInput
from echos.hubs.models import Archetype, Hub, Level, Membership, Organisation, Stage


class RegionOfCountryMixin:
    """The region select lists the chosen country's regions only (1,993 regions of every country
    did not scale): the bound country, else the initial one, else the instance's. A region of
    another country is refused on the region field; the country select reloads the options with
    htmx when it changes (``hubs:region_options``)."""

    def chosen_country(self) -> str:
        """The ISO code of the country the form is about (bound, initial or the instance's)."""
        form = cast(forms.ModelForm, self)
        if form.is_bound:
            code = form.data.get(form.add_prefix("country")) or ""
        else:
            code = form.initial.get("country") or getattr(form.instance, "country_id", "") or ""
        return str(getattr(code, "pk", code)).upper()[:2]

    def limit_regions(self) -> None:
        form = cast(forms.ModelForm, self)
        code = self.chosen_country()
        region = cast(forms.ModelChoiceField, form.fields["region"])
        region.queryset = Region.objects.filter(country_id=code).order_by("name")
        region.empty_label = _("No region") if code else _("Choose the country first")
        region.error_messages["invalid_choice"] = _(
            "The region is not in the chosen country: choose one of its regions, or none."
        )
        form.fields["country"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("hubs:region_options"),
                "hx-target": f"#{form['region'].auto_id}",
                "hx-trigger": "change",
                "hx-swap": "innerHTML",
            }
        )


class HubForm(RegionOfCountryMixin, ServiceFormMixin, TranslationsFormMixin, forms.ModelForm):
    # The mission is what a visitor reads; the names are proper names, kept as given (#17).
    translatable_fields = {
        "mission": forms.CharField(
            label=_("Mission statement"), widget=forms.Textarea(attrs={"rows": 3})
        ),
    }

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
        cast(forms.ModelChoiceField, self.fields["country"]).queryset = Country.objects.all()
        self.limit_regions()
        # Forms that scale (#16): the host is one of the chosen country's organisations (or the
        # current host), and a parent one of its hubs — not every organisation and hub in Europe.
        code = self.chosen_country()
        current = getattr(self.instance, "host_organisation_id", None)
        cast(
            forms.ModelChoiceField, self.fields["host_organisation"]
        ).queryset = Organisation.objects.filter(Q(country_id=code) | Q(pk=current)).order_by(
            "name"
        )
        if code:
            parent = cast(forms.ModelChoiceField, self.fields["parent"])
            parent.queryset = cast(QuerySet, parent.queryset).filter(country_id=code)
        country = Country.objects.filter(pk=self.chosen_country()).first()
        if country is not None:
            # Click the country's outline to place the hub (the number fields stay typable).
            self.fields["longitude"].widget = PointOnMapInput(
                country_code=country.code,
                country_name=country.display_name,
                lat_id=self["latitude"].auto_id,
            )
        self.fields["region"].help_text = _("ISO 3166-2 subdivision, for regional and local hubs.")
        self.setup_translations(self.instance if self.instance.pk else None)
        # Left out of a post (a script, an older page): the language stays as it was.
        self.fields["source_language"].required = False
        if not self.instance.pk and code in COUNTRY_LANGUAGE:
            # A new hub writes, by default, in its country's language.
            self.fields["source_language"].initial = COUNTRY_LANGUAGE[code]

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


class OrganisationForm(RegionOfCountryMixin, ServiceFormMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "stakeholder_group", "country", "region", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["stakeholder_group"]).queryset = Term.objects.of(
            Term.Vocabulary.STAKEHOLDER_GROUPS
        )
        self.limit_regions()

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
            # Chosen in the picker (hubs/pickers.py): a list of every organisation of Europe
            # does not scale, so the form carries the chosen id only.
            org = cast(forms.ModelChoiceField, self.fields["organisation"])
            org.queryset = Organisation.objects.select_related("country")
            org.widget = forms.HiddenInput()
            org.error_messages["required"] = _("Choose the organisation in the search above.")
            org.error_messages["invalid_choice"] = _("No organisation with this id.")

    def _post_clean(self):
        pass


class MembershipEditForm(MembershipForm):
    class Meta(MembershipForm.Meta):
        fields = ["role", "since", "until"]


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    email = EmailAddressField(label=_("E-mail"), required=False)
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
