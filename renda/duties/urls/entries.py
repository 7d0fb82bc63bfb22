"""Duties: duty records, deputies' own entries (履职纪实), their checking and spot checks."""

from django.urls import path

from renda.duties.views import entries as views

urlpatterns = [
    path("records/mine/", views.my_records, name="my_records"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/photo/", views.record_photo, name="record_photo"),
    path("entries/new/", views.entry_create, name="entry_create"),
    path("entries/queue/", views.entry_queue, name="entry_queue"),
    path("entries/<int:pk>/resubmit/", views.entry_resubmit, name="entry_resubmit"),
    path("entries/<int:pk>/verify/", views.entry_verify, name="entry_verify"),
    path("entries/<int:pk>/return/", views.entry_return, name="entry_return"),
    path("spot-checks/", views.spot_check_list, name="spot_check_list"),
    path("spot-checks/new/", views.spot_check_create, name="spot_check_create"),
    path("spot-checks/<int:pk>/", views.spot_check_detail, name="spot_check_detail"),
    path(
        "spot-checks/items/<int:pk>/conclude/",
        views.spot_check_conclude,
        name="spot_check_conclude",
    ),
]
