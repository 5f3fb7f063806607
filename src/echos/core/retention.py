"""A retention rule: how long one kind of personal data is kept (GDPR article 5(1)e).

Each app's privacy module lists its rules in ``retention_rules()``; ``site.privacy.retention``
applies them all, nightly and on ``echos privacy retention``. A limit comes from settings if
defined there, else from the environment, else the default; 0 switches the rule off.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone


def setting(name: str, default: int) -> int:
    """A retention limit: from settings if defined there, else the environment; 0 disables."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.getenv(name, "")
    return int(value) if str(value).strip() != "" else default


@dataclass
class RetentionRule:
    """One rule: ``run(cutoff, apply)`` counts (and with ``apply`` changes) what is older."""

    key: str
    setting: str
    default: int
    unit: str  # "days" or "years"
    description: str  # with {limit} and {unit}
    run: Callable[[datetime, bool], int]

    @property
    def limit(self) -> int:
        return setting(self.setting, self.default)

    def cutoff(self, now: datetime) -> datetime:
        days = self.limit * (365 if self.unit == "years" else 1)
        return now - timedelta(days=days)

    def apply(self, now: datetime | None = None, apply: bool = False) -> int:
        """Count (and with ``apply`` change) what the rule covers; 0 when switched off."""
        if self.limit <= 0:
            return 0
        return self.run(self.cutoff(now or timezone.now()), apply)
