"""The dashboard's filters: a period of whole months (both days included), a country and a
Mission objective, read from the query string; a value not understood is reported and ignored."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import cast
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echos.core.models import Country, Term

# Bounds of the period filter: wide enough for any real event, narrow enough for a month axis.
EARLIEST = date(2000, 1, 1)

LATEST = date(2100, 12, 31)

MAX_MONTHS = 120


def _months_before(day: date, months: int) -> date:
    """The first day of the month ``months`` months before ``day``'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _year_after(day: date) -> date:
    """The same day a year later (1 March for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 3, 1)


def _year_before(day: date) -> date:
    """The first day of the 12 months that end on ``day`` (both days included)."""
    try:
        return day.replace(year=day.year - 1) + timedelta(days=1)
    except ValueError:  # 29 February
        return date(day.year - 1, 3, 1)


def _month_span(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


@dataclass(frozen=True)
class GapFilters:
    """The period (both days included) and optional country and objective of the dashboard."""

    start: date
    end: date
    country: str = ""
    objective: str = ""

    @classmethod
    def default(cls, today: date | None = None) -> "GapFilters":
        """The last 12 months, as documented: the year up to and including today (from 6 December
        2025 on 5 December 2026, not from 1 January)."""
        today = today or timezone.localdate()
        return cls(start=_year_before(today), end=today)

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, end) in the site's time zone."""
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )

    def months(self) -> list[date]:
        """First day of every month the period touches."""
        first = self.start.replace(day=1)
        return [_months_before(first, -i) for i in range(_month_span(self.start, self.end))]

    def query(self) -> str:
        """The filters as a query string (for the CSV link and the map's links)."""
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.country:
            params["country"] = self.country
        if self.objective:
            params["objective"] = self.objective
        return urlencode(params)


class GapFilterForm(forms.Form):
    """The dashboard's GET filters; an invalid value is reported and then ignored."""

    to = forms.DateField(label=gettext_lazy("To"), required=False)
    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    objective = forms.ChoiceField(label=gettext_lazy("Mission objective"), required=False)

    def __init__(self, data, *, countries: list[Country], objectives: list[Term]):
        super().__init__(data)
        # "from" is a Python keyword, so the field is added here rather than declared.
        self.fields = {"from": forms.DateField(label=_("From"), required=False), **self.fields}
        cast(forms.ChoiceField, self.fields["country"]).choices = [("", _("All countries"))] + [
            (c.code, c.display_name) for c in countries
        ]
        cast(forms.ChoiceField, self.fields["objective"]).choices = [("", _("All objectives"))] + [
            (t.code, t.display) for t in objectives
        ]

    def clean(self):
        data = cast(dict, super().clean())
        for name in ("from", "to"):
            day = data.get(name)
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(
                    name,
                    _("Choose a date between %(first)s and %(last)s.")
                    % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()},
                )
        start, end = data.get("from"), data.get("to")
        if start and end:
            if start > end:
                self.add_error("to", _("The end of the period is before its start."))
            elif _month_span(start, end) > MAX_MONTHS:
                self.add_error(
                    "to", _("Choose a period of at most %(n)d months.") % {"n": MAX_MONTHS}
                )
        return data


def parse_filters(
    params, *, countries: list[Country], objectives: list[Term], today: date | None = None
) -> tuple[GapFilters, list[str]]:
    """Filters from a query string and the messages for values that were ignored."""
    form = GapFilterForm(params, countries=countries, objectives=objectives)
    form.is_valid()
    valid = form.cleaned_data
    messages = [
        _("%(field)s: %(error)s The filter was ignored.")
        % {"field": form.fields[name].label if name in form.fields else name, "error": error}
        for name, errors in form.errors.items()
        for error in errors
    ]
    default = GapFilters.default(today)
    start, end = valid.get("from"), valid.get("to")
    # One date alone moves the period while keeping its default length of 12 months.
    if start and not end:
        end = min(_year_after(start) - timedelta(days=1), LATEST)
    elif end and not start:
        start = max(_year_before(end), EARLIEST)
    filters = GapFilters(
        start=start or default.start,
        end=end or default.end,
        country=valid.get("country") or "",
        objective=valid.get("objective") or "",
    )
    return filters, messages
