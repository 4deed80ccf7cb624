"""The API's own routes under /api/v1/ (the simulations' are included beside them)."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("course.api_urls")),
    path("", include("course.progress_api_urls")),
    path("", include("quizzes.api_urls")),
]
