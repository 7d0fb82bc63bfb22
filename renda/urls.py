from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "人大履职平台 管理后台"
admin.site.site_title = "人大履职平台"

urlpatterns = [
    path("", include("renda.reports.urls")),
    path("", include("renda.core.urls")),
    path("deputies/", include("renda.deputies.urls")),
    path("suggestions/", include("renda.suggestions.urls")),
    path("opinions/", include("renda.opinions.urls")),
    path("duties/", include("renda.duties.urls")),
    path("api/", include("renda.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
