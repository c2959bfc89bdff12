from django.contrib import admin

from common.models import AccessLog, ReasonTemplate


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Who looked at personal data. A record of what happened: nothing in it can be edited."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "detail")
    list_filter = ("action", "object_type")
    list_select_related = ("actor",)
    search_fields = ("object_id", "detail", "actor__username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReasonTemplate)
class ReasonTemplateAdmin(admin.ModelAdmin):
    """Standard reasons staff tick when returning or rejecting; switch one off rather than delete it."""

    list_display = ("code", "text_zh", "text_en", "applies_to", "active", "position")
    list_editable = ("active", "position")
    list_filter = ("applies_to", "active")
    search_fields = ("code", "text_zh", "text_en")
