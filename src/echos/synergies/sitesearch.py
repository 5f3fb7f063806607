"""European initiatives in the site-wide search (core.search): the catalogue is public."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from echos.core.multilingual import folded_search, shown
from echos.core.search import Hit, Section, section
from echos.synergies.models import Initiative


def find(user, query: str, limit: int) -> list[Section]:
    # Every language version, accents and case ignored, like the catalogue's own search (#17).
    initiatives = folded_search(Initiative.objects.all(), query[:200]).order_by("name", "pk")
    return [
        section(
            _("European initiatives"),
            initiatives,
            lambda i: Hit(
                f"{i.acronym} — {shown(i, 'name')}" if i.acronym else str(shown(i, "name")),
                i.get_absolute_url(),
                Truncator(str(shown(i, "description"))).words(25),
                i.get_programme_display(),
            ),
            limit,
            reverse("synergies:catalogue") + "?" + urlencode({"q": query}),
        )
    ]
