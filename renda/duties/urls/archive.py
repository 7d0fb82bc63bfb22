"""Duties: archive pages."""

urlpatterns = []
