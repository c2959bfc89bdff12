from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from common.admin import LabelledTabularInline
from common.translations import localized
from common.widgets import DateInput
from policy import rules, selectors, services, snapshot
from policy.constants import CareScope, Catalogue, Channel, ClaimKind, Treatment, ValidityRule
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
            "channels", "mail_forms", "referrer_min_level", "referrer_needs_referral_rights",
            "wizard_situation", "rescue_default", "position", "source_ref",
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
            "ruleset", "purpose", "registration_type", "claim_kind", "treatments", "when_agent", "sets_validity",
            "code", "name_zh", "name_en", "position", "source_ref",
        ]  # fmt: skip


class RegistrationTypeFormSet(forms.BaseInlineFormSet):
    """Each form checks its row against the saved ones; two rows of one save claiming the same wizard
    answer, or both the rescue default, are only seen together (else the database refuses the save)."""

    def clean(self):
        super().clean()
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.errors
        ]
        situations = [row["wizard_situation"] for row in rows if row.get("wizard_situation")]
        if len(situations) != len(set(situations)):
            raise ValidationError(_("Two types answer the same wizard situation: give each answer one type."))
        if sum(1 for row in rows if row.get("rescue_default")) > 1:
            raise ValidationError(_("Only one type can be filed for care without registering."))


class RegistrationTypeInline(admin.StackedInline):
    model = RegistrationType
    form = RegistrationTypeForm
    formset = RegistrationTypeFormSet
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


class PreviewForm(forms.Form):
    """A question to answer under a draft version and under the rules now in force."""

    registration_type = forms.ChoiceField(label=_("registration type"))
    care_scope = forms.ChoiceField(label=_("care scope"), choices=CareScope.choices)
    on_date = forms.DateField(label=_("date of the case"), widget=DateInput)
    proof_valid_until = forms.DateField(label=_("proof valid until"), required=False, widget=DateInput)
    claim_kind = forms.ChoiceField(label=_("claim kind"), required=False, choices=[("", "—"), *ClaimKind.choices])

    def __init__(self, *args, type_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registration_type"].choices = type_choices


class NewVersionForm(forms.Form):
    name = forms.CharField(label=_("name of the new version"), max_length=100)
    effective_from = forms.DateField(label=_("effective from"), widget=DateInput)


@admin.register(RuleSet)
class RuleSetAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "jurisdiction",
        "effective_from",
        "effective_to",
        "published",
        "draft_links",
        "new_version_link",
    )
    list_filter = ("jurisdiction", "published")
    readonly_fields = ("published", "published_at")
    search_fields = ("name", "source")
    inlines = [
        RegistrationTypeInline,
        CatalogueRuleInline,
        SettlementScopeInline,
        SpecialDiseaseRuleInline,
        BenefitRowInline,
    ]

    def has_delete_permission(self, request, obj=None):
        # Cases and claims were judged by a published version and still point at it; a mistake
        # is corrected by a new version. Drafts may go.
        if obj is not None and obj.published:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would not ask which versions are published
        return actions

    def save_model(self, request, obj, form, change):
        # Only publishing sets these: an edit, or a revert to a version from before publication
        # (simple-history saves every field of the old row), must not turn a rule set in force
        # back into a draft under the cases judged by it.
        if change:
            obj.published, obj.published_at = RuleSet.objects.values_list("published", "published_at").get(pk=obj.pk)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("new version"))
    def new_version_link(self, obj):
        url = reverse("admin:policy_ruleset_new_version", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Copy as a new version…"))

    @admin.display(description=_("preview and publish"))
    def draft_links(self, obj):
        preview = reverse("admin:policy_ruleset_preview", args=[obj.pk])
        if obj.published:
            return format_html('<a href="{}">{}</a>', preview, _("Preview a quote…"))
        publish = reverse("admin:policy_ruleset_publish", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>', preview, _("Preview a quote…"), publish, _("Publish…")
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/new-version/",
                self.admin_site.admin_view(self.new_version_view),
                name="policy_ruleset_new_version",
            ),
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="policy_ruleset_preview"),
            path("<int:pk>/publish/", self.admin_site.admin_view(self.publish_view), name="policy_ruleset_publish"),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        """A quote under this version (a draft, usually) beside the same quote under the rules in
        force today: what the new version would change for a case, before anyone is judged by it."""
        ruleset = get_object_or_404(RuleSet, pk=pk)
        if not self.has_view_permission(request, ruleset):
            return redirect("admin:policy_ruleset_changelist")
        draft = snapshot.build_one(ruleset.pk)
        choices = [(t.code, localized(t)) for t in draft.types]
        start = max(ruleset.effective_from, timezone.localdate())
        form = PreviewForm(request.GET or None, type_choices=choices, initial={"on_date": start})
        answers = None
        if request.GET and form.is_valid():
            question = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
            question["jurisdiction"] = draft.jurisdiction
            answers = [(ruleset.name, _answer(question, under=draft))]
            answers.append((_("The rules in force on that date"), _answer(question)))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview a quote under “%(name)s”") % {"name": ruleset.name},
            "form": form,
            "ruleset": ruleset,
            "answers": answers,
            "opts": self.model._meta,
        }
        return render(request, "admin/policy/ruleset/preview.html", context)

    def publish_view(self, request, pk):
        """Publishing asks first, and says what it means; the preview is one click away."""
        ruleset = get_object_or_404(RuleSet, pk=pk)
        if not self.has_change_permission(request, ruleset):
            return redirect("admin:policy_ruleset_changelist")
        problems = []
        if request.method == "POST" and not ruleset.published:
            try:
                services.ruleset_publish(ruleset=ruleset, backdated_ok=request.POST.get("backdated_ok") == "1")
            except ValidationError as error:
                problems = [message for messages_ in error.message_dict.values() for message in messages_]
            else:
                self.log_change(request, ruleset, [{"changed": {"fields": ["published"]}}])
                messages.success(request, _("“%(name)s” is published.") % {"name": ruleset.name})
                return redirect("admin:policy_ruleset_change", ruleset.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish “%(name)s”?") % {"name": ruleset.name},
            "ruleset": ruleset,
            "backdated": ruleset.effective_from < timezone.localdate(),
            "problems": problems,
            "opts": self.model._meta,
        }
        return render(request, "admin/policy/ruleset/publish.html", context)

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
            "ruleset": source,  # the breadcrumbs lead back to it
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
    list_display = (
        "name_zh", "code", "ruleset", "purpose", "registration_type", "claim_kind", "when_agent", "sets_validity",
    )  # fmt: skip
    list_filter = ("ruleset", "purpose", "claim_kind", "when_agent")
    search_fields = ("code", "name_zh", "name_en", "source_ref")
    list_select_related = ("ruleset", "registration_type")
    inlines = [MaterialOptionInline]


