from django.urls import path

from . import api_views

urlpatterns = [
    path("courses/", api_views.CourseListView.as_view(), name="course-list"),
    path("courses/<slug:course_slug>/", api_views.CourseDetailView.as_view(),
         name="course-detail"),
    # Under simulations/ in the URL, as every other plot the API draws.
    path("simulations/figures/<slug:course_slug>/<slug:lesson_slug>/<slug:name>.<str:fmt>",
         api_views.LessonFigureView.as_view(), name="lesson-figure"),
]
