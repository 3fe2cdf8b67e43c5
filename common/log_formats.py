"""The service's log formats, and settings.LOGGING built from LOG_FORMAT and LOG_LEVEL.

- `json` (production's default): one JSON object a line, with time (ISO 8601, UTC), level, logger, message,
  request_id, user_id, role and task_id (common.request_context), plus a traceback when there is one. Nothing else
  from a record goes out: Django attaches the request object to its records, and its text holds the query string.
- `plain` (`make run`, the tests): the same facts on one line of text.

Both take out anything that looks like an email address, from the message and from a traceback (a database
error's detail can quote a row), as a last guard: our own messages name ids, kinds and classes only.
"""

import logging
import re

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

# An address: a local part, "@" (or "%40" in an encoded URL), and a domain ending in a name ("nrm@1.2.3", a
# release, is not one).
_EMAIL_ADDRESS = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+(?:@|%40)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
ADDRESS_PLACEHOLDER = "[address]"

JSON_FIELDS = ("levelname", "name", "message", "request_id", "user_id", "role", "task_id")
# A few well-known facts that Django and Celery add to records, safe to keep.
_EXTRA_FIELDS_KEPT = ("status_code",)
_RENAMED = {"levelname": "level", "name": "logger"}


def without_addresses(text: str) -> str:
    return _EMAIL_ADDRESS.sub(ADDRESS_PLACEHOLDER, text)


class PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return without_addresses(super().format(record))


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", _RENAMED)
        kwargs.setdefault("timestamp", "time")  # ISO 8601, in UTC
        super().__init__(*args, **kwargs)

    def add_fields(self, log_record: dict, record: logging.LogRecord, message_dict: dict) -> None:
        super().add_fields(log_record, record, message_dict)
        allowed = {_RENAMED.get(name, name) for name in JSON_FIELDS} | {"time", "exc_info", "stack_info"}
        allowed.update(_EXTRA_FIELDS_KEPT)
        for key in list(log_record):
            if key not in allowed:
                del log_record[key]
        for key in ("message", "exc_info", "stack_info"):
            if isinstance(log_record.get(key), str):
                log_record[key] = without_addresses(log_record[key])


def logging_config(*, log_format: str, level: str) -> dict:
    """settings.LOGGING. Third-party chatter is kept at WARNING: WeasyPrint reports each step of every PDF at INFO
    (weasyprint.progress) and fontTools each font it subsets."""
    if log_format not in ("json", "plain"):
        raise ValueError(f"LOG_FORMAT must be json or plain, not {log_format!r}")
    formatters = {
        "json": {
            "()": "common.log_formats.JsonFormatter",
            "fmt": " ".join(f"%({name})s" for name in JSON_FIELDS),
        },
        "plain": {
            "()": "common.log_formats.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s%(context)s",
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "common.request_context.RequestContextFilter"}},
        "formatters": {log_format: formatters[log_format]},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_context"]}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "weasyprint": {"level": "WARNING"},
            "weasyprint.progress": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
