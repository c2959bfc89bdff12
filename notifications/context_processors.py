from notifications.selectors import unread_count


def unread(request):
    """The nav's unread badge, counted only when a page shows the nav."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user)}
