"""Duties: evaluation pages (rounds, the four-good list, duty reports to voters)."""

from django.urls import path

from renda.duties.views import evaluations as views

urlpatterns = [
    path("evaluations/rounds/", views.round_list, name="round_list"),
    path("evaluations/rounds/new/", views.round_create, name="round_create"),
    path("evaluations/rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("evaluations/rounds/<int:pk>/rate/", views.round_rate, name="round_rate"),
    path("evaluations/rounds/<int:pk>/enter/", views.round_enter, name="round_enter"),
    path("evaluations/rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("evaluations/four-good/", views.four_good, name="four_good"),
    path("evaluations/four-good/print/", views.four_good_print, name="four_good_print"),
    path("evaluations/four-good/select/", views.four_good_select, name="four_good_select"),
    path(
        "evaluations/four-good/<int:pk>/unselect/",
        views.four_good_unselect,
        name="four_good_unselect",
    ),
    path("evaluations/duty-reports/", views.duty_report_list, name="duty_report_list"),
    path("evaluations/duty-reports/new/", views.duty_report_create, name="duty_report_create"),
]
