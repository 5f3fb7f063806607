"""iCalendar feeds: see ical.py."""

urlpatterns = []
