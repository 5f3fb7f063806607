"""Public tables of exchange in the open-data dump (core.opendata; issue #15). Never personal data."""

TABLES: list = []
