"""API routes of the simulations, included by api/urls.py under /api/v1/ (namespace ``api``)."""

from django.urls import path, re_path

from . import api_views

urlpatterns = [
    path("simulations/", api_views.SimulationListView.as_view(), name="simulation-list"),
    # A job is named by a content key: 64 lowercase hex digits (anything else is a 404).
    re_path(r"^simulations/jobs/(?P<key>[0-9a-f]{64})/$", api_views.SimulationJobView.as_view(),
            name="simulation-job"),
    path("simulations/<slug:slug>/", api_views.SimulationDetailView.as_view(),
         name="simulation-detail"),
    path("simulations/<slug:slug>/run/", api_views.SimulationRunView.as_view(),
         name="simulation-run"),
    path("simulations/<slug:slug>/plot.<str:fmt>", api_views.SimulationPlotView.as_view(),
         name="simulation-plot"),
]
