"""The lesson pages, included under each language prefix."""

from django.urls import path

from . import views

app_name = "classroom"

urlpatterns = [
    path("courses/<slug:course_slug>/<slug:lesson_slug>/", views.lesson_detail,
         name="lesson_detail"),
    path("exercises/<int:question_id>/answer/", views.answer, name="answer"),
]
