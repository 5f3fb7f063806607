"""Log filters: an expected refusal is one line, not a traceback (issue #16).

Django logs every 4xx answer of a view that raised (PermissionDenied, Http404 as a warning,
SuspiciousOperation) with the exception's traceback. A refusal is the permission system working,
not a fault: the filter keeps the one-line message and drops the traceback. 5xx keep theirs.
"""

import logging


class ExpectedRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500 and record.name.startswith("django."):
            record.exc_info = None
            record.exc_text = None
        return True
