"""Who may open the window staff's pages."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.views.decorators.cache import never_cache

from accounts import selectors


def staff_view(view):
    """Staff bound to an office, and admins; `request.review_offices` lists the offices they serve.

    Everyone else gets a 404 (anonymous visitors are sent to log in); pages are never cached.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.review_offices = selectors.review_offices_of(user)
        if not request.review_offices:
            raise Http404
        return view(request, *args, **kwargs)

    return never_cache(wrapper)
