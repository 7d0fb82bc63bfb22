"""REST API wiring. Endpoints live with their apps; this file routes them."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from renda.core import api as core_api
from renda.deputies import api as deputies_api
from renda.duties import api as duties_api
from renda.opinions import api as opinions_public_api
from renda.opinions import api_office as opinions_api
from renda.suggestions import api as suggestions_api

router = DefaultRouter()
router.register("regions", core_api.RegionViewSet, basename="region")
router.register("bodies", core_api.BodyViewSet, basename="body")
router.register("sessions", core_api.SessionViewSet, basename="session")
router.register("units", core_api.UnitViewSet, basename="unit")
router.register("rules", core_api.RuleViewSet, basename="rule")
router.register("deputies", deputies_api.PersonViewSet, basename="deputy")
router.register("mandates", deputies_api.MandateViewSet, basename="mandate")
router.register("groups", deputies_api.GroupViewSet, basename="group")
router.register("stations", deputies_api.StationViewSet, basename="station")
suggestions_api.register(router)
opinions_api.register(router)
opinions_public_api.register(router)
duties_api.register(router)

app_name = "api"

urlpatterns = [
    path("auth/token/", core_api.TokenView.as_view(), name="token"),
    path("me/", core_api.me, name="me"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
]
