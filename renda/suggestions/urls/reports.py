"""Suggestions: reports pages."""

urlpatterns = []
