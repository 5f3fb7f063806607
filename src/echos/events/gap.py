"""Participation gap dashboard."""

urlpatterns = []
