"""List filters read from the query string: what a page did not understand, told in one notice.

Every list page (hub directory, organisations, calendar and month, proposals, library) keeps its
filters in the URL. A URL may carry a value that names nothing (``country=XX``) or a parameter
the page does not have (``colour=red``): the page then ignores it, shows what the other filters
give and says in one notice which parameters and values it ignored, instead of quietly showing
nothing or everything.
"""

from collections.abc import Iterable

from django import forms
from django.contrib import messages
from django.utils.translation import gettext as _

# Parameters every list page understands besides its own filters.
COMMON = frozenset({"page", "lang"})

# A value quoted in the notice is cut here: the notice names it, it does not echo a whole URL.
VALUE_SHOWN = 40


def ignored_item(name: str, value: object = "") -> str:
    """``name=value`` as the notice shows it (the value shortened), or the name alone."""
    text = str(value or "").strip()
    if not text:
        return name
    if len(text) > VALUE_SHOWN:
        text = text[: VALUE_SHOWN - 1] + "…"
    return f"{name}={text}"


def unknown_parameters(params, known: Iterable[str]) -> list[str]:
    """The parameters of ``params`` that the page does not have, as notice items."""
    allowed = COMMON | set(known)
    return [ignored_item(name, params.get(name)) for name in params if name not in allowed]


def form_filters(form: forms.Form, params) -> tuple[dict, list[str]]:
    """The cleaned values of a filter form's valid fields and the notice items of its invalid ones.

    A wrong value in one field leaves the other filters working (the whole form used to be
    dropped, showing every row); the wrong one is named with its value.
    """
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})  # none on an unbound form (no query string)
    ignored = [ignored_item(name, params.get(name)) for name in form.errors if name in form.fields]
    data = {name: cleaned.get(name) for name in form.fields if name not in form.errors}
    return data, ignored


def say_ignored(request, ignored: Iterable[str]) -> None:
    """One notice naming every filter that was not understood and is ignored (a full page only:
    an htmx swap does not show messages, which would then wait for the next page)."""
    items = list(dict.fromkeys(ignored))
    if items and not getattr(request, "htmx", False):
        messages.warning(
            request,
            _("These filters were not understood and are ignored: %(names)s.")
            % {"names": ", ".join(items)},
        )
