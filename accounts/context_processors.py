from accounts.constants import ELDER_COOKIE
from offices import selectors as office_selectors


def elder_mode(request):
    """长辈模式: on when this browser chose it or the account did; with it, whom to call."""
    user = getattr(request, "user", None)
    logged_in = user is not None and user.is_authenticated
    on = request.COOKIES.get(ELDER_COOKIE) == "1" or (logged_in and user.elder_mode)
    office_id = getattr(user, "office_id", None) if logged_in else None
    return {"elder_mode": on, "help_line": lambda: office_selectors.help_line(office_id) if on else []}
