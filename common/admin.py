from django.contrib import admin

from common.models import AccessLog


def labelled(formset):
    """Django's tables of rows (tabular inlines, editable change lists) name each column in its
    header only, so a screen reader on a cell's field hears no name (WCAG 1.3.1, 4.1.2): each
    field also carries its column's name as `aria-label`."""

    class Labelled(formset):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            for name, field in form.fields.items():
                field.widget.attrs.setdefault("aria-label", str(field.label or name))

    return Labelled


class LabelledTabularInline(admin.TabularInline):
    def get_formset(self, request, obj=None, **kwargs):
        return labelled(super().get_formset(request, obj, **kwargs))


class LabelledChangeListAdmin(admin.ModelAdmin):
    """For change lists with `list_editable`."""

    def get_changelist_formset(self, request, **kwargs):
        return labelled(super().get_changelist_formset(request, **kwargs))


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
