"""``{% panels "slot" obj %}``: the parts that higher apps add to a lower app's page.

See ``core.registry`` (``EchosAppConfig.panels``). Each panel function returns HTML it rendered
from its own template (so it is escaped there) or an empty string.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from echos.core.registry import panel_functions

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, obj) -> SafeString:
    request = context.get("request")
    parts = [fn(request, obj) for fn in panel_functions(slot)]
    # Each part is HTML its app rendered from a template (autoescaped there).
    return format_html_join("\\n", "{}", ((mark_safe(p),) for p in parts if p))  # noqa: S308
