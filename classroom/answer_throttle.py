"""A limit on anonymous answers to the lesson page's exercises, per client address.

An anonymous learner's answer is graded and not stored, with no limit on tries: without
a limit, the form is an oracle that grades any number of guesses (a script could try
every choice, or bisect a numeric answer). Logged-in learners are limited by their
questions' tries and their answers are recorded. The count is the API's (one atomic
increment per window in the shared cache, the same for every app process, see
:mod:`api.throttling`), under the rate ``answers`` of ``DEFAULT_THROTTLE_RATES``.
"""

from __future__ import annotations

import math

from django.http import HttpRequest
from django.utils.translation import ngettext

from api.throttling import ScopedRateThrottle

SCOPE = "answers"


class _AnswerForm:
    """What the throttle reads of a view: its scope."""

    throttle_scope = SCOPE


def anonymous_wait(request: HttpRequest) -> int | None:
    """Count an anonymous answer; return the seconds to wait when over the rate, else None."""
    if request.user.is_authenticated:
        return None
    throttle = ScopedRateThrottle()
    if throttle.allow_request(request, _AnswerForm()):
        return None
    return max(1, math.ceil(throttle.wait()))


def wait_message(seconds: int) -> str:
    """Return, in the active language, that answers are refused for about ``seconds``."""
    return ngettext(
        "Too many answers from this address. Log in to keep answering, or try again in "
        "%(seconds)d second.",
        "Too many answers from this address. Log in to keep answering, or try again in "
        "%(seconds)d seconds.",
        seconds) % {"seconds": seconds}
