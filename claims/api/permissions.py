"""Who may call the claim endpoints.

Seeing a claim is decided by the scoped queries of claims.api.access (what they do not
return is a 404). These classes only add what the role or the person's part in the claim
allows on top: staff and admins may read a claim of their offices, but changing a claim
belongs to the enrollee and whoever filed it for them.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.constants import Role


class IsEnrolleeToCreate(BasePermission):
    """Anyone logged in may list their own; only enrollees file (staff get their own flow)."""

    message = _("Only enrollees can file a claim here.")

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or request.user.role == Role.ENROLLEE


class IsPartyToClaimOrReadOnly(BasePermission):
    """Reads: whoever the scoped query let see the claim. Writes: the enrollee or the filer only."""

    message = _("Only the enrollee or the person who filed it can change this claim.")

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return request.user.pk in (obj.enrollee_id, obj.filed_by_id)
