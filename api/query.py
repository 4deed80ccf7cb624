"""Query parameters read as the schema declares them, or a 400 problem that names them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

# The largest primary key (BigAutoField): a larger id names nothing, and the database
# would refuse to compare with it.
MAX_ID = 2**63 - 1


def integer_query_param(request, name: str, *, minimum: int, maximum: int,
                        default: int | None = None) -> int | None:
    """Return ``?name=`` as an int within [minimum, maximum], ``default`` when absent.

    Only ASCII digits count (``str.isdigit`` also accepts "²", which ``int`` refuses), and
    a value out of range is an error rather than a silently different number.
    """
    raw = request.GET.get(name, "").strip()
    if raw == "":
        return default
    digits = raw[1:] if raw[:1] in "+-" else raw
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 20:
        raise ValidationError({name: [_("Enter a whole number.")]})
    value = int(raw)
    if not minimum <= value <= maximum:
        raise ValidationError({name: [_("Must be between %(minimum)s and %(maximum)s.") % {
            "minimum": minimum, "maximum": maximum}]})
    return value
