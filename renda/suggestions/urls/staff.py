"""Suggestions: staff pages."""

urlpatterns = []
