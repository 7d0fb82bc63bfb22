from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from renda.core import views
from renda.core.forms import LoginForm

app_name = "core"

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("bench/floor/", views.floor, name="floor"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="core/login.html",
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="core/password_change.html",
            success_url=reverse_lazy("core:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="core/password_change_done.html"),
        name="password_change_done",
    ),
    path("regions/", views.region_list, name="region_list"),
    path("regions/<int:pk>/", views.region_detail, name="region_detail"),
    path("bodies/", views.body_list, name="body_list"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/move/", views.session_move, name="session_move"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_edit, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/", views.rule_detail, name="rule_detail"),
]
