"""Opinions: public pages."""

urlpatterns = []
