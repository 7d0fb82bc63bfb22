"""Deputies: contact links pages (联系关系) and the register 代表联系选民登记卡."""

from django.urls import path

from renda.deputies.views import contacts as views

urlpatterns = [
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/export.xlsx", views.contact_list_xlsx, name="contact_list_xlsx"),
    path("contacts/people/<int:pk>/", views.contact_person, name="contact_person"),
    path(
        "contacts/people/<int:pk>/links/new/",
        views.contact_link_create,
        name="contact_link_create",
    ),
    path("contacts/people/<int:pk>/card/<int:year>/", views.contact_card, name="contact_card"),
    path(
        "contacts/people/<int:pk>/card/<int:year>.xlsx",
        views.contact_card_xlsx,
        name="contact_card_xlsx",
    ),
    path("contacts/links/<int:pk>/end/", views.contact_link_end, name="contact_link_end"),
    path(
        "contacts/links/<int:pk>/visits/new/",
        views.contact_visit_create,
        name="contact_visit_create",
    ),
]
