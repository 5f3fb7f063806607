"""European initiatives in the site-wide search (core.search): the catalogue is public."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from echos.core.search import Hit, Section, section, words_filter
from echos.synergies.models import Initiative


def find(user, query: str, limit: int) -> list[Section]:
    initiatives = Initiative.objects.filter(
        words_filter(query, "name", "acronym", "description")
    ).order_by("name", "pk")
    return [
        section(
            _("European initiatives"),
            initiatives,
            lambda i: Hit(
                f"{i.acronym} — {i.name}" if i.acronym else i.name,
                i.get_absolute_url(),
                Truncator(i.description).words(25),
                i.get_programme_display(),
            ),
            limit,
            reverse("synergies:catalogue") + "?" + urlencode({"q": query}),
        )
    ]
