"""Duties: entries pages."""

urlpatterns = []
