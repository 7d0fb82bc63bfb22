"""Opinions URLs, one module per sub-topic (each with its views module)."""

from django.urls import include, path

app_name = "opinions"

urlpatterns = [
    path("", include("renda.opinions.urls.public")),
    path("", include("renda.opinions.urls.office")),
    path("", include("renda.opinions.urls.reports")),
]
