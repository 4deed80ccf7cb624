"""API routes of the simulations, included by api/urls.py under /api/v1/ (namespace ``api``)."""

from django.urls import path

from . import api_views

urlpatterns = [
    path("simulations/", api_views.SimulationListView.as_view(), name="simulation-list"),
    path("simulations/jobs/<str:key>/", api_views.SimulationJobView.as_view(),
         name="simulation-job"),
    path("simulations/<slug:slug>/", api_views.SimulationDetailView.as_view(),
         name="simulation-detail"),
    path("simulations/<slug:slug>/run/", api_views.SimulationRunView.as_view(),
         name="simulation-run"),
    path("simulations/<slug:slug>/plot.<str:fmt>", api_views.SimulationPlotView.as_view(),
         name="simulation-plot"),
]
