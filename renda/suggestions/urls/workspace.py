"""Suggestions: workspace pages."""

urlpatterns = []
