"""Forms of a hub's exchange profile and of the hand corrections of a twinning's levels (input
types only; the rules are in ``profiles`` and ``twinning``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from echos.core.forms import ServiceFormMixin
from echos.exchange import profiles
from echos.exchange.models import Twinning
from echos.hubs.models import Hub

LABEL_BEFORE = _("%(hub)s, %(dimension)s: level before")
LABEL_AFTER = _("%(hub)s, %(dimension)s: level after")
LEVEL_CHOICES = [("", _("not rated"))] + [(str(n), str(n)) for n in range(1, 6)]


class ProfileForm(ServiceFormMixin, forms.Form):
    capacity = forms.IntegerField(
        label=_("Hosting capacity"),
        min_value=0,
        max_value=profiles.MAX_CAPACITY,
        help_text=_("How many hubs it can mentor at once, from 0 to 20."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Working languages"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At most 10."),
    )
    open_to_mentoring = forms.BooleanField(
        label=_("Open to mentoring requests"),
        required=False,
        help_text=_("When unticked, the hub is suggested to nobody as a mentor."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = profiles.language_choices()  # type: ignore[attr-defined]


class TwinningLevelsForm(ServiceFormMixin, forms.Form):
    """One choice 1–5 (or not rated) per hub, targeted dimension, before and after."""

    def __init__(self, *args, twinning: Twinning, hubs: list[Hub], titles: dict[str, str], **kw):
        super().__init__(*args, **kw)
        self.cells: list[tuple[Hub, str, str, str]] = []  # hub, dimension title, before, after
        for hub in hubs:
            for dim in twinning.dimensions:
                names = []
                for moment, stored in (
                    ("before", twinning.levels_before),
                    ("after", twinning.levels_after),
                ):
                    name = f"{moment}_{hub.pk}_{dim}"
                    value = stored.get(str(hub.pk), {}).get(dim)
                    self.fields[name] = forms.TypedChoiceField(
                        label=(LABEL_BEFORE if moment == "before" else LABEL_AFTER)
                        % {"hub": hub.name_en or hub.name, "dimension": titles.get(dim, dim)},
                        choices=LEVEL_CHOICES,
                        coerce=int,
                        empty_value=None,
                        required=False,
                        initial="" if value is None else str(value),
                    )
                    names.append(name)
                self.cells.append((hub, titles.get(dim, dim), names[0], names[1]))
        self.twinning, self.hubs = twinning, hubs

    def rows(self) -> list[tuple]:
        """(hub, dimension title, bound field before, bound field after) for the page's table."""
        return [(hub, title, self[before], self[after]) for hub, title, before, after in self.cells]

    def levels(self) -> dict[str, dict]:
        """``levels_before`` and ``levels_after`` as the service takes them."""
        out: dict[str, dict] = {"levels_before": {}, "levels_after": {}}
        for hub in self.hubs:
            for moment in ("before", "after"):
                out[f"levels_{moment}"][str(hub.pk)] = {
                    dim: self.cleaned_data.get(f"{moment}_{hub.pk}_{dim}")
                    for dim in self.twinning.dimensions
                }
        return out
