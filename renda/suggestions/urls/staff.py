"""Suggestions: the office staff's pages (register, file, entry, review,
assignment, categories and routing, supervision actions on an item)."""

from django.urls import path

from renda.suggestions.views import staff

urlpatterns = [
    path("", staff.suggestion_list, name="list"),
    path("new/", staff.suggestion_create, name="create"),
    path("similar/", staff.suggestion_similar, name="similar"),
    path("<int:pk>/", staff.suggestion_detail, name="detail"),
    path("<int:pk>/submit/", staff.suggestion_submit, name="submit"),
    path("<int:pk>/review/", staff.suggestion_review, name="review"),
    path("<int:pk>/withdraw/", staff.suggestion_withdraw, name="withdraw"),
    path("<int:pk>/assign/", staff.suggestion_assign, name="assign"),
    path("<int:pk>/urge/", staff.suggestion_urge, name="urge"),
    path("<int:pk>/supervise/", staff.suggestion_supervise, name="supervise"),
    path("<int:pk>/close-commitment/", staff.commitment_close, name="commitment_close"),
    path("<int:pk>/publish/", staff.suggestion_publish, name="publish"),
    path("<int:pk>/evaluate-paper/", staff.evaluate_paper, name="evaluate_paper"),
    path("files/<int:pk>/", staff.attachment_download, name="attachment"),
    path("extensions/<int:pk>/decide/", staff.extension_decide, name="extension_decide"),
    path("categories/", staff.category_list, name="category_list"),
    path("categories/new/", staff.category_create, name="category_create"),
    path("routing/", staff.routing_list, name="routing_list"),
    path("routing/new/", staff.routing_create, name="routing_create"),
    path("routing/<int:pk>/delete/", staff.routing_delete, name="routing_delete"),
]
