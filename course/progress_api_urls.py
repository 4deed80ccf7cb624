"""The learner's own API routes; include under /api/v1/ in the ``api`` namespace."""

from django.urls import path

from . import progress_api

urlpatterns = [
    path("me/progress/", progress_api.MyProgressListView.as_view(), name="my-progress"),
    path("me/progress/<slug:course_slug>/", progress_api.MyCourseProgressView.as_view(),
         name="my-course-progress"),
    path("me/progress/<slug:course_slug>/lessons/<slug:lesson_slug>/read/",
         progress_api.LessonReadView.as_view(), name="my-lesson-read"),
    path("me/certificates/", progress_api.MyCertificateListView.as_view(),
         name="my-certificates"),
]
