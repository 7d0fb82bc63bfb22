"""Deputies: structure statistics (结构比例) pages."""

from django.urls import path

from renda.deputies.views import structure as views

urlpatterns = [
    path("structure/", views.structure, name="structure"),
    path("structure/export/", views.structure_export, name="structure_export"),
]
