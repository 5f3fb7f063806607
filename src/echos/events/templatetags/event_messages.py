"""The organisers' history of messages to registrants, shown on the event page (issue #16)."""

from django import template

register = template.Library()

RECENT = 5


@register.inclusion_tag("events/_message_history.html")
def message_history(event) -> dict:
    """The latest messages sent to the event's registrants (the caller checks the organiser)."""
    return {"history": event.messages.select_related("sender")[:RECENT], "full": False}
