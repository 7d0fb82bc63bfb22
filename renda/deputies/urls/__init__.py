"""Deputies URLs, one module per sub-topic (each with its views module)."""

from django.urls import include, path

app_name = "deputies"

urlpatterns = [
    path("", include("renda.deputies.urls.roster")),
    path("", include("renda.deputies.urls.imports")),
    path("", include("renda.deputies.urls.structure")),
    path("", include("renda.deputies.urls.stations")),
    path("", include("renda.deputies.urls.contacts")),
]
