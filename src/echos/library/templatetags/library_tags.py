"""Template filters of the library pages."""

from django import template

from echos.library.vocab import language_name

register = template.Library()


@register.filter
def language_label(code: str) -> str:
    """A language named in itself, e.g. ``português``."""
    return language_name(code)


@register.filter
def translations_for(translations, resource) -> list:
    """A resource's translations from a list (search) or a by-group dict (list page)."""
    if isinstance(translations, dict):
        return translations.get(str(resource.translation_group), [])
    return list(translations or [])
