"""Suggestions: supervision pages (notices and the supervision board)."""

from django.urls import path

from renda.suggestions.views import supervision as views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("overdue/", views.overdue_board, name="overdue"),
]
