"""Content in the reader's language (``echos.core.multilingual``).

``{% load echos_i18n %}`` then ``{% with title=event|shown:"title" %}<h1{{ title.lang_attr }}>{{ title }}</h1>
{% include "core/_shown_marker.html" with shown=title %}{% endwith %}``: the text in the reader's language
when translated, otherwise the source text with ``lang`` set on it and a marker naming its language.
"""

from django import template

from echos.core import multilingual

register = template.Library()


@register.filter
def shown(obj, field: str) -> multilingual.Shown:
    """The text of ``field`` of ``obj`` for the reader (see ``multilingual.shown``)."""
    return multilingual.shown(obj, field)


@register.filter
def languages_of(obj) -> list[str]:
    """The source language and the languages of the translations of ``obj``."""
    return multilingual.languages_of(obj)
