"""Events in the site-wide search (core.search): the public calendar's events, never drafts."""

from urllib.parse import urlencode

from django.db.models import Case, IntegerField, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from echos.core.dates import medium_date
from echos.core.search import Hit, Section, section, words_filter
from echos.events.models import Event


def find(user, query: str, limit: int) -> list[Section]:
    now = timezone.now()
    events = (
        Event.objects.public()
        .filter(words_filter(query, "title", "description"))
        .select_related("country")
        # Upcoming events first, soonest first; then past ones, latest first.
        .annotate(past=Case(When(end__lte=now, then=1), default=0, output_field=IntegerField()))
        .order_by("past", "start", "pk")
    )
    return [
        section(
            _("Events"),
            events,
            lambda e: Hit(
                e.title,
                e.get_absolute_url(),
                Truncator(e.description).words(25),
                medium_date(e.start, tz=e.time_zone),
            ),
            limit,
            reverse("events:calendar") + "?" + urlencode({"q": query}),
        )
    ]
