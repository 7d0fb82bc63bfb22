"""Deputies: roster import and export pages."""

from django.urls import path

from renda.deputies.views import imports as views

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_create, name="import_create"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/status/", views.import_status, name="import_status"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("roster/export/", views.roster_export, name="roster_export"),
]
