"""Duties: points pages (schemes, scores, awards, corrections, publications)."""

from django.urls import path

from renda.duties.views import points as views

urlpatterns = [
    path("points/schemes/", views.scheme_list, name="scheme_list"),
    path("points/schemes/new/", views.scheme_create, name="scheme_create"),
    path("points/schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path(
        "points/schemes/<int:pk>/categories/new/",
        views.scheme_category_add,
        name="scheme_category_add",
    ),
    path("points/schemes/<int:pk>/items/new/", views.scheme_item_create, name="scheme_item_create"),
    path("points/items/<int:pk>/edit/", views.scheme_item_edit, name="scheme_item_edit"),
    path("points/items/<int:pk>/delete/", views.scheme_item_delete, name="scheme_item_delete"),
    path("points/scores/", views.score_list, name="score_list"),
    path("points/scores/export/", views.score_export, name="score_export"),
    path("points/scores/<int:pk>/", views.score_detail, name="score_detail"),
    path("points/mine/", views.my_score, name="my_score"),
    path("points/awards/new/", views.award_create, name="award_create"),
    path("points/corrections/", views.correction_list, name="correction_list"),
    path("points/corrections/new/", views.correction_create, name="correction_create"),
    path("points/corrections/<int:pk>/", views.correction_detail, name="correction_detail"),
    path("points/publications/", views.publication_list, name="publication_list"),
    path("points/publications/new/", views.publication_create, name="publication_create"),
    path("points/publications/<int:pk>/", views.publication_detail, name="publication_detail"),
    path(
        "points/publications/<int:pk>/withdraw/",
        views.publication_withdraw,
        name="publication_withdraw",
    ),
]
