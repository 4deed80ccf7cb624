"""Root URLs: the admin, the API (not language-prefixed) and the learner pages per language."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from api.errors import unknown_api_endpoint
from course import urls as course_urls
from progress import urls as progress_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(
        url_name="api-schema", template_name="api/redoc.html"), name="api-redoc"),
    # Keep last among the API's routes: any other /api/ URL is a 404 problem, not a page.
    re_path(r"^api/", unknown_api_endpoint),
]

urlpatterns += i18n_patterns(
    # Progress's pages keep the URL names they had in the course app (course:my_progress).
    path("", include((course_urls.urlpatterns + progress_urls.urlpatterns, "course"))),
    path("lab/", include("simulations.urls")),
    path("", include("quizzes.urls")),
    path("", include("accounts.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
)

# Errors outside the views: API paths answer RFC 9457 problems, web paths their pages.
handler400 = "api.errors.bad_request"
handler403 = "api.errors.permission_denied"
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
