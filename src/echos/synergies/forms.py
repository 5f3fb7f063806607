"""Forms for activities and initiatives."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from echos.core.forms import DateInput
from echos.core.languages import language_choices
from echos.core.models import Term
from echos.synergies.models import Activity, Initiative


def _terms(vocabulary):
    return forms.ModelMultipleChoiceField(
        Term.objects.of(vocabulary),
        required=False,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )


class ActivityForm(forms.ModelForm):
    objectives = _terms("objectives")
    policy_areas = _terms("policy_areas")
    target_groups = _terms("stakeholder_groups")

    class Meta:
        model = Activity
        fields = ["title", "description", "language", "start", "end", "region"]
        widgets = {
            "start": DateInput,
            "end": DateInput,
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, hub=None, **kwargs):
        super().__init__(*args, **kwargs)
        hub = hub or getattr(self.instance, "hub", None)
        if hub is not None:
            region = cast(forms.ModelChoiceField, self.fields["region"])
            region.queryset = hub.country.regions.all()
        # Chosen by name in the visitor's language; the ISO 639-1 code is stored (#16).
        language = self.fields["language"]
        language.widget = forms.Select(
            choices=[("", _("Choose a language")), *language_choices([self.instance.language])]
        )
        language.help_text = _("The language the activity is written in.")
        self.fields["objectives"].label = _("Mission objectives")
        self.fields["policy_areas"].label = _("Policy areas")
        self.fields["target_groups"].label = _("Target groups")
        if self.instance.pk:
            for name in ("objectives", "policy_areas", "target_groups"):
                self.initial[name] = [t.code for t in getattr(self.instance, name).all()]

    def _post_clean(self):
        pass


class InitiativeForm(forms.ModelForm):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("objectives", "ebcp_pillars", "policy_areas"):
                self.initial[name] = [t.code for t in getattr(self.instance, name).all()]

    def _post_clean(self):
        pass
