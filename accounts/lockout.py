"""Login lockout (django-axes): who is counted, and what a locked-out person is told.

Failures are counted per account *and* client address, so one attacker cannot lock everyone
out of the portal, and an identity number never lands in the lockout table: the key is the
account's id (the same for its ID number and its mobile number) or a keyed hash of what was typed.
"""

import hashlib
import hmac

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts import selectors


def username_key(request, credentials) -> str:
    typed = ((credentials or {}).get("username") or request.POST.get("username") or "").strip()
    user = selectors.user_for_login(typed) if typed else None
    if user is not None:
        return f"user:{user.pk}"
    digest = hmac.new(settings.SECRET_KEY.encode(), typed.upper().encode(), hashlib.sha256).hexdigest()
    return f"unknown:{digest[:16]}"


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed log-ins for this account from here. Try again in %(minutes)s minutes, or reset the "
        "password at your office."
    ) % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "errors": {}}, status=429)
    return render(request, "accounts/locked_out.html", {"message": message}, status=429)
