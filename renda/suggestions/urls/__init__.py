"""Suggestions URLs, one module per sub-topic (each with its views module)."""

from django.urls import include, path

app_name = "suggestions"

urlpatterns = [
    path("", include("renda.suggestions.urls.staff")),
    path("", include("renda.suggestions.urls.workspace")),
    path("", include("renda.suggestions.urls.reports")),
    path("", include("renda.suggestions.urls.supervision")),
    path("", include("renda.suggestions.urls.inspections")),
]
