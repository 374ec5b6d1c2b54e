"""Logging in and resetting a forgotten password, offered only where a letter can go out."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def mail_configured() -> bool:
    """Whether the portal can send a letter: an SMTP server is set (DJANGO_EMAIL_HOST), or
    letters go elsewhere than SMTP (the console with debug on, the outbox in tests)."""
    return settings.EMAIL_BACKEND != SMTP_BACKEND or bool(settings.EMAIL_HOST)


class LoginView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"password_reset_available": mail_configured()}


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, refused (404) where the letter could not be sent: the form would
    otherwise say «sent» while the letter went nowhere."""

    def dispatch(self, request, *args, **kwargs):
        if not mail_configured():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def extra_email_context(self):
        return {
            "club_name": settings.CLUB_NAME,
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
