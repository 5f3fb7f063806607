"""echos — the platform that runs Europe's network of National Cancer Mission Hubs."""

__version__ = "0.1.0"
