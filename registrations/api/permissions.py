"""Who may call the registration endpoints.

Seeing a registration is decided by the scoped selectors (registrations_visible_to): what
they do not return is a 404, so ids leak nothing. These classes only add what the role or
the person's part in the filing allows on top: staff and admins may read a case of their
offices, but changing a filing belongs to the enrollee and whoever filed it for them.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.constants import Role


class IsEnrolleeToCreate(BasePermission):
    """Anyone logged in may list their own; only enrollees file (staff get their own flow)."""

    message = _("Only enrollees can file a registration here.")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or request.user.role == Role.ENROLLEE


class IsPartyToRegistrationOrReadOnly(BasePermission):
    """Reads: whoever the selector let see the case. Writes: the enrollee or the filer only.

    The object is always a Registration the scoped selector already returned, so a 403 here
    never tells anyone about a case they could not see anyway.
    """

    message = _("Only the enrollee or the person who filed it can change this registration.")

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return request.user.pk in (obj.enrollee_id, obj.filed_by_id)
