"""The quizzes' API routes; included under /api/v1/ in the ``api`` namespace."""

from django.urls import path

from . import api_views

urlpatterns = [
    path("courses/<slug:course_slug>/lessons/<slug:lesson_slug>/questions/",
         api_views.LessonQuestionListView.as_view(), name="lesson-questions"),
    path("questions/<int:question_id>/attempts/", api_views.AttemptCreateView.as_view(),
         name="question-attempts"),
    path("me/attempts/", api_views.MyAttemptListView.as_view(), name="my-attempts"),
    path("me/attempts/<int:attempt_id>/", api_views.MyAttemptDetailView.as_view(),
         name="my-attempt"),
]
