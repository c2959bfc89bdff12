"""API pieces both kinds of case use: strict input, and the output of people, history, checklists
and documents (API.md: extend, never rename — the class names are the schema's component names)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from policy import selectors as policy
from policy.api.serializers import AlternativeSerializer


def unknown_field_errors(data, allowed, privileged) -> dict:
    """{field: [why]} for each key of `data` that is not in `allowed`: one set by the office, or unknown."""
    if not isinstance(data, dict):
        return {}
    return {
        field: [
            _("This field is set by the office and cannot be written here.")
            if field in privileged
            else _("Unknown field.")
        ]
        for field in sorted(set(data) - set(allowed))
    }


class StrictInputSerializer(serializers.Serializer):
    """Refuses fields it does not declare, so a typo or a privileged field is a 400, not a no-op."""

    # What only services and staff set, so that the refusal says so.
    privileged_fields: frozenset = frozenset()

    def validate(self, attrs):
        errors = unknown_field_errors(getattr(self, "initial_data", {}) or {}, self.fields, self.privileged_fields)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


def person_name(user) -> str:
    return user.get_full_name() or user.username


class PersonOutputSerializer(serializers.Serializer):
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return person_name(user)


class HistoryOutputSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField(help_text="null when the system acted")
    reason = serializers.CharField()
    details = serializers.JSONField()

    def get_actor(self, event) -> str | None:
        return person_name(event.actor) if event.actor else None


class ChecklistItemOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    satisfied = serializers.BooleanField()
    alternatives = AlternativeSerializer(many=True, help_text="any one alternative satisfies the item")


class MissingItemOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()


# No docstrings on the mixins: the schema would show them as the description of every case.


class ChecklistFieldsMixin(serializers.Serializer):
    # `checklist` and `missing` of a case, from its selectors' `checklist(case)` and `missing(case)`.

    checklist = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    case_selectors = None  # the case app's selectors module

    @extend_schema_field(ChecklistItemOutputSerializer(many=True))
    def get_checklist(self, case):
        missing = {group.code for group in self.case_selectors.missing(case)}
        groups = self.case_selectors.checklist(case)
        return [
            {**item, "satisfied": group.code not in missing}
            for group, item in zip(groups, policy.material_json(groups), strict=True)
        ]

    @extend_schema_field(MissingItemOutputSerializer(many=True))
    def get_missing(self, case):
        return [
            {"code": group.code, "name_zh": group.name_zh, "name_en": group.name_en}
            for group in self.case_selectors.missing(case)
        ]


class DocumentFieldsMixin(serializers.Serializer):
    # A document of a case; `url_name` is the API route that serves it, `case_field` its case.

    id = serializers.UUIDField(source="uuid")
    kind = serializers.CharField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField(source="created_at")
    download_url = serializers.SerializerMethodField()
    url_name = case_field = ""

    def get_download_url(self, document) -> str:
        case = getattr(document, self.case_field)
        path = reverse(self.url_name, kwargs={"id": case.uuid, "document_id": document.uuid})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
