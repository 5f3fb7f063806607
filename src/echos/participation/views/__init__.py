"""Pages of participation, by area: consultations, proposals (with supports, comments, reports)
and moderation. ``participation/urls.py`` names the view of each page."""
