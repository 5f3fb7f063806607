"""Forms for activities and initiatives."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from echos.core.forms import DateInput
from echos.core.languages import COUNTRY_LANGUAGE
from echos.core.models import Term
from echos.core.multilingual import TranslationsFormMixin
from echos.synergies.models import Activity, Initiative


def _terms(vocabulary):
    return forms.ModelMultipleChoiceField(
        Term.objects.of(vocabulary),
        required=False,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )


class ActivityForm(TranslationsFormMixin, forms.ModelForm):
    objectives = _terms("objectives")
    policy_areas = _terms("policy_areas")
    target_groups = _terms("stakeholder_groups")

    class Meta:
        model = Activity
        fields = ["title", "description", "start", "end", "region"]
        widgets = {
            "start": DateInput,
            "end": DateInput,
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    translatable_fields = {
        "title": forms.CharField(label=_("Title"), max_length=250),
        "description": forms.CharField(
            label=_("Description"), max_length=100_000, widget=forms.Textarea(attrs={"rows": 4})
        ),
    }

    def __init__(self, *args, hub=None, **kwargs):
        super().__init__(*args, **kwargs)
        hub = hub or getattr(self.instance, "hub", None)
        if hub is not None:
            region = cast(forms.ModelChoiceField, self.fields["region"])
            region.queryset = hub.country.regions.all()
        self.fields["objectives"].label = _("Mission objectives")
        self.fields["policy_areas"].label = _("Policy areas")
        self.fields["target_groups"].label = _("Target groups")
        if self.instance.pk:
            for name in ("objectives", "policy_areas", "target_groups"):
                self.initial[name] = [t.code for t in getattr(self.instance, name).all()]
        # A new activity is written, by default, in its hub's country language (#17).
        self.setup_translations(self.instance if self.instance.pk else None)
        if not self.instance.pk and hub is not None:
            self.fields["source_language"].initial = COUNTRY_LANGUAGE.get(
                hub.country_id, self.fields["source_language"].initial
            )

    def _post_clean(self):
        pass


class InitiativeForm(TranslationsFormMixin, forms.ModelForm):
    objectives = _terms("objectives")
    ebcp_pillars = _terms("ebcp_pillars")
    policy_areas = _terms("policy_areas")

    class Meta:
        model = Initiative
        fields = [
            "name",
            "acronym",
            "programme",
            "description",
            "start",
            "end",
            "website",
            "partners",
            "source",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    translatable_fields = {
        "name": forms.CharField(label=_("Name"), max_length=250),
        "description": forms.CharField(
            label=_("Description"), widget=forms.Textarea(attrs={"rows": 4})
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("objectives", "ebcp_pillars", "policy_areas"):
                self.initial[name] = [t.code for t in getattr(self.instance, name).all()]
        self.setup_translations(self.instance if self.instance.pk else None)
        # Left out of a post (a script, an older page): the language stays as it was.
        self.fields["source_language"].required = False

    def _post_clean(self):
        pass
