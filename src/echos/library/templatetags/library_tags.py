"""Template filters of the library pages."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from echos.library.vocab import language_name

register = template.Library()


@register.filter
def language_label(code: str) -> SafeString:
    """A language named in itself, e.g. ``português``, marked as such (``lang``) for screen readers
    and for the pages' check that no English is left in another language's page."""
    return format_html('<span lang="{}">{}</span>', code, language_name(code))


@register.filter
def translations_for(translations, resource) -> list:
    """A resource's translations from a list (search) or a by-group dict (list page)."""
    if isinstance(translations, dict):
        return translations.get(str(resource.translation_group), [])
    return list(translations or [])
