"""Who may call the staff's endpoints: window staff and admins. Which cases each of them sees is
the case apps' scoped selectors' answer (another office's case is a 404 there)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from accounts.constants import Role


class IsReviewer(BasePermission):
    """Window staff and admins: the review queues and decisions."""

    message = _("Only office staff can review registrations.")

    def has_permission(self, request, view):
        return request.user.role in (Role.STAFF, Role.ADMIN)


class IsClaimReviewer(IsReviewer):
    message = _("Only office staff decide on claims.")
