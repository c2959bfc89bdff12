from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.admin import LabelledChangeListAdmin
from notifications import services
from notifications.models import Delivery, Notification, Preference, ReminderOffset


@admin.register(ReminderOffset)
class ReminderOffsetAdmin(LabelledChangeListAdmin):
    list_display = ["kind", "days_before", "active"]
    list_filter = ["kind", "active"]
    list_editable = ["active"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ["title", "recipient", "kind", "due_date", "created_at", "read_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["subject_number", "dedupe_key"]
    list_select_related = ["recipient"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    """Reminders and messages sent, waiting and failed; failed ones can be sent again."""

    list_display = ["notification", "channel", "status", "attempts", "created_at", "sent_at", "last_error"]
    list_filter = ["status", "channel", "notification__kind", "created_at"]
    search_fields = ["notification__subject_number"]
    list_select_related = ["notification"]
    actions = ["retry"]

    def has_change_permission(self, request, obj=None):
        return request.user.is_portal_admin  # for the retry action; the fields stay read-only

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @admin.action(description=_("Send the failed ones again"))
    def retry(self, request, queryset):
        count = services.retry(list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "sms"]
    exclude = ["calendar_token"]
    search_fields = ["user__username"]
