"""Suggestions: supervision pages."""

urlpatterns = []
