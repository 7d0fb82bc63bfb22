"""Duties URLs, one module per sub-topic (each with its views module)."""

from django.urls import include, path

app_name = "duties"

urlpatterns = [
    path("", include("renda.duties.urls.activities")),
    path("", include("renda.duties.urls.entries")),
    path("", include("renda.duties.urls.points")),
    path("", include("renda.duties.urls.evaluations")),
    path("", include("renda.duties.urls.archive")),
]
