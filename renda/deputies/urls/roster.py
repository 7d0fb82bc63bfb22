"""Deputies: the roster, mandates, groups and the public disclosure board."""

from django.urls import path

from renda.deputies.views import disclosure, roster

urlpatterns = [
    path("", roster.person_list, name="list"),
    path("print/", roster.person_print, name="print"),
    path("new/", roster.person_edit, name="create"),
    path("<int:pk>/", roster.person_detail, name="detail"),
    path("<int:pk>/edit/", roster.person_edit, name="edit"),
    path("<int:pk>/reveal-id/", roster.person_reveal_id, name="reveal_id"),
    path("<int:pk>/photo/", roster.person_photo, name="photo"),
    path("<int:pk>/mandates/new/", roster.mandate_add, name="mandate_add"),
    path("mandates/<int:pk>/end/", roster.mandate_end, name="mandate_end"),
    path("groups/", roster.group_list, name="group_list"),
    path("groups/new/", roster.group_edit, name="group_create"),
    path("groups/<int:pk>/", roster.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", roster.group_edit, name="group_edit"),
    path("groups/<int:pk>/members/", roster.group_member_add, name="group_member_add"),
    path(
        "groups/<int:pk>/members/<int:person_pk>/remove/",
        roster.group_member_remove,
        name="group_member_remove",
    ),
    path("public/", disclosure.constituency_index, name="disclosure_index"),
    path("public/<int:pk>/", disclosure.constituency_board, name="disclosure"),
    path("public/<int:pk>/board.pdf", disclosure.constituency_board_pdf, name="disclosure_pdf"),
]
