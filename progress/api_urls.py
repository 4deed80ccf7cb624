"""The learner's own API routes; include under /api/v1/ in the ``api`` namespace."""

from django.urls import path

from . import api_views

urlpatterns = [
    path("me/progress/", api_views.MyProgressListView.as_view(), name="my-progress"),
    path("me/progress/<slug:course_slug>/", api_views.MyCourseProgressView.as_view(),
         name="my-course-progress"),
    path("me/progress/<slug:course_slug>/lessons/<slug:lesson_slug>/read/",
         api_views.LessonReadView.as_view(), name="my-lesson-read"),
    path("me/certificates/", api_views.MyCertificateListView.as_view(),
         name="my-certificates"),
]
