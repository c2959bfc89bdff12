"""A service's refusal goes onto the fields it names (cases.forms.add_service_error), and the
upload form takes a file or a photo taken on the phone."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from cases.forms import DocumentUploadForm, add_service_error, money_field, upload_forms
from common.errors import ServiceError
from policy import rules


class PlaceForm(forms.Form):
    service_fields = {"care_scope": "care_province"}

    care_province = forms.CharField(required=False)
    start_date = forms.CharField(required=False)


def bound() -> PlaceForm:
    form = PlaceForm({})
    form.is_valid()
    return form


def test_each_message_lands_on_the_field_it_names():
    form = bound()
    add_service_error(form, ServiceError("Please correct the fields marked below.", {"start_date": ["Too early."]}))
    assert form.errors["start_date"] == ["Too early."]
    assert form.non_field_errors() == ["Please correct the fields marked below."]


def test_a_field_the_form_calls_otherwise_is_renamed():
    form = bound()
    add_service_error(form, ServiceError("Wrong scope.", {"care_scope": ["上海市 is cross-province care."]}))
    assert form.errors["care_province"] == ["上海市 is cross-province care."]


def test_a_field_the_form_does_not_have_goes_to_the_top():
    form = bound()
    add_service_error(form, ServiceError("Refused.", {"agent": ["The agent's number is wrong."]}))
    assert form.non_field_errors() == ["The agent's number is wrong.", "Refused."]


def test_the_sentence_is_not_repeated_when_a_field_says_it():
    form = bound()
    add_service_error(form, ServiceError("Too early.", {"start_date": ["Too early."]}))
    assert form.errors["start_date"] == ["Too early."]
    assert form.non_field_errors() == []


def test_a_field_with_an_error_already_keeps_it_and_the_new_one_goes_to_the_top():
    form = PlaceForm({"start_date": "x"})
    form.is_valid()
    form.add_error("start_date", "Malformed.")
    add_service_error(form, ServiceError("Refused.", {"start_date": ["Too early."]}))
    assert form.errors["start_date"] == ["Malformed."]
    assert "Too early." in form.non_field_errors()


def test_ignored_keys_are_left_out():
    form = bound()
    add_service_error(form, ServiceError("Replace a document.", {"documents": ["a-uuid"]}), ignore=("documents",))
    assert "a-uuid" not in str(form.errors)
    assert form.non_field_errors() == ["Replace a document."]


def test_a_model_validation_error_is_put_on_its_fields():
    form = bound()
    add_service_error(form, ValidationError({"start_date": ["Not a date."]}))
    assert form.errors["start_date"] == ["Not a date."]


def test_an_error_that_names_no_field_says_its_sentence():
    form = bound()
    add_service_error(form, ServiceError("The office is closed."))
    assert form.non_field_errors() == ["The office is closed."]


# --- The upload form ---------------------------------------------------------------------------


def pdf(name="scan.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 x", content_type="application/pdf")


def test_a_photo_taken_now_stands_for_the_file():
    form = DocumentUploadForm({"kind": "card"}, {"photo": pdf("photo.jpg")}, kind="card")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"].name == "photo.jpg"


def test_without_a_file_or_a_photo_the_file_is_required():
    form = DocumentUploadForm({"kind": "card"}, {}, kind="card")
    assert not form.is_valid()
    assert "file" in form.errors


def test_each_kinds_form_has_its_own_ids_and_label():
    with translation.override("en"):
        form = DocumentUploadForm(kind="card", kind_name="Social security card")
        assert form.fields["file"].label == "Upload: Social security card"
    assert form["file"].id_for_label == "id_card_file"
    assert form.initial["kind"] == "card"


def test_a_kind_refused_by_the_service_is_shown_at_the_file():
    form = DocumentUploadForm({"kind": "card"}, {"file": pdf()}, kind="card")
    form.is_valid()
    add_service_error(form, ServiceError("Not asked for.", {"kind": ["Not asked for."]}))
    assert form.errors["file"] == ["Not asked for."]


def test_upload_forms_skip_closed_cases_and_letters_accepted_on_the_page():
    card = rules.DocumentKindRule("card", "社保卡", "Card")
    letter = rules.DocumentKindRule("letter", "承诺书", "Letter", accepted_in_portal=True)
    assert upload_forms(editable=False)(card) is None
    make = upload_forms(editable=True, skip={"letter"})
    assert make(letter) is None
    assert isinstance(make(card), DocumentUploadForm)


def test_the_failed_form_comes_back_for_its_own_kind_only():
    failed = DocumentUploadForm({"kind": "card"}, {}, kind="card")
    make = upload_forms(editable=True, failed_upload=failed)
    assert make(rules.DocumentKindRule("card", "社保卡", "Card")) is failed
    assert make(rules.DocumentKindRule("other", "其他", "Other")) is not failed


@pytest.mark.parametrize(("value", "valid"), [("12.34", True), ("0", True), ("-1", False), ("1.234", False)])
def test_money_is_yuan_with_two_decimals_at_most(value, valid):
    class Paid(forms.Form):
        amount = money_field("Amount")

    assert Paid({"amount": value}).is_valid() is valid
