"""The claims API (API.md) end to end over HTTP: enrollees file, staff decide."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import include, path
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from claims import services
from claims.constants import ClaimStatus
from claims.models import Claim, Expense, ReviewThreshold
from policy.models import BenefitRow, RuleSet
from tests.claims.test_submit import make_claim
from tests.files import upload

pytestmark = pytest.mark.django_db

LIST = "/api/v1/claims/"
REVIEW = "/api/v1/review/claims/"
OUTPATIENT_DOCUMENTS = ["social_security_card", "outpatient_record", "invoice", "itemised_list"]


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(claim_id, action: str = "", *, base: str = LIST) -> str:
    return f"{base}{claim_id}/{action + '/' if action else ''}"


def expense(invoice_no="INV-1", date="2026-05-10", total="900.00", policy="800.00", **extra):
    return {
        "invoice_no": invoice_no,
        "date": date,
        "institution": "复旦大学附属肿瘤医院",
        "institution_level": 3,
        "province": "上海市",
        "total_amount": total,
        "policy_amount": policy,
        **extra,
    }


def create(client, expenses, **extra):
    return client.post(LIST, {"claim_kind": "outpatient", "expenses": expenses, **extra}, format="json")


@pytest.fixture
def submitted(enrollee):
    claim = make_claim(enrollee)
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        return services.claim_submit(actor=enrollee, claim=claim)


# --- Enrollees ----------------------------------------------------------------------------


@time_machine.travel("2026-06-01 09:00:00+08:00", tick=False)
def test_create_with_two_invoices_answers_deadlines_estimate_and_checklist(enrollee):
    me = client_for(enrollee)
    response = create(me, [expense(), expense("INV-2", "2025-11-20", total="120.50", policy="100.00")])
    assert response.status_code == 201, response.json()
    claim = response.json()
    assert (claim["status"], claim["claim_kind"], claim["registration"]) == ("draft", "outpatient", None)
    deadlines = {e["invoice_no"]: (e["claim_deadline"], e["claim_deadline_extended"]) for e in claim["expenses"]}
    assert deadlines == {"INV-1": ("2026-12-31", "2027-03-31"), "INV-2": ("2025-12-31", "2026-03-31")}
    assert claim["claim_deadline"] == "2025-12-31"  # the earliest invoice decides
    assert claim["estimate"]["available"] is False  # no registration, no emergency: no guess
    assert claim["estimate"]["total"] is None
    assert [item["code"] for item in claim["missing"]]
    assert claim["history"][0]["action"] == "created"
    assert Expense.objects.filter(claim__uuid=claim["id"]).count() == 2
    assert [c["id"] for c in me.get(LIST).json()] == [claim["id"]]


@time_machine.travel("2026-06-01 09:00:00+08:00", tick=False)
def test_money_is_a_string_with_two_decimals_and_the_estimate_follows_the_benefit_table(enrollee):
    BenefitRow.objects.create(
        ruleset=RuleSet.objects.get(jurisdiction__code="nantong"),
        scheme="employee",
        institution_level=3,
        deductible=Decimal("100.00"),
        base_ratio=Decimal("90.00"),
        annual_cap=None,
        source_ref="test figures, not official",
    )
    response = create(client_for(enrollee), [expense(total=900, policy="800.5")], emergency=True)
    assert response.status_code == 201, response.json()
    body = response.json()
    item = body["expenses"][0]
    assert (item["total_amount"], item["policy_amount"], item["approved_policy_amount"]) == ("900.00", "800.50", None)
    # Emergency: 10 points. (800.50 − 100) × (90 − 10)% = 560.40
    assert body["estimate"]["available"] is True
    assert body["estimate"]["total"] == "560.40"
    assert body["estimate"]["per_expense"] == {str(item["id"]): "560.40"}
    assert body["approved_amount"] is None


@time_machine.travel("2026-06-01 09:00:00+08:00", tick=False)
def test_a_duplicate_invoice_in_the_request_creates_nothing(enrollee):
    response = create(client_for(enrollee), [expense(), expense(date="2026-05-11")])
    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    assert not any(field.startswith("expenses.0.") for field in errors)
    assert "INV-1" in errors["expenses.1.invoice_no"][0]
    assert not Claim.objects.exists()
    assert not Expense.objects.exists()


@time_machine.travel("2026-06-01 09:00:00+08:00", tick=False)
def test_a_future_invoice_date_is_refused(enrollee):
    response = create(client_for(enrollee), [expense(date="2026-06-02")])
    assert response.status_code == 400
    assert "2026-06-02" in response.json()["errors"]["expenses.0.date"][0]
    assert not Claim.objects.exists()


@time_machine.travel("2026-06-01 09:00:00+08:00", tick=False)
def test_privileged_and_unknown_fields_are_refused(enrollee):
    response = create(client_for(enrollee), [expense(approved_policy_amount="1.00")], status="approved")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "status" in errors
    assert "expenses.0.approved_policy_amount" in errors
    assert not Claim.objects.exists()


@time_machine.travel("2026-06-01 09:00:00+08:00", tick=False)
def test_patch_add_and_remove_an_invoice(enrollee):
    me = client_for(enrollee)
    claim_id = create(me, [expense()]).json()["id"]
    patched = me.patch(url(claim_id), {"treatment": "tumour_radiotherapy"}, format="json")
    assert patched.status_code == 200, patched.json()
    assert patched.json()["treatment"] == "tumour_radiotherapy"
    added = me.post(url(claim_id, "expenses"), expense("INV-2", "2026-05-20"), format="json")
    assert added.status_code == 201, added.json()
    second = next(e for e in added.json()["expenses"] if e["invoice_no"] == "INV-2")
    assert me.delete(url(claim_id, f"expenses/{second['id']}")).status_code == 204
    assert [e["invoice_no"] for e in me.get(url(claim_id)).json()["expenses"]] == ["INV-1"]
    assert me.delete(url(claim_id, "expenses/999999")).status_code == 404


def test_submit_names_the_missing_documents_then_submits(enrollee):
    claim = make_claim(enrollee, documents=[])
    me = client_for(enrollee)
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        missing = [item["name_zh"] for item in me.get(url(claim.uuid)).json()["missing"]]
        assert missing
        response = me.post(url(claim.uuid, "submit"), {}, format="json")
        assert response.status_code == 400
        assert len(response.json()["errors"]["documents"]) == len(missing)
        for name in missing:
            assert name in response.json()["detail"]
        for kind in OUTPATIENT_DOCUMENTS:
            added = me.post(url(claim.uuid, "documents"), {"kind": kind, "file": upload()}, format="multipart")
            assert added.status_code == 201, added.json()
            assert added.json()["kind"] == kind
        response = me.post(url(claim.uuid, "submit"), {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert response.json()["missing"] == []
    assert response.json()["submitted_at"]


def test_submit_on_1_january_without_a_reason_names_the_office_phones(enrollee):
    claim = make_claim(enrollee)
    me = client_for(enrollee)
    with time_machine.travel("2027-01-01 09:00:00+08:00", tick=False):
        response = me.post(url(claim.uuid, "submit"), {}, format="json")
        assert response.status_code == 400
        body = response.json()
        assert "12393" in body["detail"]
        assert "12345" in body["detail"]
        assert "special_case_reason" in body["errors"]
        response = me.post(url(claim.uuid, "submit"), {"special_case_reason": "住院治疗期间无法办理"}, format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["special_case"]) == ("submitted", "pending")


@time_machine.travel("2026-06-01 09:00:00+08:00", tick=False)
def test_documents_of_a_kind_not_asked_for_and_empty_files_are_refused(enrollee):
    claim_id = create(client_for(enrollee), [expense()]).json()["id"]
    me = client_for(enrollee)
    wrong = me.post(url(claim_id, "documents"), {"kind": "discharge_summary", "file": upload()}, format="multipart")
    assert wrong.status_code == 400
    assert "kind" in wrong.json()["errors"]
    empty = me.post(url(claim_id, "documents"), {"kind": "invoice", "file": upload(content=b"")}, format="multipart")
    assert empty.status_code == 400


# --- Staff --------------------------------------------------------------------------------


def test_staff_approve_then_a_second_decision_is_a_conflict(submitted, enrollee, window_staff, admin_user):
    staff = client_for(window_staff)
    queue = staff.get(REVIEW)
    assert queue.status_code == 200
    assert [item["id"] for item in queue.json()["results"]] == [str(submitted.uuid)]
    assert queue.json()["results"][0]["total_amount"] == "900.00"
    case = staff.get(url(submitted.uuid, base=REVIEW))
    assert case.status_code == 200
    expense_id = case.json()["expenses"][0]["id"]
    decision = {
        "decision": "approve",
        "approved_amount": "450.5",
        "reasons": [],
        "note": "",
        "expenses": [{"id": expense_id, "approved_policy_amount": "700.00", "reason": "自费药品"}],
    }
    response = staff.post(url(submitted.uuid, "decision", base=REVIEW), decision, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["approved_amount"]) == ("approved", "450.50")
    assert body["expenses"][0]["approved_policy_amount"] == "700.00"
    assert body["decided_at"]

    again = client_for(admin_user).post(
        url(submitted.uuid, "decision", base=REVIEW), {"decision": "reject", "reasons": ["x"]}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["detail"]

    paid = staff.post(url(submitted.uuid, "payment", base=REVIEW), {}, format="json")
    assert paid.status_code == 200, paid.json()
    assert paid.json()["status"] == ClaimStatus.PAID
    assert client_for(enrollee).get(url(submitted.uuid)).json()["paid_at"]


def test_a_return_goes_back_to_the_enrollee(submitted, enrollee, window_staff):
    response = client_for(window_staff).post(
        url(submitted.uuid, "decision", base=REVIEW),
        {"decision": "return", "reasons": ["发票不清晰"], "note": ""},
        format="json",
    )
    assert response.status_code == 200, response.json()
    mine = client_for(enrollee).get(url(submitted.uuid)).json()
    assert (mine["status"], mine["return_reasons"]) == ("returned", ["发票不清晰"])


# --- Conditional GET (common.api.ConditionalGetMixin) -----------------------------------------


def test_claim_detail_answers_304_to_its_etag_until_a_decision(submitted, enrollee, other_enrollee, window_staff):
    me, staff = client_for(enrollee), client_for(window_staff)
    review = url(submitted.uuid, base=REVIEW)
    mine, theirs = me.get(url(submitted.uuid))["ETag"], staff.get(review)["ETag"]
    repeat = me.get(url(submitted.uuid), HTTP_IF_NONE_MATCH=mine)
    assert (repeat.status_code, repeat.content) == (304, b"")
    assert staff.get(review, HTTP_IF_NONE_MATCH=theirs).status_code == 304
    stranger = client_for(other_enrollee).get(url(submitted.uuid), HTTP_IF_NONE_MATCH=mine)
    assert stranger.status_code == 404
    assert "ETag" not in stranger

    decision = {"decision": "return", "reasons": ["发票不清晰"], "note": ""}
    assert staff.post(url(submitted.uuid, "decision", base=REVIEW), decision, format="json").status_code == 200
    changed = me.get(url(submitted.uuid), HTTP_IF_NONE_MATCH=mine)
    assert changed.status_code == 200
    assert changed.json()["status"] == "returned"
    assert changed["ETag"] != mine
    assert staff.get(review, HTTP_IF_NONE_MATCH=theirs).status_code == 200


# --- Who sees what ------------------------------------------------------------------------


def test_another_persons_claim_is_a_404_everywhere(submitted, other_enrollee, other_office_staff):
    other = client_for(other_enrollee)
    for method, action in [("get", ""), ("patch", ""), ("post", "expenses"), ("post", "documents"), ("post", "submit")]:
        assert getattr(other, method)(url(submitted.uuid, action), {}, format="json").status_code == 404, action
    expense_id = submitted.expenses.get().id
    assert other.delete(url(submitted.uuid, f"expenses/{expense_id}")).status_code == 404
    assert other.get(LIST).json() == []
    staff = client_for(other_office_staff)
    assert staff.get(REVIEW).json()["results"] == []
    for method, action in [("get", ""), ("post", "decision"), ("post", "confirm"), ("post", "payment")]:
        response = getattr(staff, method)(url(submitted.uuid, action, base=REVIEW), {"decision": "approve"})
        assert response.status_code == 404, action
    assert staff.get(url(submitted.uuid)).status_code == 404


def test_enrollees_get_403_on_review_endpoints_and_anonymous_401(submitted, enrollee):
    me = client_for(enrollee)
    assert me.get(REVIEW).status_code == 403
    assert me.get(url(submitted.uuid, base=REVIEW)).status_code == 403
    assert me.post(url(submitted.uuid, "decision", base=REVIEW), {"decision": "approve"}).status_code == 403
    anonymous = APIClient()
    assert anonymous.get(LIST).status_code == 401
    assert anonymous.get(url(submitted.uuid)).status_code == 401
    assert anonymous.get(REVIEW).status_code == 401


def test_staff_read_their_office_claims_but_do_not_file_or_change_them(submitted, window_staff):
    staff = client_for(window_staff)
    assert staff.get(url(submitted.uuid)).status_code == 200
    assert staff.patch(url(submitted.uuid), {"special_case_reason": "x"}, format="json").status_code == 403
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        assert create(staff, [expense()]).status_code == 403


def test_drafts_stay_out_of_the_queue(enrollee, window_staff):
    draft = make_claim(enrollee)
    assert client_for(window_staff).get(url(draft.uuid, base=REVIEW)).status_code == 404
    assert client_for(window_staff).get(REVIEW).json()["results"] == []


def test_malformed_ids_are_404(enrollee):
    assert client_for(enrollee).get(url("not-a-uuid")).status_code == 404


# --- Schema -------------------------------------------------------------------------------

OPERATIONS = {
    ("get", "/api/v1/claims/"),
    ("post", "/api/v1/claims/"),
    ("get", "/api/v1/claims/{id}/"),
    ("patch", "/api/v1/claims/{id}/"),
    ("post", "/api/v1/claims/{id}/expenses/"),
    ("delete", "/api/v1/claims/{id}/expenses/{expense_id}/"),
    ("post", "/api/v1/claims/{id}/documents/"),
    ("get", "/api/v1/claims/{id}/documents/{document_id}/"),
    ("delete", "/api/v1/claims/{id}/documents/{document_id}/"),
    ("post", "/api/v1/claims/{id}/submit/"),
    ("get", "/api/v1/review/claims/"),
    ("get", "/api/v1/review/claims/{id}/"),
    ("post", "/api/v1/review/claims/{id}/decision/"),
    ("post", "/api/v1/review/claims/{id}/confirm/"),
    ("post", "/api/v1/review/claims/{id}/payment/"),
}


def test_every_claim_operation_is_in_the_schema_with_its_serializers():
    urls = [path("api/v1/", include("claims.api.urls")), path("api/v1/", include("review.api.urls"))]
    schema = SchemaGenerator(patterns=urls).get_schema(request=None, public=True)
    operations = {
        (method, route): op
        for route, ops in schema["paths"].items()
        for method, op in ops.items()
        if "/claims" in route
    }
    assert set(operations) == OPERATIONS
    for key, operation in operations.items():
        success = next(code for code in operation["responses"] if code.startswith("2"))
        if success != "204":
            assert operation["responses"][success]["content"], key
    upload_body = operations[("post", "/api/v1/claims/{id}/documents/")]["requestBody"]["content"]
    assert list(upload_body) == ["multipart/form-data"]
    assert set(operations[("post", "/api/v1/claims/{id}/documents/")]["responses"]) >= {"201", "413"}
    assert "409" in operations[("post", "/api/v1/review/claims/{id}/decision/")]["responses"]
    assert "cursor" in {p["name"] for p in operations[("get", "/api/v1/review/claims/")]["parameters"]}
    components = schema["components"]["schemas"]
    detail = components["ClaimDetailOutput"]["properties"]
    for field in ("expenses", "claim_deadline", "estimate", "checklist", "missing", "documents", "history"):
        assert field in detail
    assert components["ExpenseOutput"]["properties"]["total_amount"]["type"] == "string"


def test_claim_operations_are_served_in_api_schema(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert {route for _, route in OPERATIONS} <= set(response.json()["paths"])


def test_above_the_threshold_a_second_reviewer_confirms(submitted, window_staff, admin_user):
    ReviewThreshold.objects.create(jurisdiction=submitted.jurisdiction, four_eyes_above=Decimal("100.00"))
    staff = client_for(window_staff)
    decision = {"decision": "approve", "approved_amount": "450.00", "reasons": [], "note": ""}
    first = staff.post(url(submitted.uuid, "decision", base=REVIEW), decision, format="json")
    assert first.status_code == 200, first.json()
    assert first.json()["status"] == "awaiting_confirmation"
    assert staff.post(url(submitted.uuid, "confirm", base=REVIEW), {}, format="json").status_code == 400
    confirmed = client_for(admin_user).post(url(submitted.uuid, "confirm", base=REVIEW), {}, format="json")
    assert confirmed.status_code == 200, confirmed.json()
    assert confirmed.json()["status"] == "approved"


def test_documents_download_for_the_parties_and_office_staff_who_are_logged(
    enrollee, other_enrollee, window_staff, other_office_staff
):
    from common.models import AccessLog

    claim = make_claim(enrollee, emergency=True)
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        services.claim_submit(actor=enrollee, claim=claim)
    detail = client_for(enrollee).get(url(claim.uuid)).json()
    link = detail["documents"][0]["download_url"]
    document_id = detail["documents"][0]["id"]

    response = client_for(enrollee).get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    b"".join(response.streaming_content)
    assert not AccessLog.objects.exists()  # the owner's own sight is not audited

    response = client_for(window_staff).get(link)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert AccessLog.objects.filter(actor=window_staff, action="view_document", object_id=document_id).exists()

    for outsider in (other_enrollee, other_office_staff):
        response = client_for(outsider).get(link)
        assert response.status_code == 404
        assert set(response.json()) >= {"detail"}


def test_a_document_is_taken_back_from_a_draft_by_its_parties_only(enrollee, other_enrollee, window_staff):
    from claims.models import ClaimDocument

    claim = make_claim(enrollee, emergency=True)
    document = claim.documents.first()
    link = f"{url(claim.uuid)}documents/{document.uuid}/"
    assert client_for(other_enrollee).delete(link).status_code == 404
    assert client_for(window_staff).delete(link).status_code == 404  # a draft is the filer's business
    assert ClaimDocument.objects.filter(pk=document.pk).exists()
    assert client_for(enrollee).delete(link).status_code == 204
    assert not ClaimDocument.objects.filter(pk=document.pk).exists()
    assert claim.events.filter(action="document_removed").exists()


def test_a_submitted_claims_documents_stay(enrollee, window_staff):
    claim = make_claim(enrollee, emergency=True)
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        services.claim_submit(actor=enrollee, claim=claim)
    document = claim.documents.first()
    link = f"{url(claim.uuid)}documents/{document.uuid}/"
    assert client_for(window_staff).delete(link).status_code == 403  # staff read, never take back
    assert client_for(enrollee).delete(link).status_code == 409
    assert claim.documents.filter(pk=document.pk).exists()
