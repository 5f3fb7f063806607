"""The events pages served to anonymous visitors from the shared page cache (``core.pagecache``).

Registrations are a topic of their own: the calendar, the month grid and the feeds show no
places left, so a registration does not invalidate them; an event page, the gap dashboard and
the API's event (places left) depend on them. No events page shows a consultation's answers
(participation sits above events): during a campaign several people answer a second, so the
answers (a topic of their own) are ignored by every page here.
"""

from echos.core.pagecache import PageRule
from echos.events.calendar import FILTERS

CALENDAR = (*FILTERS, "q", "from", "to", "when", "page")
FEED = (*FILTERS, "q", "from", "to")
ANSWERS = ("participation.answer", "participation.answertally")
NO_PLACES = ("events.registration", *ANSWERS)
# An event's words, place and links: an update of these columns alone (a retitled event, a new
# venue) bumps "events.event:details", not "events". Every page that shows an event depends on
# both; the participation gap counts registrations by country, region, month, audience,
# objective and language, reads none of these, and ignores it.
COLUMN_TOPICS = {
    "event": {
        "details": (
            "title", "description", "translations", "source_language", "search_text",
            "venue", "address", "latitude", "longitude", "online_url", "link_visibility",
            "accessibility", "accessibility_notes", "status_reason", "outcomes",
            "sequence", "updated_at",
        )
    }
}  # fmt: skip
GAP_IGNORES = (*ANSWERS, "events.event:details")

PAGES = {
    "events:calendar": PageRule(params=CALENDAR, ignore=NO_PLACES),
    "events:month_current": PageRule(params=CALENDAR, ignore=NO_PLACES),
    "events:month": PageRule(params=CALENDAR, ignore=NO_PLACES),
    "events:event": PageRule(ignore=ANSWERS),
    "events:feed": PageRule(params=FEED, ignore=NO_PLACES),
    "events:feed_country": PageRule(params=FEED, ignore=NO_PLACES),
    "events:feed_hub": PageRule(params=FEED, ignore=NO_PLACES),
    "events:feed_type": PageRule(params=FEED, ignore=NO_PLACES),
    "events:feed_audience": PageRule(params=FEED, ignore=NO_PLACES),
    "events:feed_language": PageRule(params=FEED, ignore=NO_PLACES),
    "events:event_ics": PageRule(ignore=NO_PLACES),
    "events:gap": PageRule(params=("from", "to", "country", "objective"), ignore=GAP_IGNORES),
    "events:gap_csv": PageRule(params=("from", "to", "country", "objective"), ignore=GAP_IGNORES),
    "api:list_events": PageRule(params="api", ignore=ANSWERS),
    "api:get_event": PageRule(params="api", ignore=ANSWERS),
}
SEPARATE = ("registration",)
