"""Pages of the events capability (being written)."""
