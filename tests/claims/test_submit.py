"""Submitting a claim: materials from the policy, the 31 Dec / 31 Mar window, whom to call."""

import datetime

import pytest
import time_machine

from claims import selectors, services
from claims.constants import ClaimStatus, SpecialCase
from common.errors import ServiceError
from tests.files import upload

pytestmark = pytest.mark.django_db
OUTPATIENT_DOCUMENTS = ["social_security_card", "outpatient_record", "invoice", "itemised_list"]


def make_claim(
    enrollee, *, treatment="", expense_date=datetime.date(2026, 5, 10), documents=OUTPATIENT_DOCUMENTS, emergency=False
):
    with time_machine.travel("2026-06-01 09:00:00+08:00", tick=False):
        claim = services.claim_create(
            actor=enrollee, enrollee=enrollee, claim_kind="outpatient", treatment=treatment, emergency=emergency
        )
        services.expense_add(
            actor=enrollee,
            claim=claim,
            invoice_no="INV-1",
            date=expense_date,
            institution="复旦大学附属肿瘤医院",
            institution_level=3,
            province="上海市",
            total_amount="900.00",
            policy_amount="800.00",
        )
        for kind in documents:
            services.claim_document_add(actor=enrollee, claim=claim, kind=kind, uploaded_file=upload())
    return claim


def test_radiotherapy_claim_is_told_the_record_is_missing_then_submits(enrollee):
    claim = make_claim(enrollee, treatment="tumour_radiotherapy")
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        with pytest.raises(ServiceError) as error:
            services.claim_submit(actor=enrollee, claim=claim)
        missing = " ".join(error.value.errors["documents"])
        assert "放射治疗记录单" in missing
        assert "有明确治疗记录的门诊病历" in missing
        for kind in ("tumour_treatment_record", "radiotherapy_summary"):
            services.claim_document_add(actor=enrollee, claim=claim, kind=kind, uploaded_file=upload())
        assert services.claim_submit(actor=enrollee, claim=claim).status == ClaimStatus.SUBMITTED


def test_claimable_until_31_december(enrollee):
    claim = make_claim(enrollee)
    with time_machine.travel("2026-12-31 20:00:00+08:00", tick=False):
        claim = services.claim_submit(actor=enrollee, claim=claim)
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.special_case == SpecialCase.NONE


def test_on_1_january_a_claim_without_a_reason_is_refused_naming_whom_to_call(enrollee):
    claim = make_claim(enrollee)
    with time_machine.travel("2027-01-01 09:00:00+08:00", tick=False), pytest.raises(ServiceError) as error:
        services.claim_submit(actor=enrollee, claim=claim)
    message = error.value.message
    assert "INV-1" in message
    assert "2026-12-31" in message
    assert "2027-03-31" in message
    assert "12393" in message
    assert "12345" in message
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


def test_until_31_march_with_a_special_case_reason_staff_must_accept(enrollee):
    claim = make_claim(enrollee)
    with time_machine.travel("2027-03-31 09:00:00+08:00", tick=False):
        claim = services.claim_submit(actor=enrollee, claim=claim, special_case_reason="住院治疗期间无法办理")
    assert claim.status == ClaimStatus.SUBMITTED
    assert claim.special_case == SpecialCase.PENDING
    assert claim.events.get(action="submitted").reason == "住院治疗期间无法办理"


def test_after_31_march_even_a_reason_does_not_help(enrollee):
    claim = make_claim(enrollee)
    with time_machine.travel("2027-04-01 09:00:00+08:00", tick=False), pytest.raises(ServiceError) as error:
        services.claim_submit(actor=enrollee, claim=claim, special_case_reason="住院")
    assert "2027-03-31" in error.value.message


def test_a_document_the_checklist_does_not_ask_for_is_refused(enrollee):
    claim = make_claim(enrollee, documents=[])
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False), pytest.raises(ServiceError) as error:
        services.claim_document_add(actor=enrollee, claim=claim, kind="discharge_summary", uploaded_file=upload())
    assert "kind" in error.value.errors
    assert selectors.missing(claim)
