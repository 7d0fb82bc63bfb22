"""Opinions: reports pages."""

urlpatterns = []
