"""Suggestions: figures, registers, official documents and the public
disclosure of replies."""

from django.urls import path

from renda.suggestions.views import reports as views

urlpatterns = [
    path("figures/", views.figures, name="figures"),
    path("figures/items/", views.figures_items, name="figures_items"),
    path("figures/export.xlsx", views.figures_export, name="figures_export"),
    path("registers/book/", views.register_print, name="register_print"),
    path("registers/book.xlsx", views.register_xlsx, name="register_xlsx"),
    path("<int:pk>/card/", views.card_print, name="card_print"),
    path("<int:pk>/card.xlsx", views.card_xlsx, name="card_xlsx"),
    path("<int:pk>/notice.docx", views.notice_docx, name="notice_docx"),
    path("replies/<int:pk>/letter.docx", views.reply_docx, name="reply_docx"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
]
