"""Errors raised outside DRF's views, answered as problems when the request is for the API.

An unknown URL under ``/api/`` reaches ``unknown_api_endpoint`` (the last API route);
Django's own error handlers cover what is left (an ``Http404`` from a plain view, a
crash in a middleware, a refused host): API paths get a problem, web pages their page.
"""

from __future__ import annotations

from django.urls import resolve
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions

from .language import is_api_request
from .problems import problem_response


@csrf_exempt
def unknown_api_endpoint(request, *args, **kwargs):
    """Answer any method on a URL the API does not have with a 404 problem.

    A URL that only lacks its trailing slash gets a hint instead of a redirect: a
    redirected POST would lose its body.
    """
    if _exists_with_slash(request.path_info):
        detail = _("The API has no such address. Did you mean %(path)s?") % {
            "path": f"{request.path}/"}
    else:
        detail = _("The API has no such address.")
    return problem_response(request, exceptions.NotFound(detail))


def _exists_with_slash(path: str) -> bool:
    return not path.endswith("/") and resolve(f"{path}/").func is not unknown_api_endpoint


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    if is_api_request(request):
        return problem_response(request, exceptions.ParseError())
    return defaults.bad_request(request, exception, template_name)


def permission_denied(request, exception, template_name=defaults.ERROR_403_TEMPLATE_NAME):
    if is_api_request(request):
        return problem_response(request, exceptions.PermissionDenied())
    return defaults.permission_denied(request, exception, template_name)


def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    if is_api_request(request):
        return problem_response(request, exceptions.NotFound())
    return defaults.page_not_found(request, exception, template_name)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if is_api_request(request):
        return problem_response(request, exceptions.APIException())
    return defaults.server_error(request, template_name)
