"""What both kinds of case write the same way (cases.records): history rows announced to their
listeners, documents stored with their files or not at all, the completeness check."""

import pytest
from django.dispatch import receiver
from django.utils import translation

from cases import records
from claims.events import claim_changed
from claims.models import ClaimDocument, ClaimEvent
from common.errors import ServiceError
from common.uploads import validate_upload
from registrations.events import registration_changed
from registrations.models import RegistrationDocument, RegistrationEvent
from tests.claims.test_submit import make_claim
from tests.files import upload
from tests.registrations.factories import make_registration

pytestmark = pytest.mark.django_db


def test_a_history_row_records_who_what_why_and_the_status_it_left_the_case_in(enrollee):
    registration = make_registration(enrollee)
    entry = records.history(
        registration,
        RegistrationEvent,
        registration_changed,
        actor=enrollee,
        action="updated",
        from_status="draft",
        reason="因为",
        fields=["care_city"],
    )
    entry.refresh_from_db()
    assert (entry.registration, entry.actor, entry.action, entry.reason) == (registration, enrollee, "updated", "因为")
    assert (entry.from_status, entry.to_status, entry.details) == ("draft", "draft", {"fields": ["care_city"]})


def test_each_row_is_announced_with_the_case_under_its_own_name(enrollee):
    heard = []

    @receiver(claim_changed, dispatch_uid="test-records-heard")
    def hear(sender, *, claim, entry, **kwargs):
        heard.append((sender, claim.pk, entry.action))

    try:
        claim = make_claim(enrollee, documents=())
        heard.clear()
        records.history(claim, ClaimEvent, claim_changed, actor=None, action="updated")
    finally:
        claim_changed.disconnect(dispatch_uid="test-records-heard")
    assert heard == [(type(claim), claim.pk, "updated")]


def test_a_document_is_stored_with_its_file_and_recorded(enrollee, settings):
    registration = make_registration(enrollee)
    recorded = []
    document = records.document_store(
        registration,
        RegistrationDocument,
        actor=enrollee,
        kind="id_document",
        clean=validate_upload(upload("身份证.pdf")),
        allowed={"id_document"},
        record=recorded.append,
    )
    assert recorded == [document]
    assert (document.registration, document.uploaded_by, document.original_name) == (
        registration,
        enrollee,
        "身份证.pdf",
    )
    assert document.file.storage.exists(document.file.name)


def test_a_kind_not_asked_for_is_refused_naming_what_is(enrollee):
    registration = make_registration(enrollee)
    with translation.override("en"), pytest.raises(ServiceError) as error:
        records.document_store(
            registration,
            RegistrationDocument,
            actor=enrollee,
            kind="passport",
            clean=validate_upload(upload()),
            allowed={"id_document", "referral_certificate"},
            record=lambda document: None,
        )
    assert error.value.message == (
        "“passport” is not a document this registration asks for (it asks for: id_document, referral_certificate)."
    )
    assert error.value.errors == {"kind": [error.value.message]}
    assert not RegistrationDocument.objects.exists()


def test_if_recording_fails_the_file_goes_too(enrollee, settings):
    claim = make_claim(enrollee, documents=())

    def broken(document):
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        records.document_store(
            claim,
            ClaimDocument,
            actor=enrollee,
            kind="social_security_card",
            clean=validate_upload(upload()),
            allowed={"social_security_card"},
            record=broken,
        )
    assert [p for p in (settings.MEDIA_ROOT / "private").rglob("*") if p.is_file()] == []


def test_a_discarded_document_loses_its_row_at_once_and_its_file_after_the_commit(
    enrollee, django_capture_on_commit_callbacks
):
    claim = make_claim(enrollee)
    document = claim.documents.first()
    recorded = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        records.document_discard(claim, document, record=lambda kind, uuid: recorded.append((kind, uuid)))
    assert recorded == [(document.kind, str(document.uuid))]
    assert not ClaimDocument.objects.filter(pk=document.pk).exists()
    assert document.file.storage.exists(document.file.name)  # not yet: a rollback would keep both
    for callback in callbacks:
        callback()
    assert not document.file.storage.exists(document.file.name)


def test_a_document_of_another_case_is_not_discarded(enrollee, other_enrollee):
    mine, theirs = make_claim(enrollee), make_claim(other_enrollee)
    document = theirs.documents.first()
    records.document_discard(mine, document, record=lambda kind, uuid: None)
    assert ClaimDocument.objects.filter(pk=document.pk).exists()


def test_parties_are_the_enrollee_at_their_own_office_whoever_files(enrollee, window_staff):
    assert records.parties(actor=window_staff, enrollee=enrollee) == {
        "enrollee": enrollee,
        "filed_by": window_staff,
        "jurisdiction": enrollee.jurisdiction,
        "office": enrollee.office,
    }


def test_a_complete_case_passes_and_a_missing_group_is_named(enrollee):
    from registrations import selectors

    registration = make_registration(enrollee)
    with translation.override("en"), pytest.raises(ServiceError) as error:
        records.require_complete(selectors.missing(registration))
    identity = "Proof of identity (Medical-insurance e-voucher; or Valid identity document; or Social security card)"
    assert error.value.message == f"Still missing: {identity}; Referral certificate."
    assert len(error.value.errors["documents"]) == 2
    records.require_complete(())
