"""Events in the site-wide search (core.search): the public calendar's events, never drafts."""

from urllib.parse import urlencode

from django.db.models import Case, IntegerField, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from echos.core.dates import medium_date
from echos.core.folding import words
from echos.core.multilingual import folded_search, shown
from echos.core.search import Hit, Section, section
from echos.events.models import Event


def find(user, query: str, limit: int) -> list[Section]:
    if not words(query):  # punctuation only: nothing to look for
        return []
    now = timezone.now()
    # Every language version of every text, ignoring case and accents (issue #17).
    events = (
        folded_search(Event.objects.public(), query)
        .select_related("country")
        .defer("search_text")
        # Upcoming events first, soonest first; then past ones, latest first.
        .annotate(past=Case(When(end__lte=now, then=1), default=0, output_field=IntegerField()))
        .order_by("past", "start", "pk")
    )
    return [
        section(
            _("Events"),
            events,
            lambda e: Hit(
                shown(e, "title").text,
                e.get_absolute_url(),
                Truncator(shown(e, "description").text).words(25),
                medium_date(e.start, tz=e.time_zone),
            ),
            limit,
            reverse("events:calendar") + "?" + urlencode({"q": query}),
        )
    ]
