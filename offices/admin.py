from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from common.admin import LabelledTabularInline
from offices.models import Institution, Jurisdiction, Office, OfficePhone


class OfficePhoneInline(LabelledTabularInline):
    model = OfficePhone
    extra = 0


@admin.register(Jurisdiction)
class JurisdictionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_zh", "name_en", "effective_from", "source")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    list_display = ("name_zh", "name_en", "jurisdiction", "code", "office_address")
    list_filter = ("jurisdiction",)
    search_fields = ("name_zh", "name_en", "code", "office_address", "mailing_address", "phones__number")
    inlines = [OfficePhoneInline]


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "jurisdiction", "level", "can_refer", "dialysis_qualified", "phone")
    list_filter = ("jurisdiction", "level", "can_refer", "dialysis_qualified")
    search_fields = ("name", "address", "city")
