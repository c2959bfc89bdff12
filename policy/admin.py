from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import LabelledTabularInline
from policy import services
from policy.constants import Channel, Treatment
from policy.models import (
    BenefitRow,
    CatalogueRule,
    DocumentKind,
    MaterialGroup,
    MaterialOption,
    RegistrationType,
    RuleSet,
    SettlementScope,
    SpecialDiseaseRule,
)


class RegistrationTypeForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("channels"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = RegistrationType
        fields = [
            "ruleset", "code", "category", "name_zh", "name_en", "description_zh", "description_en",
            "validity_rule", "validity_months", "reduction_points", "filing_required", "review_required",
            "channels", "mail_forms", "referrer_min_level", "referrer_needs_referral_rights", "position", "source_ref",
        ]  # fmt: skip


class MaterialGroupForm(forms.ModelForm):
    treatments = forms.MultipleChoiceField(
        label=_("only for treatments"),
        choices=Treatment.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: applies to every treatment."),
    )

    class Meta:
        model = MaterialGroup
        fields = [
            "ruleset", "purpose", "registration_type", "claim_kind", "treatments", "when_agent",
            "code", "name_zh", "name_en", "position", "source_ref",
        ]  # fmt: skip


class RegistrationTypeInline(admin.StackedInline):
    model = RegistrationType
    form = RegistrationTypeForm
    extra = 0
    show_change_link = True


class CatalogueRuleInline(LabelledTabularInline):
    model = CatalogueRule
    extra = 0


class SettlementScopeInline(LabelledTabularInline):
    model = SettlementScope
    extra = 0


class SpecialDiseaseRuleInline(LabelledTabularInline):
    model = SpecialDiseaseRule
    extra = 0


class BenefitRowInline(LabelledTabularInline):
    model = BenefitRow
    extra = 0


class NewVersionForm(forms.Form):
    name = forms.CharField(label=_("name of the new version"), max_length=100)
    effective_from = forms.DateField(label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"}))


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):
    list_display = ("name", "jurisdiction", "effective_from", "effective_to", "new_version_link")
    list_filter = ("jurisdiction",)
    search_fields = ("name", "source")
    inlines = [
        RegistrationTypeInline,
        CatalogueRuleInline,
        SettlementScopeInline,
        SpecialDiseaseRuleInline,
        BenefitRowInline,
    ]

    @admin.display(description=_("new version"))
    def new_version_link(self, obj):
        url = reverse("admin:policy_ruleset_new_version", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Copy as a new version…"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/new-version/",
                self.admin_site.admin_view(self.new_version_view),
                name="policy_ruleset_new_version",
            ),
            *super().get_urls(),
        ]

    def new_version_view(self, request, pk):
        """Copy a rule set to a new, later version that admins then edit."""
        source = get_object_or_404(RuleSet, pk=pk)
        if not self.has_add_permission(request):
            return redirect("admin:policy_ruleset_changelist")
        form = NewVersionForm(request.POST or None, initial={"name": f"{source.name} (new)"})
        if request.method == "POST" and form.is_valid():
            try:
                new = services.ruleset_new_version(source=source, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.log_addition(request, new, [{"added": {"name": f"copy of {source.name}"}}])
                messages.success(request, _("New version created. Review and edit it before it takes effect."))
                return redirect("admin:policy_ruleset_change", new.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("New version of %(name)s") % {"name": source.name},
            "form": form,
            "source": source,
            "opts": self.model._meta,
        }
        return render(request, "admin/policy/ruleset/new_version.html", context)


class MaterialOptionInline(LabelledTabularInline):
    model = MaterialOption
    extra = 0
    filter_horizontal = ("document_kinds",)


@admin.register(MaterialGroup)
class MaterialGroupAdmin(SimpleHistoryAdmin):
    form = MaterialGroupForm
    list_display = ("name_zh", "code", "ruleset", "purpose", "registration_type", "claim_kind", "when_agent")
    list_filter = ("ruleset", "purpose", "claim_kind", "when_agent")
    search_fields = ("code", "name_zh", "name_en", "source_ref")
    list_select_related = ("ruleset", "registration_type")
    inlines = [MaterialOptionInline]


@admin.register(RegistrationType)
class RegistrationTypeAdmin(SimpleHistoryAdmin):
    form = RegistrationTypeForm
    list_display = ("name_zh", "code", "ruleset", "category", "validity_rule", "reduction_points", "review_required")
    list_filter = ("ruleset", "category", "validity_rule")
    search_fields = ("code", "name_zh", "name_en", "source_ref")
    list_select_related = ("ruleset",)


@admin.register(DocumentKind)
class DocumentKindAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_zh", "name_en")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(BenefitRow)
class BenefitRowAdmin(SimpleHistoryAdmin):
    list_display = ("ruleset", "scheme", "institution_level", "deductible", "base_ratio", "annual_cap")
    list_filter = ("ruleset", "scheme", "institution_level")
