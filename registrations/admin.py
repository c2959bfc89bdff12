"""Registrations in the admin: to look things up, not to change them.

Every change of a registration goes through registrations.services, which checks the rules
and writes the history; the admin therefore shows registrations, their documents and their
history read-only and deletes nothing.
"""

from django.contrib import admin

from common.admin import LabelledTabularInline
from registrations.models import Registration, RegistrationDocument, RegistrationEvent


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DocumentInline(ReadOnlyMixin, LabelledTabularInline):
    model = RegistrationDocument
    extra = 0
    # The file itself is served only through the logged review view, never from the admin.
    fields = ("kind", "original_name", "content_type", "size", "status", "review_reason", "reviewed_by", "created_at")
    readonly_fields = fields


class EventInline(ReadOnlyMixin, LabelledTabularInline):
    model = RegistrationEvent
    extra = 0
    fields = ("at", "action", "actor", "from_status", "to_status", "reason", "details")
    readonly_fields = fields


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "enrollee", "registration_type", "status", "office", "channel", "submitted_at")
    list_filter = ("status", "registration_type", "office", "channel")
    list_select_related = ("enrollee", "office", "office__jurisdiction")
    search_fields = ("number",)
    date_hierarchy = "created_at"
    ordering = ("-created_at",)
    inlines = [DocumentInline, EventInline]
    readonly_fields = ("uuid", "created_at", "updated_at")


@admin.register(RegistrationEvent)
class RegistrationEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The history is append-only (common.models.AppendOnlyModel): nothing here can be edited."""

    list_display = ("at", "registration", "action", "actor", "from_status", "to_status")
    list_filter = ("action",)
    list_select_related = ("registration", "actor")
    search_fields = ("registration__number",)
    date_hierarchy = "at"
