"""Opinions: office pages."""

urlpatterns = []
