from django.urls import path

from . import api_views

urlpatterns = [
    path("auth/register/", api_views.RegisterView.as_view(), name="auth-register"),
    path("auth/login/", api_views.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", api_views.LogoutView.as_view(), name="auth-logout"),
    path("auth/logout-all/", api_views.LogoutAllView.as_view(), name="auth-logout-all"),
    path("auth/password-reset/", api_views.PasswordResetView.as_view(),
         name="auth-password-reset"),
    path("auth/me/", api_views.CurrentLearnerView.as_view(), name="auth-me"),
]
