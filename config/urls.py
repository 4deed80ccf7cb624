"""Root URLs: the admin, the API (not language-prefixed) and the learner pages per language."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("simulations.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", include("course.urls")),
    path("lab/", include("simulations.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
)
