"""Duties: points pages."""

urlpatterns = []
