import base64

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.constants import ELDER_COOKIE
from accounts.forms import SecondFactorForm, SignupForm
from common.errors import ServiceError


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.enrollee_register(
                national_id_value=data["national_id"],
                name=data["name"],
                phone=data["phone"],
                password=data["password"],
                scheme=data["scheme"],
                jurisdiction_code=data["jurisdiction"].code,
                office_code=data["office"].code,
                preferred_language=get_language() or "zh-hans",
            )
        except ServiceError as error:
            for field, field_errors in error.errors.items():
                for message in field_errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            login(request, user, backend="accounts.backends.NationalIdOrPhoneBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


@never_cache
@login_required
def second_factor(request):
    """Staff and admins enter a code from their authenticator app, after setting one up the first time."""
    user = request.user
    if not selectors.needs_second_factor(user):
        return redirect("home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    device = selectors.authenticator_for(user)
    setting_up = device is None
    if setting_up:
        device = services.authenticator_start(user=user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if setting_up:
                device = services.authenticator_confirm(user=user, device=device, token=form.cleaned_data["otp"])
            else:
                device = services.authenticator_check(user=user, token=form.cleaned_data["otp"])
        except ServiceError as error:
            form.add_error("otp", error.message)
        else:
            django_otp.login(request, device)
            request.session.cycle_key()  # a new session id now that the session is worth more
            if setting_up:
                messages.success(request, _("The authenticator app is set up. Keep the phone safe."))
            # Staff come to work: with nowhere asked for (or only the home page, where every log-in
            # lands), they start at the review queue.
            if next_url in ("", reverse("home")) and selectors.review_offices_of(user):
                next_url = reverse("review:queue")
            return redirect(next_url or "home")
    context = {"form": form, "next": next_url, "setting_up": setting_up}
    if setting_up:
        context["qr_svg"] = mark_safe(  # noqa: S308  # nosec B308 B703 - segno's own SVG, no user text
            segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code for the authenticator app"))
        )
        secret = base64.b32encode(device.bin_key).decode()
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "accounts/second_factor.html", context)


@require_POST
def elder_mode(request):
    """The header's 长辈模式 switch: remembered by this browser and, once logged in, by the account."""
    on = request.POST.get("on") == "1"
    if request.user.is_authenticated:
        services.user_elder_mode_set(user=request.user, on=on)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        ELDER_COOKIE,
        "1" if on else "0",
        max_age=365 * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
