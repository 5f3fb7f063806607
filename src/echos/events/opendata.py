"""Public tables of events in the open-data dump (core.opendata; issue #15). Never personal data.

The public calendar (never drafts); registrations are never published, not even counted per
person. Venues and online links are left out (some show only to registered participants).
The events' texts in every language they are written in (issue #17) are a table of their own,
one row per event and language (``event_texts``), so that the table's columns stay fixed
whatever languages are used.
"""

from collections.abc import Iterator

from echos.core.opendata import Field, Table, values_rows
from echos.events.models import Event


def _events() -> Iterator[tuple]:
    columns = [
        "uid", "hub_id", "title", "source_language", "type", "format", "country_id", "region_id", "languages",
        "audiences", "objectives", "start", "end", "time_zone", "capacity", "status", "is_demo",
    ]  # fmt: skip
    for row in values_rows(Event.objects.public(), columns):
        # Codes are stored between commas (",a,b,") for the tag filters.
        yield tuple(
            ";".join(v for v in value.split(",") if v) if columns[i] in _TAGS else value
            for i, value in enumerate(row)
        )


_TAGS = {"languages", "audiences", "objectives"}
_TEXTS = Event.TRANSLATABLE


def _event_texts() -> Iterator[tuple]:
    """Each public event's texts in its source language, then in each of its translations."""
    columns = ["uid", "source_language", *_TEXTS, "translations"]
    for uid, source, *texts, translations in values_rows(Event.objects.public(), columns):
        yield (uid, source, True, *texts)
        for language in sorted(translations or {}):
            given = translations[language] or {}
            if language != source and any(given.get(name) for name in _TEXTS):
                yield (uid, language, False, *(given.get(name) or "" for name in _TEXTS))


TABLES = [
    Table(
        name="events",
        title="Events",
        description="The public calendar of the hubs' events (published, postponed, cancelled).",
        model="events.Event",
        fields=(
            Field("uid", "string", "Stable event identifier (also the iCalendar UID)"),
            Field("hub", "integer", "Identifier of the organising hub"),
            Field("title", "string", "Title (in the source language)"),
            Field("source_language", "string", "ISO 639-1 code of the language of the texts"),
            Field("type", "string", "Event type code"),
            Field("format", "string", "in_person, online or hybrid"),
            Field("country", "string", "ISO 3166-1 alpha-2 code"),
            Field("region", "string", "ISO 3166-2 code"),
            Field("languages", "string", "ISO 639-1 codes, separated by ;"),
            Field("audiences", "string", "Audience codes, separated by ;"),
            Field("objectives", "string", "Mission objective codes, separated by ;"),
            Field("start", "datetime", "Start (UTC)"),
            Field("end", "datetime", "End (UTC)"),
            Field("time_zone", "string", "Time zone of the event"),
            Field("capacity", "integer", "Places (empty: no limit)"),
            Field("status", "string", "published, postponed or cancelled"),
            Field("is_demo", "boolean", "Invented demonstration data, not a real fact"),
        ),
        rows=_events,
    ),
    Table(
        name="event_texts",
        title="Event texts in every language",
        description=(
            "The texts of the public calendar's events: one row in the language they were "
            "written in and one per translation (empty where a text is not translated)."
        ),
        model="events.Event",
        fields=(
            Field("uid", "string", "Event identifier (uid in the events table)"),
            Field("language", "string", "ISO 639-1 code of the language of this row"),
            Field("is_source", "boolean", "Whether this is the language the texts were written in"),
            Field("title", "string", "Title"),
            Field("description", "string", "Description"),
            Field("accessibility_notes", "string", "Accessibility information"),
            Field("outcomes", "string", "Outcomes reported after the event"),
        ),
        rows=_event_texts,
    ),
]
