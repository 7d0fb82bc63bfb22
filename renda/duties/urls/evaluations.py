"""Duties: evaluations pages."""

urlpatterns = []
