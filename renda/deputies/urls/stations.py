"""Deputies: stations, reception schedules, standards checklists and assessments."""

from django.urls import path

from renda.deputies.views import stations as views

urlpatterns = [
    path("stations/", views.station_list, name="station_list"),
    path("stations/new/", views.station_create, name="station_create"),
    path("stations/<int:pk>/", views.station_detail, name="station_detail"),
    path("stations/<int:pk>/edit/", views.station_edit, name="station_edit"),
    path(
        "stations/<int:station_pk>/schedules/new/",
        views.schedule_create,
        name="schedule_create",
    ),
    path("schedules/<int:pk>/edit/", views.schedule_edit, name="schedule_edit"),
    path("schedules/<int:pk>/delete/", views.schedule_delete, name="schedule_delete"),
    path(
        "stations/<int:station_pk>/assessments/new/",
        views.assessment_create,
        name="assessment_create",
    ),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/new/", views.checklist_create, name="checklist_create"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
    path("checklists/<int:pk>/edit/", views.checklist_edit, name="checklist_edit"),
]
