import json
import logging
from datetime import UTC, datetime

from krakow_ngo.secret_paths import redact

# Attributes every LogRecord has; anything else was passed through `extra=` and is logged too.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class WarningWithoutTraceback(logging.Filter):
    """Lowers a record to WARNING and drops its traceback: for refusals that are the client's
    doing, not a fault of ours (a request with a Host header the site does not serve, which
    Django logs at ERROR with the whole stack, is what scanners send all day)."""

    def filter(self, record):
        if record.levelno > logging.WARNING:
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True


class TextFormatter(logging.Formatter):
    """Django's log lines as text, with no alert subscriber's token in them (a 404 of a
    confirmation link logs its path)."""

    def format(self, record):
        return redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors: time, level, logger, request id, message,
    the `extra=` fields and the traceback, if any; no alert subscriber's token."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        for name, value in record.__dict__.items():
            if name not in _STANDARD and not name.startswith("_"):
                entry[name] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, ensure_ascii=False))
