"""A request id for every request, and one JSON log line per request and per record.

The id comes from the proxy's ``X-Request-ID`` when it sends a sane one (so one id
follows a request through proxy and app), else a new one; it is returned in the
response's ``X-Request-ID`` and added to every log record written while the request is
served, so an operator can find all the lines of one failed request.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access_log = logging.getLogger("gradiente.access")


class RequestIdMiddleware:
    """Name each request, and log its method, route, status and duration when it ends."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        sent = request.headers.get("X-Request-ID", "")
        token = request_id.set(sent if _SANE_ID.match(sent) else uuid.uuid4().hex)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id.get()
            match = getattr(request, "resolver_match", None)
            access_log.info("request", extra={
                "method": request.method, "path": request.path,
                "route": match.route if match else None, "status": response.status_code,
                "duration_ms": round(1000 * (time.perf_counter() - started), 1)})
            return response
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


# Attributes every LogRecord has; anything else was passed in ``extra`` and is logged.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **{key: value for key, value in vars(record).items() if key not in _STANDARD},
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
