"""Logging filters named in ``settings.LOGGING``."""

from __future__ import annotations

import logging


class ClientErrorsInOneLine(logging.Filter):
    """A refused request (4xx: 403 permission denied, 400 bad request) is the client's
    business, not a fault of the platform: it is logged as its one line ("Forbidden
    (Permission denied): /path"), without the traceback Django attaches to it. Server
    errors (5xx) keep their tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True
