"""The quizzes' API routes; included under /api/v1/ in the ``api`` namespace."""

from django.urls import path

from . import api_views

urlpatterns = [
    path("me/attempts/", api_views.MyAttemptListView.as_view(), name="my-attempts"),
    path("me/attempts/<int:attempt_id>/", api_views.MyAttemptDetailView.as_view(),
         name="my-attempt"),
]
