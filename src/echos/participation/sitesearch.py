"""Consultations and public proposals in the site-wide search (core.search)."""

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from echos.core.search import Hit, Section, section, words_filter
from echos.participation.models import Consultation, Proposal


def find(user, query: str, limit: int) -> list[Section]:
    consultations = (
        Consultation.objects.filter(words_filter(query, "title", "description"))
        .select_related("hub")
        .order_by("-closes_at", "pk")
    )
    proposals = (
        Proposal.objects.public()
        .filter(words_filter(query, "title", "body"))
        .select_related("hub")
        .order_by("-created_at", "pk")
    )
    index = reverse("participation:index")
    return [
        section(
            _("Consultations"),
            consultations,
            lambda c: Hit(
                c.title, c.get_absolute_url(), Truncator(c.description).words(25), c.hub.name
            ),
            limit,
            index,
        ),
        section(
            _("Proposals"),
            proposals,
            lambda p: Hit(p.title, p.get_absolute_url(), Truncator(p.body).words(25), p.hub.name),
            limit,
            index,
        ),
    ]
