"""The learner's progress page, and certificates in public: the verification page anyone
can open with a code, and the PDF.

The certificate pages show only what the certificate says (the learner's name, the
course, the date and the study time), never the account behind it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from .certificate_pdf import certificate_pdf as draw_pdf
from .certificate_text import long_date, passed_facts
from .learner_progress import learner_progress
from .models import CERTIFICATE_ALPHABET, Certificate

# Crockford's base 32 reads O as 0 and I and L as 1; codes are upper case with dashes.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
MAX_CODE_LENGTH = 40


@login_required
def my_progress(request: HttpRequest) -> HttpResponse:
    """Show the learner every course, its chapters, and where to continue."""
    courses = learner_progress(user=request.user)
    return render(request, "progress/progress.html", {"courses": courses})


def normalize_code(raw: str) -> str:
    """Return the code as stored, from one typed in lower case, with spaces or look-alikes."""
    symbols = "".join(raw.upper().translate(_LOOKALIKES).split()).replace("-", "")
    if not symbols or any(symbol not in CERTIFICATE_ALPHABET for symbol in symbols):
        return raw.strip()
    return "-".join(symbols[index:index + 5] for index in range(0, len(symbols), 5))


def find_certificate(request: HttpRequest) -> HttpResponse:
    """Send a code typed into the form to its verification page."""
    code = normalize_code(request.GET.get("code", ""))[:MAX_CODE_LENGTH]
    if code:
        return redirect("course:certificate_verify", code=code)
    return render(request, "progress/certificate_verify.html", {"state": "form"})


@never_cache
def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Say whether the code is a valid, revoked or unknown certificate (404 for unknown)."""
    canonical = normalize_code(code)
    if canonical and canonical != code and len(canonical) <= MAX_CODE_LENGTH:
        return redirect("course:certificate_verify", code=canonical)
    certificate = _certificate(code)
    if certificate is None:
        context = {"state": "unknown", "code": code[:MAX_CODE_LENGTH]}
        return render(request, "progress/certificate_verify.html", context, status=404)
    return _verification_page(request, certificate, status=200)


def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """Return the certificate's PDF in the page's language (410 once it is revoked)."""
    canonical = normalize_code(code)
    if canonical and canonical != code and len(canonical) <= MAX_CODE_LENGTH:
        return redirect("course:certificate_pdf", code=canonical)
    certificate = _certificate(code)
    if certificate is None:
        raise Http404
    if certificate.is_revoked:
        return _verification_page(request, certificate, status=410)
    language = get_language()
    pdf = draw_pdf(certificate=certificate, language=language,
                   verification_url=request.build_absolute_uri(certificate.get_absolute_url()))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="gradiente-{certificate.course.slug}-{language}-{code}.pdf"'
    )
    return response


def _verification_page(request: HttpRequest, certificate: Certificate, *,
                       status: int) -> HttpResponse:
    context = {
        "state": "revoked" if certificate.is_revoked else "valid",
        "certificate": certificate,
        "passed": passed_facts(certificate, get_language()),
        "code": certificate.code,
        "completed_on": long_date(timezone.localdate(certificate.completed_at)),
        "revoked_on": certificate.revoked_at and long_date(
            timezone.localdate(certificate.revoked_at)),
    }
    return render(request, "progress/certificate_verify.html", context, status=status)


def _certificate(code: str) -> Certificate | None:
    if len(code) > MAX_CODE_LENGTH:
        return None
    return Certificate.objects.select_related("course").filter(code=code).first()
