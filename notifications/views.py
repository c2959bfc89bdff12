"""The enrollee's inbox, notification settings and calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from notifications import calendar, selectors, services
from notifications.forms import PreferenceForm
from notifications.models import new_calendar_token


@login_required
@require_GET
def inbox(request):
    page = Paginator(selectors.inbox(request.user), 30).get_page(request.GET.get("page"))
    unread = selectors.unread_count(request.user)
    return render(request, "notifications/inbox.html", {"page": page, "unread": unread})


@login_required
@require_GET
def open_notification(request, pk):
    """Mark it read and go to what it is about (only ever a path on this site)."""
    notification = selectors.notification_get(request.user, pk)
    services.mark_read(notification)
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect(notification.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(request.user)
    messages.success(request, _("All messages are marked as read."))
    return redirect("notifications:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    preference = selectors.preference_of(request.user)
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        if not services.channels_for(request.user, preference):
            # Never silently: deadline reminders still come, in the inbox.
            messages.warning(
                request,
                _(
                    "No e-mail or text message can reach you with these settings (is there an e-mail address or "
                    "mobile number on your account?). Deadline reminders still appear in your messages here."
                ),
            )
        else:
            messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    calendar_url = request.build_absolute_uri(f"/inbox/calendar/{preference.calendar_token}.ics")
    context = {"form": form, "calendar_url": calendar_url, "user_has_email": bool(request.user.email)}
    return render(request, "notifications/preferences.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def calendar_reset(request):
    """A new secret address: the old one (perhaps shared by mistake) stops working."""
    preference = selectors.preference_of(request.user)
    preference.calendar_token = new_calendar_token()
    preference.save(update_fields=["calendar_token"])
    messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    return redirect("notifications:preferences")


@require_safe  # calendar apps may ask with HEAD first
def calendar_feed(request, token):
    """No login (calendar apps cannot log in): the unguessable token is the key."""
    preference = selectors.preference_by_token(token)
    response = HttpResponse(calendar.feed(preference.user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
