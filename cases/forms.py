"""Form pieces every case page uses: a service's errors put on the fields they name, a document
upload (a file, or a photo taken on a phone) and a money field."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from common.translations import localized

# What a phone's file picker and camera may hand over; the server decides by content anyway.
ACCEPTED_UPLOAD_TYPES = "application/pdf,image/jpeg,image/png"


def add_service_error(form: forms.Form, error, *, ignore=()) -> None:
    """Put a ServiceError's (or a model ValidationError's) messages on the fields they name.

    A service names fields by the case's own names; a form whose fields are called otherwise
    says so in `service_fields` ({service's name: form field}). A message for a field the form
    does not have (or has an error on already) goes to the top of the form, and the error's own
    sentence goes there too unless a field already says it.
    """
    errors = getattr(error, "errors", None)
    if errors is None and hasattr(error, "message_dict"):
        errors = error.message_dict
    renames = getattr(form, "service_fields", {})
    shown = set()
    for key, messages in (errors or {}).items():
        if key in ignore:
            continue
        field = renames.get(key, key)
        if field not in form.fields or field in form.errors:
            field = None
        for message in messages if isinstance(messages, list | tuple) else [messages]:
            if isinstance(message, str) and message and message not in shown:
                form.add_error(field, message)
                shown.add(message)
    sentence = getattr(error, "message", None) or (error.messages[0] if hasattr(error, "messages") else str(error))
    if str(sentence) not in shown:
        form.add_error(None, sentence)


class DocumentUploadForm(forms.Form):
    """One document: a file already on the device (a PDF, a scan, a picture from the gallery) or,
    on a phone, a photo taken there and then. Two inputs, because `capture` makes a phone open
    its camera directly and offer nothing else."""

    # The services name the document's kind or the upload; the person sees it at the file.
    service_fields = {"kind": "file"}

    kind = forms.CharField(widget=forms.HiddenInput, max_length=40)
    file = forms.FileField(label=_("File"), widget=forms.FileInput(attrs={"accept": ACCEPTED_UPLOAD_TYPES}))
    photo = forms.FileField(
        label=_("Or take a photo of it now"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
    )

    def __init__(self, *args, kind: str = "", kind_name: str = "", **kwargs):
        kwargs.setdefault("auto_id", f"id_{kind}_%s" if kind else "id_%s")
        super().__init__(*args, **kwargs)
        if kind:
            self.initial["kind"] = kind
        if kind_name:
            self.fields["file"].label = _("Upload: %(name)s") % {"name": kind_name}
        if self.is_bound and self.files.get(self.add_prefix("photo")):
            self.fields["file"].required = False

    def clean(self):
        data = super().clean()
        if data.get("photo"):
            data["file"] = data["photo"]
        return data


def upload_forms(*, editable: bool, failed_upload=None, skip=()):
    """For a checklist: a blank upload form per document kind, or the one that just failed; none
    for a closed case or for the kinds in `skip` (a letter accepted on the page)."""

    def make(rule):
        if not editable or rule.code in skip:
            return None
        if failed_upload is not None and failed_upload.initial.get("kind") == rule.code:
            return failed_upload
        return DocumentUploadForm(kind=rule.code, kind_name=localized(rule))

    return make


def money_field(label, help_text="", **kwargs) -> forms.DecimalField:
    """Yuan with two decimals, typed on a phone's number pad."""
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
        **kwargs,
    )
