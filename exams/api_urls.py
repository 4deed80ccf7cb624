"""The chapter exam's API routes; included under /api/v1/ in the ``api`` namespace."""

from django.urls import path

from . import api_views

EXAM = "courses/<slug:course_slug>/chapters/<slug:chapter_slug>/exam/"

urlpatterns = [
    path(EXAM, api_views.ExamDetailView.as_view(), name="exam"),
    path(f"{EXAM}attempts/", api_views.AttemptListView.as_view(), name="exam-attempts"),
    path(f"{EXAM}attempts/<int:number>/", api_views.AttemptDetailView.as_view(),
         name="exam-attempt"),
    path(f"{EXAM}attempts/<int:number>/questions/<int:position>/answer/",
         api_views.AnswerView.as_view(), name="exam-answer"),
    path(f"{EXAM}attempts/<int:number>/submit/", api_views.SubmitView.as_view(),
         name="exam-submit"),
]
