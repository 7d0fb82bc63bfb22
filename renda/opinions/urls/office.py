"""Opinions: office pages (receptions, the ledger and its outcomes, the unit side, the cycle)."""

from django.urls import path

from renda.opinions.views import office as views

urlpatterns = [
    path("receptions/", views.reception_list, name="reception_list"),
    path("receptions/new/", views.reception_create, name="reception_create"),
    path("receptions/<int:pk>/", views.reception_detail, name="reception_detail"),
    path("ledger/", views.opinion_list, name="list"),
    path("ledger/new/", views.opinion_create, name="create"),
    path("ledger/cycle/", views.cycle, name="cycle"),
    path("ledger/<int:pk>/", views.opinion_detail, name="detail"),
    path("ledger/<int:pk>/sort/", views.opinion_sort, name="sort"),
    path("ledger/<int:pk>/merge/", views.opinion_merge, name="merge"),
    path("ledger/<int:pk>/solve/", views.opinion_solve, name="solve"),
    path("ledger/<int:pk>/assign/", views.opinion_assign, name="assign"),
    path("ledger/<int:pk>/escalate/", views.opinion_escalate, name="escalate"),
    path("ledger/<int:pk>/convert/", views.opinion_convert, name="convert"),
    path("ledger/<int:pk>/decline/", views.opinion_decline, name="decline"),
    path("ledger/<int:pk>/handled/", views.opinion_handled, name="handled"),
    path("ledger/<int:pk>/answer/", views.opinion_answer, name="answer"),
    path("ledger/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("unit/", views.unit_list, name="unit_list"),
    path("unit/<int:pk>/handle/", views.unit_handle, name="unit_handle"),
    path("unit/<int:pk>/return/", views.unit_return, name="unit_return"),
]
