"""Suggestions: joint inspections of a session's suggestion handling (联合检查)."""

from django.urls import path

from renda.suggestions.views import inspections as views

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspection_list"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
]
