"""Deputies: stations pages."""

urlpatterns = []
