"""Public tables of hubs in the open-data dump (core.opendata; issue #15). Never personal data."""

TABLES: list = []
