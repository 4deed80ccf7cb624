"""The lab's pages, included under each language prefix at lab/."""

from django.urls import path

from . import views

app_name = "simulations"

urlpatterns = [
    path("", views.simulation_list, name="list"),
    path("<slug:slug>/", views.simulation_detail, name="detail"),
]
