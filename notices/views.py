"""The public pages of the subscriptions: subscribe, confirm, unsubscribe. No account needed,
and no page ever shows an address."""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from kernel.accounts import mail_configured
from members.models import Organization

from . import services
from .forms import SubscribeForm


def _organizations():
    return list(Organization.objects.order_by("short_name").only("pk", "short_name"))


@require_http_methods(["GET", "POST"])
def subscribe(request):
    if not mail_configured():
        # No letter could go out (production without DJANGO_EMAIL_HOST): no one is told one is
        # on its way, as with the password reset.
        return render(request, "notices/unavailable.html", status=503)
    organizations = _organizations()
    form = SubscribeForm(request.POST or None, organizations=organizations)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_request(
                email=form.cleaned_data["email"],
                minutes=form.cleaned_data["minutes"],
                organizations=form.cleaned_data["organizations"],
                # The client as django-axes counts failed logins (settings.AXES_IPWARE_*).
                client=get_client_ip_address(request),
            )
        except services.Refused as refusal:
            form.add_error(None, refusal.message)
            status = 429
        else:
            return redirect("notices:subscribe_sent")
    return render(request, "notices/subscribe.html", {"form": form}, status=status)


def subscribe_sent(request):
    context = {"confirm_hours": settings.NOTICES_CONFIRM_HOURS}
    return render(request, "notices/subscribe_sent.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows what the link confirms and a button; only the button's POST stores it (a mail
    program that opens links to check them must not subscribe anyone)."""
    try:
        if request.method == "POST":
            subscription = services.subscription_confirm(token=token)
            return render(request, "notices/confirmed.html", {"subscription": subscription})
        wanted = services.confirmation_read(token=token)
    except services.Refused as refusal:
        return render(request, "notices/refused.html", {"message": refusal.message}, status=400)
    chosen = Organization.objects.filter(pk__in=wanted.organizations).order_by("short_name")
    return render(
        request,
        "notices/confirm.html",
        {"minutes": wanted.minutes, "organizations": list(chosen)},
    )


@never_cache
@csrf_exempt  # RFC 8058: the mail client POSTs «List-Unsubscribe=One-Click», with no token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        if request.method == "POST":
            services.subscription_cancel(token=token)
            return render(request, "notices/unsubscribed.html")
        subscription = services.unsubscribe_read(token=token)
    except services.Refused as refusal:
        return render(request, "notices/refused.html", {"message": refusal.message}, status=400)
    if subscription is None:
        return render(request, "notices/unsubscribed.html")
    return render(request, "notices/unsubscribe.html")
