"""The page in other languages (issue #17): ``hreflang`` alternates and unprefixed addresses."""

from django import template
from django.urls import reverse

from echos.core.i18n import alternates, strip_language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[tuple[str, str]]:
    """``(hreflang, href)`` of this page in every language, then ``x-default``."""
    request = context.get("request")
    return alternates(request) if request is not None else []


@register.simple_tag(takes_context=True)
def unprefixed_url(context, name: str, *args) -> str:
    """``{% url %}`` without the page's language prefix (an address with no language)."""
    request = context.get("request")
    base = getattr(request, "echos_script_name", "") if request is not None else ""
    path = reverse(name, args=args)
    return base + strip_language(path[len(base) :])
