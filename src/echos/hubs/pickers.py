"""Organisation pickers: find an organisation of the registry by name, country and group.

One search for every page that chooses an organisation (a hub's "Add member", the engagement
register, relationships between organisations). Invariants:

- bounded: a name of at most ``MAX_QUERY`` characters, at most ``LIMIT`` results (one more is
  read to say that there are more);
- the name matches the stored ``normalised_name`` (case-, accent- and punctuation-insensitive,
  computed in Python when the organisation is saved), so SQLite and PostgreSQL answer alike;
- country and group narrow through their indexed foreign keys;
- a page marks the organisations that cannot be chosen (already members, already in the register)
  instead of hiding them, so nobody registers a duplicate believing it missing.

The picker works without JavaScript (a GET form that reloads the page with results, each name a
link that chooses it) and with htmx (the same GET swaps only the results while typing).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from echos.core.models import Country, Term
from echos.hubs.models import Organisation, normalise_name

MAX_QUERY = 100
MIN_QUERY = 2
LIMIT = 20


def search_organisations(
    text: str = "", *, country: str = "", group: str = "", limit: int = LIMIT
) -> QuerySet:
    """Organisations whose name contains ``text`` (any case and accents), in ``country`` (ISO code)
    and ``group`` (stakeholder group code) when given; nothing for a search without criteria."""
    words = normalise_name((text or "")[:MAX_QUERY])
    if len(words) < MIN_QUERY and not country and not group:
        return Organisation.objects.none()
    qs = Organisation.objects.select_related("country", "stakeholder_group")
    if len(words) >= MIN_QUERY:
        for word in words.split():
            qs = qs.filter(normalised_name__contains=word)
    if country:
        qs = qs.filter(country_id=country.upper())
    if group:
        qs = qs.filter(stakeholder_group__code=group)
    return qs.order_by("name", "country_id")[:limit]


class PickerForm(forms.Form):
    """The picker's filters, read from the query string (``q``, ``country``, ``group``)."""

    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=MAX_QUERY,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    country = forms.ModelChoiceField(
        Country.objects.all(),
        label=_("Country"),
        required=False,
        to_field_name="code",
        empty_label=_("Any country"),
    )
    group = forms.ModelChoiceField(
        Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS),
        label=_("Stakeholder group"),
        required=False,
        to_field_name="code",
        empty_label=_("Any group"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "org-%s")
        super().__init__(*args, **kwargs)

    def criteria(self) -> dict:
        """The valid criteria as codes (empty when the form is invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "text": (data["q"] or "").strip(),
            "country": data["country"].code if data["country"] else "",
            "group": data["group"].code if data["group"] else "",
        }


@dataclass
class Picker:
    """What the picker template shows: the form, the results with their links and marks."""

    form: PickerForm
    url: str
    results: list = field(default_factory=list)
    searched: bool = False
    more: bool = False
    keep: dict = field(default_factory=dict)
    limit: int = LIMIT

    @property
    def valid(self) -> bool:
        return not self.form.errors


def picker(
    params,
    *,
    url: str,
    choose: str,
    marks: Callable[[list[int]], dict[int, str]] | None = None,
    exclude: set[int] | frozenset[int] = frozenset(),
    keep: dict | None = None,
) -> Picker:
    """Run the picker for a request's query ``params``.

    ``choose`` names the query parameter a result's link sets (``organisation``, ``target``);
    ``marks`` is given the ids found and answers those that cannot be chosen, each with the reason
    shown instead of its link (so a hub of thousands of members is asked about 20 ids only);
    ``keep`` holds other parameters the links carry along (e.g. the recording hub).
    """
    form = PickerForm(params or None)
    keep = {k: v for k, v in (keep or {}).items() if v not in (None, "")}
    found = Picker(form=form, url=url, keep=keep)
    criteria = form.criteria() if params else {}
    if not any(criteria.values()):
        return found
    found.searched = True
    found_rows = search_organisations(**criteria, limit=LIMIT + 1 + len(exclude))
    rows = [o for o in found_rows if o.pk not in exclude]
    found.more = len(rows) > LIMIT
    marked = marks([o.pk for o in rows[:LIMIT]]) if marks else {}
    query = {"q": criteria["text"], "country": criteria["country"], "group": criteria["group"]}
    query = {k: v for k, v in query.items() if v} | keep
    for org in rows[:LIMIT]:
        org.mark = marked.get(org.pk, "")
        org.choose_url = "?" + urlencode({choose: org.pk, **query})
        found.results.append(org)
    return found


def wants_results(request) -> bool:
    """An htmx request for the results only (typing); a history restore wants the whole page."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return htmx.target == "org-results" and not htmx.history_restore_request
