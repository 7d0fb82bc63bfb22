"""Deputies: imports pages."""

urlpatterns = []
