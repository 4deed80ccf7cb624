"""Every route of the API under /api/v1/, in one ``api`` namespace: each app lists its own."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("accounts.api_urls")),
    path("", include("course.api_urls")),
    path("", include("progress.api_urls")),
    path("", include("quizzes.api_urls")),
    path("", include("exams.api_urls")),
    path("", include("classroom.api_urls")),
    path("", include("simulations.api_urls")),
]
