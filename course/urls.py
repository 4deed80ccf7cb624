from django.urls import path

from . import certificate_views, progress_views, views

app_name = "course"

urlpatterns = [
    path("", views.course_list, name="course_list"),
    path("courses/<slug:course_slug>/", views.course_detail, name="course_detail"),
    path("me/", progress_views.my_progress, name="my_progress"),
    path("certificates/", certificate_views.find_certificate, name="certificate_find"),
    path("certificates/<str:code>/", certificate_views.verify_certificate,
         name="certificate_verify"),
    path("certificates/<str:code>/pdf/", certificate_views.certificate_pdf,
         name="certificate_pdf"),
]