@admin.register(RegistrationType)
class RegistrationTypeAdmin(SimpleHistoryAdmin):
    form = RegistrationTypeForm
    list_display = (
        "name_zh", "code", "ruleset", "category", "validity_rule", "reduction_points", "review_required",
        "wizard_situation", "rescue_default",
    )  # fmt: skip
    list_filter = ("ruleset", "category", "validity_rule")
    search_fields = ("code", "name_zh", "name_en", "source_ref")
    list_select_related = ("ruleset",)


@admin.register(DocumentKind)
class DocumentKindAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_zh", "name_en", "accepted_in_portal")
    list_filter = ("accepted_in_portal",)
    search_fields = ("code", "name_zh", "name_en")


@admin.register(BenefitRow)
class BenefitRowAdmin(SimpleHistoryAdmin):
    list_display = ("ruleset", "scheme", "institution_level", "deductible", "base_ratio", "annual_cap")
    list_filter = ("ruleset", "scheme", "institution_level")


def _answer(question: dict, under=None) -> dict:
    """A quote, or the reason there is none (no rules in force on that date, a type not offered)."""
    try:
        quote = selectors.quote(**question, under=under)
    except rules.PolicyError as error:
        return {"error": error.message}
    # The admin reads names; the codes stay beside them, as the API gives them.
    labels = {**dict(ValidityRule.choices), **dict(Catalogue.choices)}
    return {
        "quote": quote,
        "validity_rule": labels.get(quote["validity"]["rule"], quote["validity"]["rule"]),
        "catalogue": labels.get(quote["catalogue"], quote["catalogue"]),
    }
