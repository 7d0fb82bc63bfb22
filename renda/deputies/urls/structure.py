"""Deputies: structure pages."""

urlpatterns = []
