"""Reads of the inbox, always the person's own."""

from django.http import Http404

from notifications.models import Notification, Preference
from notifications.services import default_channels


def unread_count(user) -> int:
    """The nav's badge on every page: one indexed count."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notification_get(user, pk) -> Notification:
    try:
        return Notification.objects.get(recipient=user, pk=int(pk))
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def preference_of(user) -> Preference:
    preference, _created = Preference.objects.get_or_create(user=user, defaults=default_channels(user))
    return preference


def preference_by_token(token: str) -> Preference:
    try:
        return Preference.objects.select_related("user").get(calendar_token=token, user__is_active=True)
    except Preference.DoesNotExist:
        raise Http404 from None
