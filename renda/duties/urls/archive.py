"""Duties: archives (page, PDF, yearly export), registers and figures."""

from django.urls import path

from renda.duties.views import archive as views

urlpatterns = [
    path("archive/", views.archive_index, name="archive_index"),
    path("archive/export.xlsx", views.archive_export, name="archive_export"),
    path("archive/<int:pk>/<int:year>/", views.archive_detail, name="archive"),
    path("archive/<int:pk>/<int:year>/pdf/", views.archive_pdf, name="archive_pdf"),
    path("archive/<int:pk>/term/<int:term>/", views.archive_term, name="archive_term"),
    path("archive/<int:pk>/term/<int:term>/pdf/", views.archive_term_pdf, name="archive_term_pdf"),
    path("registers/<slug:kind>/", views.register, name="register"),
    path("registers/<slug:kind>/xlsx/", views.register_xlsx, name="register_xlsx"),
    path("figures/", views.figures, name="figures"),
    path("figures/xlsx/", views.figures_xlsx, name="figures_xlsx"),
    path("figures/items/", views.figures_items, name="figures_items"),
]
