"""Suggestions: the handling unit's workspace and the deputy's own pages."""

from django.urls import path

from renda.suggestions.views import workspace as views

urlpatterns = [
    # --- the handling unit (承办单位)
    path("unit/", views.unit_list, name="unit_list"),
    path("unit/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("unit/assignments/<int:pk>/sign/", views.unit_sign, name="unit_sign"),
    path("unit/assignments/<int:pk>/return/", views.unit_return, name="unit_return"),
    path("unit/assignments/<int:pk>/co-opinion/", views.unit_co_opinion, name="unit_co_opinion"),
    path("unit/<int:pk>/consult/", views.unit_consult, name="unit_consult"),
    path("unit/<int:pk>/reply/", views.unit_reply, name="unit_reply"),
    path("unit/<int:pk>/attach/", views.unit_attach, name="unit_attach"),
    path("unit/deadlines/<int:pk>/extension/", views.unit_extension, name="unit_extension"),
    path("attachments/<int:pk>/", views.attachment_download, name="workspace_attachment"),
    # --- the deputy (我的建议)
    path("mine/", views.my_list, name="my_list"),
    path("mine/new/", views.my_create, name="my_create"),
    path("mine/<int:pk>/", views.my_detail, name="my_detail"),
    path("mine/<int:pk>/edit/", views.my_edit, name="my_edit"),
    path("mine/<int:pk>/submit/", views.my_submit, name="my_submit"),
    path("mine/<int:pk>/withdraw/", views.my_withdraw, name="my_withdraw"),
    path("replies/<int:pk>/evaluate/", views.evaluate, name="evaluate"),
]
