"""The API's routes of the lesson as a learner meets it; included under /api/v1/ in the
``api`` namespace."""

from django.urls import path

from . import api_views

urlpatterns = [
    path("courses/<slug:course_slug>/lessons/<slug:lesson_slug>/",
         api_views.LessonDetailView.as_view(), name="lesson-detail"),
    path("courses/<slug:course_slug>/lessons/<slug:lesson_slug>/package/",
         api_views.LessonPackageView.as_view(), name="lesson-package"),
    path("courses/<slug:course_slug>/lessons/<slug:lesson_slug>/questions/",
         api_views.LessonQuestionListView.as_view(), name="lesson-questions"),
    path("questions/<int:question_id>/attempts/", api_views.AttemptCreateView.as_view(),
         name="question-attempts"),
]
