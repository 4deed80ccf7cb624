"""The learner's progress page and the certificates' public pages.

Their URL names have always been in the ``course`` namespace (``course:my_progress``,
``course:certificate_verify``); config/urls.py serves these routes there, next to the
course's own, so that no template, link or client changes.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.my_progress, name="my_progress"),
    path("certificates/", views.find_certificate, name="certificate_find"),
    path("certificates/<str:code>/", views.verify_certificate, name="certificate_verify"),
    path("certificates/<str:code>/pdf/", views.certificate_pdf, name="certificate_pdf"),
]
