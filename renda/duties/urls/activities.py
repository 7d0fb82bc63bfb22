"""Duties: activities pages."""

urlpatterns = []
