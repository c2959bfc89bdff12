from django.contrib import admin

from claims.models import Claim, ClaimEvent, Expense, ReviewThreshold
from common.admin import LabelledTabularInline


@admin.register(ReviewThreshold)
class ReviewThresholdAdmin(admin.ModelAdmin):
    list_display = ("jurisdiction", "four_eyes_above")


class ExpenseInline(LabelledTabularInline):
    model = Expense
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in Expense._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


class ClaimEventInline(LabelledTabularInline):
    model = ClaimEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "action", "from_status", "to_status", "reason", "details")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Read-only: claims change through the portal's services, which keep the history."""

    list_display = ("number", "enrollee", "office", "claim_kind", "status", "approved_amount", "submitted_at")
    list_filter = ("status", "claim_kind", "office")
    search_fields = ("number",)
    list_select_related = ("enrollee", "office")
    inlines = [ExpenseInline, ClaimEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
