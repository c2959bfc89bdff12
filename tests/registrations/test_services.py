"""The registration state machine through its services, for every type path."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from common.errors import ConflictError, ServiceError
from registrations import selectors, services
from registrations.constants import DocumentStatus, RegistrationStatus
from registrations.models import Registration, RegistrationEvent
from tests.conftest import make_enrollee
from tests.files import upload
from tests.registrations.factories import LONG_TERM, OTHER_TEMPORARY, REFERRAL, make_approved, make_registration

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 10)


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel("2026-05-10 09:00:00+08:00", tick=False):
        yield


def test_referral_goes_to_review_and_is_approved_for_twelve_months(enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.reduction_points == 10
    approved = services.registration_decide(actor=window_staff, registration=registration, decision="approve")
    assert approved.status == RegistrationStatus.APPROVED
    assert (approved.valid_from, approved.valid_until) == (TODAY, datetime.date(2027, 5, 9))
    assert {d.status for d in approved.documents.all()} == {DocumentStatus.ACCEPTED}
    actions = list(approved.events.values_list("action", "actor"))
    assert actions[-2:] == [("submitted", enrollee.pk), ("approved", window_staff.pk)]


def test_other_temporary_is_approved_at_once_with_its_validity(enrollee):
    registration = make_registration(enrollee, fields=OTHER_TEMPORARY, submit=True)
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.valid_until == datetime.date(2027, 5, 9)
    assert registration.reduction_points == 20
    approval = registration.events.get(action="approved")
    assert approval.actor is None
    assert approval.reason


def test_long_term_ends_with_the_proof(enrollee, window_staff):
    registration = make_approved(enrollee, window_staff, fields=LONG_TERM, proof_valid_until=datetime.date(2028, 1, 31))
    assert (registration.valid_from, registration.valid_until) == (TODAY, datetime.date(2028, 1, 31))
    assert registration.reduction_points == 0


def test_long_term_with_commitment_letter_instead_of_proof(enrollee, window_staff):
    registration = make_registration(enrollee, fields=LONG_TERM)
    services.document_add(actor=enrollee, registration=registration, kind="id_document", uploaded_file=upload())
    with pytest.raises(ServiceError) as error:
        services.registration_submit(actor=enrollee, registration=registration)
    assert "长期居住认定材料" in error.value.message
    services.commitment_accept(actor=enrollee, registration=registration)
    registration = services.registration_submit(actor=enrollee, registration=registration)
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.events.filter(action="commitment_accepted").exists()


@pytest.mark.parametrize("code", ["retired_resettled", "posted_worker"])
def test_other_long_term_types_file_and_submit(enrollee, code):
    registration = make_registration(enrollee, fields={**LONG_TERM, "registration_type": code})
    services.document_add(
        actor=enrollee, registration=registration, kind="social_security_card", uploaded_file=upload()
    )
    services.commitment_accept(actor=enrollee, registration=registration)
    assert services.registration_submit(actor=enrollee, registration=registration).status == "submitted"


def test_emergency_needs_no_filing(enrollee):
    with pytest.raises(ServiceError) as error:
        make_registration(enrollee, fields={**OTHER_TEMPORARY, "registration_type": "emergency"})
    assert "registration_type" in error.value.errors
    assert not Registration.objects.exists()


def test_sheyang_enrollee_cannot_file_other_temporary(db):
    sheyang = make_enrollee("320924197508080037", name="赵六", phone="13800000009", office_code="sheyang")
    with pytest.raises(ServiceError) as error:
        make_registration(sheyang, fields=OTHER_TEMPORARY)
    assert "other_temporary" in error.value.message


def test_sheyang_referral_stays_open_ended(window_staff, other_office_staff):
    sheyang = make_enrollee("320924197508080037", name="赵六", phone="13800000009", office_code="sheyang")
    registration = make_registration(
        sheyang,
        fields={**REFERRAL, "care_province": "江苏省", "care_scope": "in_province", "referral_hospital_level": None},
    )
    for kind in ("id_document", "social_security_card"):
        services.document_add(actor=sheyang, registration=registration, kind=kind, uploaded_file=upload())
    registration = services.registration_submit(actor=sheyang, registration=registration)
    registration = services.registration_decide(actor=other_office_staff, registration=registration, decision="approve")
    assert registration.valid_until is None
    assert registration.reduction_points == 0


def test_care_scope_must_match_the_province(enrollee):
    with pytest.raises(ServiceError) as error:
        make_registration(enrollee, fields={**REFERRAL, "care_scope": "in_province"})
    assert "care_scope" in error.value.errors


def test_referral_from_a_level_one_hospital_is_refused(enrollee):
    with pytest.raises(ServiceError) as error:
        make_registration(enrollee, fields={**REFERRAL, "referral_hospital_level": 1})
    assert "referral_hospital" in error.value.errors


def test_special_disease_institution_is_checked(enrollee):
    with pytest.raises(ServiceError) as error:
        make_registration(
            enrollee,
            special_disease="dialysis",
            designated_institution="某医院",
            designated_institution_dialysis=False,
        )
    assert "designated_institution_dialysis" in error.value.errors
    ok = make_registration(
        enrollee,
        special_disease="malignant_tumour",
        designated_institution="复旦大学附属肿瘤医院",
        designated_institution_level=3,
    )
    assert ok.special_disease == "malignant_tumour"


def test_submit_lists_exactly_what_is_missing(enrollee):
    registration = make_registration(enrollee)
    services.document_add(actor=enrollee, registration=registration, kind="id_document", uploaded_file=upload())
    with pytest.raises(ServiceError) as error:
        services.registration_submit(actor=enrollee, registration=registration)
    assert error.value.errors["documents"] == ["转诊转院证明"]  # the option says no more than the name
    assert Registration.objects.get().status == RegistrationStatus.DRAFT


def test_agent_filing_needs_the_agents_id(enrollee, other_enrollee):
    registration = make_registration(
        enrollee,
        actor=other_enrollee,
        agent={"name": "李四", "national_id": "320623195803170041", "relationship": "子女"},
    )
    assert registration.filed_by == other_enrollee
    assert registration.agent_id_masked == "3206**********0041"
    for kind in ("id_document", "referral_certificate"):
        services.document_add(actor=other_enrollee, registration=registration, kind=kind, uploaded_file=upload())
    with pytest.raises(ServiceError) as error:
        services.registration_submit(actor=other_enrollee, registration=registration)
    assert "代办人身份证" in error.value.message
    services.document_add(actor=other_enrollee, registration=registration, kind="agent_id", uploaded_file=upload())
    assert services.registration_submit(actor=other_enrollee, registration=registration).status == "submitted"
    assert registration in selectors.registration_list_for_user(other_enrollee)
    assert registration in selectors.registration_list_for_user(enrollee)


def test_agent_with_invalid_id_is_refused(enrollee):
    with pytest.raises(ServiceError) as error:
        make_registration(enrollee, agent={"name": "李四", "national_id": "320623195803170042"})
    assert "agent" in error.value.errors


def test_return_fix_and_resubmit_keeps_accepted_documents(enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    id_doc, certificate = sorted(registration.documents.all(), key=lambda d: d.kind)
    registration = services.registration_decide(
        actor=window_staff,
        registration=registration,
        decision="return",
        reasons=["转诊转院证明缺少医院盖章"],
        document_reviews={str(id_doc.uuid): (True, ""), str(certificate.uuid): (False, "缺少医院盖章")},
    )
    assert registration.status == RegistrationStatus.RETURNED
    assert registration.return_reasons == ["转诊转院证明缺少医院盖章", "转诊转院证明：缺少医院盖章"]
    with pytest.raises(ServiceError):
        services.registration_submit(actor=enrollee, registration=registration)
    services.document_add(
        actor=enrollee, registration=registration, kind="referral_certificate", uploaded_file=upload()
    )
    registration = services.registration_submit(actor=enrollee, registration=registration)
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.return_reasons == []
    id_doc.refresh_from_db()
    assert id_doc.status == DocumentStatus.ACCEPTED
    with pytest.raises(ConflictError):
        services.document_remove(actor=enrollee, document=id_doc)


def test_reject_needs_reasons(enrollee, window_staff):
    registration = make_registration(enrollee, submit=True)
    with pytest.raises(ServiceError):
        services.registration_decide(actor=window_staff, registration=registration, decision="reject")
    rejected = services.registration_decide(
        actor=window_staff, registration=registration, decision="reject", reasons=["身份证件与参保人不一致"]
    )
    assert rejected.status == RegistrationStatus.REJECTED
    assert "身份证件与参保人不一致" in rejected.events.get(action="rejected").reason


def test_second_decision_is_a_conflict_and_writes_nothing(enrollee, window_staff, admin_user):
    registration = make_registration(enrollee, submit=True)
    services.registration_decide(actor=window_staff, registration=registration, decision="approve")
    events = RegistrationEvent.objects.count()
    with pytest.raises(ConflictError) as error:
        services.registration_decide(actor=admin_user, registration=registration, decision="reject", reasons=["x"])
    assert "already decided" in error.value.message or "已" in error.value.message
    assert RegistrationEvent.objects.count() == events
    assert Registration.objects.get().status == RegistrationStatus.APPROVED


def test_overlapping_registration_of_the_same_category_is_refused_naming_it(enrollee, window_staff):
    first = make_approved(enrollee, window_staff)
    second = make_registration(enrollee, fields=OTHER_TEMPORARY, start_date=TODAY + datetime.timedelta(days=30))
    services.document_add(actor=enrollee, registration=second, kind="id_document", uploaded_file=upload())
    with pytest.raises(ConflictError) as error:
        services.registration_submit(actor=enrollee, registration=second)
    assert first.number in error.value.message
    # A long-term one is another category: no conflict.
    long_term = make_registration(enrollee, fields=LONG_TERM, proof_valid_until=datetime.date(2028, 1, 1))
    services.document_add(actor=enrollee, registration=long_term, kind="id_document", uploaded_file=upload())
    services.commitment_accept(actor=enrollee, registration=long_term)
    assert services.registration_submit(actor=enrollee, registration=long_term).status == "submitted"


def test_cancel_an_approved_registration_from_a_future_date(enrollee, window_staff):
    registration = make_approved(enrollee, window_staff)
    cancelled = services.registration_cancel(
        actor=enrollee, registration=registration, effective_date=datetime.date(2026, 6, 1), reason="回本地居住"
    )
    assert cancelled.status == RegistrationStatus.CANCELLED
    assert cancelled.valid_until == datetime.date(2026, 5, 31)
    event = cancelled.events.get(action="cancelled")
    assert event.reason == "回本地居住"
    assert event.details["effective_date"] == "2026-06-01"


def test_cancel_in_the_past_or_twice_is_refused(enrollee):
    registration = make_registration(enrollee, submit=True)
    with pytest.raises(ServiceError):
        services.registration_cancel(
            actor=enrollee, registration=registration, effective_date=datetime.date(2026, 5, 1)
        )
    services.registration_cancel(actor=enrollee, registration=registration)
    with pytest.raises(ConflictError):
        services.registration_cancel(actor=enrollee, registration=registration)


def test_change_supersedes_the_old_registration_when_approved(enrollee, window_staff):
    old = make_approved(enrollee, window_staff)
    successor = services.registration_change(
        actor=enrollee,
        registration=old,
        care_province="浙江省",
        care_city="杭州市",
        start_date=TODAY + datetime.timedelta(days=20),
    )
    assert successor.status == RegistrationStatus.DRAFT
    assert successor.supersedes == old
    with pytest.raises(ConflictError):
        services.registration_change(actor=enrollee, registration=old)
    for kind in ("id_document", "referral_certificate"):
        services.document_add(actor=enrollee, registration=successor, kind=kind, uploaded_file=upload())
    successor = services.registration_submit(actor=enrollee, registration=successor)
    services.registration_decide(actor=window_staff, registration=successor, decision="approve")
    old.refresh_from_db()
    assert old.status == RegistrationStatus.SUPERSEDED
    assert old.valid_until == datetime.date(2026, 5, 29)
    assert old.events.filter(action="superseded").exists()
    assert old.events.filter(action="change_filed").exists()


def test_expiry_marks_ended_registrations_once(enrollee, window_staff):
    registration = make_approved(enrollee, window_staff)
    assert services.registrations_expire(today=datetime.date(2027, 5, 9)) == 0
    assert services.registrations_expire(today=datetime.date(2027, 5, 10)) == 1
    assert services.registrations_expire(today=datetime.date(2027, 5, 10)) == 0
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.EXPIRED
    assert registration.events.filter(action="expired", actor=None).count() == 1


def test_editing_after_submission_is_refused(enrollee):
    registration = make_registration(enrollee, submit=True)
    with pytest.raises(ConflictError):
        services.registration_update(actor=enrollee, registration=registration, care_city="杭州市")
    with pytest.raises(ConflictError):
        services.document_add(actor=enrollee, registration=registration, kind="id_document", uploaded_file=upload())


def test_document_of_a_kind_the_checklist_does_not_ask_for_is_refused(enrollee):
    registration = make_registration(enrollee)
    with pytest.raises(ServiceError) as error:
        services.document_add(
            actor=enrollee, registration=registration, kind="residence_permit", uploaded_file=upload()
        )
    assert "kind" in error.value.errors


def test_history_cannot_be_edited_or_deleted(enrollee):
    registration = make_registration(enrollee)
    event = registration.events.get()
    event.reason = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()


def test_status_check_needs_number_and_last_four(enrollee):
    registration = make_registration(enrollee, submit=True)
    assert selectors.registration_for_status_check(registration.number, "123x") == registration
    assert selectors.registration_for_status_check(registration.number, "1234") is None
    assert selectors.registration_for_status_check("BA00000000000000", "123X") is None
    draft = make_registration(enrollee, fields=LONG_TERM)
    assert selectors.registration_for_status_check(draft.number, "123X") is None


def test_staff_see_only_their_offices(enrollee, window_staff, other_office_staff, admin_user):
    registration = make_registration(enrollee, submit=True)
    assert list(selectors.review_queue(window_staff)) == [registration]
    assert list(selectors.review_queue(other_office_staff)) == []
    assert registration in selectors.registrations_visible_to(admin_user)
    assert timezone.localdate() == TODAY


def test_daily_expiry_task_runs_the_service(enrollee, window_staff):
    from django.conf import settings

    from registrations.tasks import expire_registrations

    registration = make_approved(enrollee, window_staff)
    with time_machine.travel("2027-05-10 00:10:00+08:00", tick=False):
        assert expire_registrations() == 1
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.EXPIRED
    assert settings.CELERY_BEAT_SCHEDULE["expire-registrations"]["task"] == expire_registrations.name


def test_special_disease_needs_the_institution_described(enrollee):
    with pytest.raises(ServiceError) as error:
        make_registration(enrollee, special_disease="transplant_antirejection", designated_institution="某医院")
    assert "designated_institution" in error.value.errors


def test_a_failed_document_save_leaves_no_file(enrollee, settings, monkeypatch):
    registration = make_registration(enrollee)

    def broken_event(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_event", broken_event)
    with pytest.raises(RuntimeError):
        services.document_add(actor=enrollee, registration=registration, kind="id_document", uploaded_file=upload())
    stored = [p for p in (settings.MEDIA_ROOT / "private").rglob("*") if p.is_file()]
    assert stored == []


def test_change_starts_today_by_default(enrollee, window_staff):
    old = make_approved(enrollee, window_staff, start_date=TODAY - datetime.timedelta(days=200))
    with time_machine.travel("2026-05-20 09:00:00+08:00", tick=False):
        successor = services.registration_change(actor=enrollee, registration=old, care_city="杭州市")
    assert successor.start_date == datetime.date(2026, 5, 20)


def test_a_new_change_after_a_cancelled_change(enrollee, window_staff):
    old = make_approved(enrollee, window_staff)
    first = services.registration_change(actor=enrollee, registration=old, care_city="杭州市", care_province="浙江省")
    services.registration_cancel(actor=enrollee, registration=first)
    second = services.registration_change(actor=enrollee, registration=old, care_city="宁波市", care_province="浙江省")
    assert second.supersedes == old
    assert selectors.successor_of(old) == second


def test_registration_numbers_are_retried_on_collision(enrollee, monkeypatch):
    from registrations.models import Registration

    first = make_registration(enrollee)
    number_field = Registration._meta.get_field("number")
    monkeypatch.setattr(number_field, "_get_default", lambda: first.number)  # the next draw collides
    monkeypatch.setattr(services, "new_registration_number", lambda: "BA20260510999999")
    second = make_registration(enrollee, fields=LONG_TERM)
    assert second.number == "BA20260510999999"


def test_malformed_ids_are_not_found(enrollee):
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.registration_get(enrollee, "not-a-uuid")


def test_a_draft_cannot_be_switched_to_a_type_that_needs_no_filing(enrollee):
    """Review finding: PATCHing a draft to `emergency` used to approve it, open-ended, unreviewed."""
    registration = make_registration(enrollee, fields=OTHER_TEMPORARY)
    with pytest.raises(ServiceError) as error:
        services.registration_update(actor=enrollee, registration=registration, registration_type="emergency")
    assert "registration_type" in error.value.errors
    assert Registration.objects.get().registration_type == "other_temporary"


def test_channel_changes_are_checked_against_the_rules(enrollee):
    registration = make_registration(enrollee, fields=OTHER_TEMPORARY)
    with pytest.raises(ServiceError) as error:
        services.registration_update(actor=enrollee, registration=registration, channel="service_station")
    assert "channel" in error.value.errors


def test_policy_field_names_become_the_registrations_own(enrollee):
    with pytest.raises(ServiceError) as error:
        make_registration(
            enrollee,
            special_disease="transplant_antirejection",
            designated_institution="某医院",
            designated_institution_level=2,
        )
    assert "designated_institution_level" in error.value.errors


def test_a_cancelled_registration_still_blocks_the_days_it_stays_valid(enrollee, window_staff):
    first = make_approved(enrollee, window_staff)
    services.registration_cancel(actor=enrollee, registration=first, effective_date=TODAY + datetime.timedelta(days=30))
    second = make_registration(enrollee, fields=OTHER_TEMPORARY)
    services.document_add(actor=enrollee, registration=second, kind="id_document", uploaded_file=upload())
    with pytest.raises(ConflictError):
        services.registration_submit(actor=enrollee, registration=second)
    later = make_registration(enrollee, fields=OTHER_TEMPORARY, start_date=TODAY + datetime.timedelta(days=30))
    services.document_add(actor=enrollee, registration=later, kind="id_document", uploaded_file=upload())
    assert services.registration_submit(actor=enrollee, registration=later).status == "approved"


def test_a_cancelled_original_is_not_superseded_by_its_change(enrollee, window_staff):
    old = make_approved(enrollee, window_staff)
    change = services.registration_change(actor=enrollee, registration=old, care_city="杭州市", care_province="浙江省")
    for kind in ("id_document", "referral_certificate"):
        services.document_add(actor=enrollee, registration=change, kind=kind, uploaded_file=upload())
    change = services.registration_submit(actor=enrollee, registration=change)
    services.registration_cancel(actor=enrollee, registration=old, effective_date=TODAY)
    services.registration_decide(actor=window_staff, registration=change, decision="approve")
    old.refresh_from_db()
    assert old.status == RegistrationStatus.CANCELLED
    assert old.cancel_effective_date == TODAY


def _returned_with_accepted_identity(enrollee, staff):
    registration = make_registration(enrollee, submit=True)
    documents = {d.kind: d for d in registration.documents.all()}
    return services.registration_decide(
        actor=staff,
        registration=registration,
        decision="return",
        document_reviews={
            str(documents["id_document"].uuid): (True, ""),
            str(documents["referral_certificate"].uuid): (False, "缺少医院盖章"),
        },
    )


def test_a_document_the_office_accepted_stays_on_file(enrollee, window_staff):
    registration = _returned_with_accepted_identity(enrollee, window_staff)
    accepted = registration.documents.get(kind="id_document")
    with pytest.raises(ConflictError):
        services.document_remove(actor=enrollee, document=accepted)
    assert registration.documents.filter(pk=accepted.pk).exists()
    assert not registration.events.filter(action="document_removed").exists()
    # The one to replace may go.
    services.document_remove(actor=enrollee, document=registration.documents.get(kind="referral_certificate"))
    assert list(registration.documents.values_list("kind", flat=True)) == ["id_document"]
