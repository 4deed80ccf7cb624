"""Root URLs: the admin, the API (not language-prefixed) and the learner pages per language."""

from csp import constants as csp
from csp.decorators import csp_update
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from accounts.forms import AdminLoginForm, LoginForm
from accounts.urls import password_reset_urlpatterns
from api.errors import unknown_api_endpoint
from api.schema_view import EnglishSchemaView
from course import urls as course_urls
from ops import health, metrics_endpoint
from progress import urls as progress_urls

# Admin logins count toward the same login limit as every other (accounts/login_guard.py).
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("healthz", health.liveness, name="healthz"),
    path("readyz", health.readiness, name="readyz"),
    path("metrics", metrics_endpoint.metrics, name="metrics"),
    # Certificates and progress moved from the course app to their own: old admin links
    # (bookmarks, e-mails to instructors) still lead there.
    re_path(r"^admin/course/(?P<model>certificate|lessonprogress)/(?P<rest>.*)$",
            RedirectView.as_view(url="/admin/progress/%(model)s/%(rest)s", query_string=True,
                                 permanent=True)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("api/schema/", EnglishSchemaView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(
        url_name="api-schema", template_name="api/swagger_ui.html"),
         name="api-docs"),
    # Redoc draws its styles with <style> elements it writes at run time (styled-components)
    # and searches in a worker made from a blob: this page alone allows those; scripts stay
    # 'self' only.
    path("api/redoc/", csp_update({"style-src": [csp.UNSAFE_INLINE], "worker-src": ["blob:"]})(
        SpectacularRedocView.as_view(
        url_name="api-schema", template_name="api/redoc.html")), name="api-redoc"),
    # Keep last among the API's routes: any other /api/ URL is a 404 problem, not a page.
    re_path(r"^api/", unknown_api_endpoint),
]

urlpatterns += i18n_patterns(
    # Progress's pages keep the URL names they had in the course app (course:my_progress).
    path("", include((course_urls.urlpatterns + progress_urls.urlpatterns, "course"))),
    path("lab/", include("simulations.urls")),
    path("", include("classroom.urls")),
    path("", include("exams.urls")),
    path("", include("accounts.urls")),
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    *password_reset_urlpatterns,
)

# Errors outside the views: API paths answer RFC 9457 problems, web paths their pages.
handler400 = "api.errors.bad_request"
handler403 = "api.errors.permission_denied"
handler404 = "api.errors.page_not_found"
handler500 = "ops.outage.server_error"
