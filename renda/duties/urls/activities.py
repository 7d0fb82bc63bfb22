"""Duties: activities pages (entered once, credited to every participant)."""

from django.urls import path

from renda.duties.views import activities as views

urlpatterns = [
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_update, name="activity_update"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path(
        "activities/<int:pk>/attendance/<int:person_pk>/",
        views.activity_attendance,
        name="activity_attendance",
    ),
    path("activities/<int:pk>/attachments/", views.activity_attach, name="activity_attach"),
    path(
        "activities/attachments/<int:pk>/",
        views.activity_attachment,
        name="activity_attachment",
    ),
]
