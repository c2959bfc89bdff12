"""The API pieces both kinds of case share (cases.api): strict input, the scoped read with the
caller's part checked, the answer re-read after a service, the case constants."""

import pytest
from django.http import Http404
from django.utils import translation
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from cases import api as cases_api
from cases.constants import CASE_STATUSES, case_choices, queue_statuses
from claims.constants import ClaimStatus
from registrations import selectors
from registrations.api.serializers import RegistrationDetailOutputSerializer
from registrations.constants import EventAction, RegistrationStatus
from tests.registrations.factories import make_registration

pytestmark = pytest.mark.django_db


class Note(cases_api.StrictInputSerializer):
    privileged_fields = frozenset({"status"})
    text = serializers.CharField()


def test_strict_input_refuses_unknown_and_privileged_fields_naming_each():
    data = Note(data={"text": "hi", "status": "approved", "colour": "red"})
    with translation.override("en"):
        assert not data.is_valid()
    assert data.errors == {
        "colour": ["Unknown field."],
        "status": ["This field is set by the office and cannot be written here."],
    }
    assert Note(data={"text": "hi"}).is_valid()


def test_unknown_fields_of_something_that_is_not_an_object_are_left_to_the_field_checks():
    assert cases_api.unknown_field_errors(["a list"], {"text"}, frozenset()) == {}


class OnlyTheEnrollee(BasePermission):
    def has_object_permission(self, request, view, obj):
        return request.user.pk == obj.enrollee_id


class Probe(APIView):
    permission_classes = [OnlyTheEnrollee]


def request_by(user):
    request = Request(APIRequestFactory().get("/"))
    request.user = user
    return request


READER = cases_api.CaseReader(selectors.registration_get, RegistrationDetailOutputSerializer)


def test_the_reader_returns_the_case_once_the_callers_part_is_allowed(enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    assert READER.case(Probe(), request_by(enrollee), str(registration.uuid)) == registration
    with pytest.raises(PermissionDenied):
        READER.case(Probe(), request_by(window_staff), str(registration.uuid))  # seen, but not theirs


def test_the_reader_answers_404_for_another_persons_case_and_malformed_ids(enrollee, other_enrollee):
    registration = make_registration(enrollee)
    with pytest.raises(Http404):
        READER.case(Probe(), request_by(other_enrollee), str(registration.uuid))
    with pytest.raises(NotFound):  # the API's own 404, before any query
        READER.case(Probe(), request_by(enrollee), "not-a-uuid")


def test_the_answer_is_read_again_after_the_service_ran(enrollee):
    registration = make_registration(enrollee)
    registration.status = "approved"  # only in memory: the answer reads the database
    answer = READER.answer(request_by(enrollee), registration.uuid, status_code=201)
    assert answer.status_code == 201
    assert answer.data["status"] == "draft"
    assert answer.data["number"] == registration.number


def test_the_ids_description_names_the_kind_of_case():
    parameter = cases_api.case_id("claim")
    assert parameter.name == "id"
    assert "claim's id" in parameter.description
    assert cases_api.conflict("claim")[409].description == "the claim's state forbids it"


# --- The constants every case shares ----------------------------------------------------------


def test_both_kinds_share_the_statuses_of_a_cases_life():
    for code in ("draft", "submitted", "returned", "approved", "rejected"):
        assert code in RegistrationStatus.values
        assert code in ClaimStatus.values
        assert RegistrationStatus(code).label == ClaimStatus(code).label


def test_each_kind_keeps_its_own_order_and_members():
    assert RegistrationStatus.values == [
        "draft", "submitted", "returned", "approved", "rejected", "cancelled", "expired", "superseded",
    ]  # fmt: skip
    assert ClaimStatus.values == [
        "draft",
        "submitted",
        "returned",
        "awaiting_confirmation",
        "approved",
        "rejected",
        "paid",
    ]
    assert (
        EventAction.COMMITMENT_ACCEPTED.label == "Commitment letter accepted" or EventAction.COMMITMENT_ACCEPTED.label
    )


def test_an_own_member_overrides_a_shared_one():
    Choices = case_choices("Choices", "DRAFT APPROVED", CASE_STATUSES, APPROVED=("approved", "In force"))
    assert Choices.choices == [("draft", CASE_STATUSES["DRAFT"][1]), ("approved", "In force")]


def test_a_queue_offers_every_status_but_the_draft():
    assert [value for value, _label in queue_statuses(ClaimStatus)] == [
        "submitted", "returned", "awaiting_confirmation", "approved", "rejected", "paid",
    ]  # fmt: skip
