"""Opinions: registers and figures."""

from django.urls import path

from renda.opinions.views import reports as views

urlpatterns = [
    path("registers/<slug:kind>/", views.register, name="register"),
    path("registers/<slug:kind>/xlsx/", views.register_xlsx, name="register_xlsx"),
    path("figures/", views.figures, name="figures"),
    path("figures/xlsx/", views.figures_xlsx, name="figures_xlsx"),
    path("figures/items/", views.figures_items, name="figures_items"),
]
