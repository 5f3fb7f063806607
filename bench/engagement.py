"""Placeholder replaced by the helper that builds this benchmark."""

print("not measured yet")
