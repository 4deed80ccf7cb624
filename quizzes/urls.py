from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("exercises/<int:question_id>/answer/", views.answer, name="answer"),
]
