from django.contrib import admin

from common.admin import LabelledChangeListAdmin
from review.models import ReasonTemplate


@admin.register(ReasonTemplate)
class ReasonTemplateAdmin(LabelledChangeListAdmin):
    """Standard reasons staff tick when returning or rejecting; switch one off rather than delete it."""

    list_display = ("code", "text_zh", "text_en", "applies_to", "active", "position")
    list_editable = ("active", "position")
    list_filter = ("applies_to", "active")
    search_fields = ("code", "text_zh", "text_en")
