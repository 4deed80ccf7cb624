"""The chapter exam's pages, included under each language prefix."""

from django.urls import path

from . import views

app_name = "exams"

urlpatterns = [
    path("courses/<slug:course_slug>/chapters/<slug:chapter_slug>/exam/", views.exam_page,
         name="exam"),
    path("courses/<slug:course_slug>/chapters/<slug:chapter_slug>/exam/attempts/<int:number>/",
         views.attempt_result, name="result"),
]
