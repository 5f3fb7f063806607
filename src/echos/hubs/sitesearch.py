"""Hubs and organisations in the site-wide search (core.search): the registry is public."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from echos.core.multilingual import shown
from echos.core.search import Hit, Section, section, words_filter
from echos.hubs.models import Hub, Organisation


def find(user, query: str, limit: int) -> list[Section]:
    more = "?" + urlencode({"q": query})
    hubs = Hub.objects.search(query).select_related("country").order_by("name_en", "pk")
    organisations = (
        Organisation.objects.filter(words_filter(query, "name", "description"))
        .select_related("country", "stakeholder_group")
        .order_by("name", "pk")
    )
    return [
        section(
            _("Hubs"),
            hubs,
            lambda h: Hit(
                h.name,
                h.get_absolute_url(),
                Truncator(str(shown(h, "mission"))).words(25),
                f"{h.get_level_display()} · {h.country.name}",
            ),
            limit,
            reverse("hubs:directory") + more,
        ),
        section(
            _("Organisations"),
            organisations,
            lambda o: Hit(
                o.name,
                o.get_absolute_url(),
                Truncator(o.description).words(25),
                f"{o.stakeholder_group.label} · {o.country.name}",
            ),
            limit,
            reverse("hubs:organisations") + more,
        ),
    ]
