"""Deputies: roster pages."""

urlpatterns = []
