"""The dashboards' period selector: a start and an end month (``YYYY-MM``), the last 12 months by
default; the rules are ``core.kpis.parse_period``'s (an end before the start, in the future or more
than 36 months away from it is refused, naming the field)."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from echos.core import kpis


class PeriodForm(forms.Form):
    """Start and end month of a dashboard (GET parameters ``start`` and ``end``)."""

    start = forms.CharField(
        label=_("From (month)"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"}),
    )
    end = forms.CharField(
        label=_("To (month)"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-06"}),
    )

    def clean(self):
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            data["period"] = kpis.parse_period(data["start"], data["end"])
        except kpis.PeriodError as exc:
            self.add_error(exc.field, exc.message)
        return data


def period_form(params) -> tuple[PeriodForm, tuple[date, date] | None]:
    """The bound form (default: the last 12 months) and its period, None when it is refused."""
    if "start" not in params and "end" not in params:
        start, end = kpis.default_period()
        params = {"start": f"{start:%Y-%m}", "end": f"{end:%Y-%m}"}
    form = PeriodForm(params)
    return form, (form.cleaned_data["period"] if form.is_valid() else None)
