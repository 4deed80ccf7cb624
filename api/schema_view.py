"""The view that serves the OpenAPI schema (kept apart from api/schema.py, which
drf-spectacular's own views import as the schema class)."""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView


class EnglishSchemaView(SpectacularAPIView):
    """The OpenAPI schema, in English whatever the request's language.

    Field titles and help texts come from lazily translated model labels: generated in the
    request's language, a schema would mix Portuguese labels into English descriptions
    and change with the caller. Clients are generated from one schema, in one language;
    the responses themselves still come in the language each request asks for.
    """

    def _get_schema_response(self, request):
        with translation.override("en"):
            return super()._get_schema_response(request)
