"""Show a stored answer in words."""

from django import template
from django.utils.translation import gettext as _

from echos.questionnaires.engine import organisation_names

register = template.Library()


@register.simple_tag
def answer_display(question, value) -> str:
    """An answer as a reader sees it: labels for codes, amounts with currency, "—" when empty."""
    if value in (None, "", [], {}):
        return "—"
    if question.type in {"single", "multiple"}:
        labels = dict(question.options)
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(str(v), v)) for v in values)
    if question.type == "scale":
        level = next((lv for lv in question.levels if str(lv["value"]) == str(value)), None)
        return f"{value} · {level['label']}" if level else str(value)
    if question.type == "money":
        return f"{value.get('amount')} {value.get('currency')}"
    if question.type == "evidence":
        return value.get("link", "")
    if question.type == "organisations":
        return ", ".join(organisation_names(value).values()) or _("none")
    return str(value)
