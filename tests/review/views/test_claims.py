"""Staff claim pages: queue, review with documents inline, adjust, four eyes, payment; access and queries."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from accounts.national_id import check_character
from accounts.services import user_create
from claims import services
from claims.constants import ClaimStatus
from claims.models import Claim, ReviewThreshold
from common.models import AccessLog
from tests.claims.test_submit import make_claim
from tests.conftest import PASSWORD, make_enrollee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _june_2026():
    with time_machine.travel("2026-06-02 10:00:00+08:00", tick=False):
        yield


@pytest.fixture
def submitted(enrollee):
    claim = make_claim(enrollee, emergency=True)
    return services.claim_submit(actor=enrollee, claim=claim)


def _decide(client, claim, **data):
    expense = claim.expenses.get()
    payload = {
        "decision": "approve",
        f"expense-{expense.pk}-approved_policy_amount": str(expense.policy_amount),
        f"expense-{expense.pk}-adjust_reason": "",
        "approved_amount": "",
        "other_reasons": "",
        "note": "",
    }
    payload.update({key.replace("EXPENSE", f"expense-{expense.pk}"): value for key, value in data.items()})
    return client.post(reverse("review:claim_decide", args=[claim.uuid]), payload)


def test_queue_shows_the_office_claims_and_detail_shows_documents_inline(client, submitted, window_staff):
    client.force_login(window_staff)
    page = client.get(reverse("review:claims")).content.decode()
    assert submitted.number in page
    response = client.get(reverse("review:claim_detail", args=[submitted.uuid]))
    page = response.content.decode()
    assert response.status_code == 200
    document = submitted.documents.first()
    assert reverse("review:claim_document", args=[submitted.uuid, document.uuid]) in page
    assert AccessLog.objects.filter(actor=window_staff, action="reveal_id").exists()

    response = client.get(reverse("review:claim_document", args=[submitted.uuid, document.uuid]))
    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]
    b"".join(response.streaming_content)
    assert AccessLog.objects.filter(actor=window_staff, action="view_document", object_id=str(document.uuid)).exists()


def test_approve_with_an_adjusted_amount_needs_a_reason_then_the_enrollee_sees_it(
    client, submitted, window_staff, enrollee
):
    client.force_login(window_staff)
    response = _decide(client, submitted, **{"EXPENSE-approved_policy_amount": "700.00", "approved_amount": "500.00"})
    assert response.status_code == 400
    submitted.refresh_from_db()
    assert submitted.status == ClaimStatus.SUBMITTED

    response = _decide(
        client,
        submitted,
        **{
            "EXPENSE-approved_policy_amount": "700.00",
            "EXPENSE-adjust_reason": "自费药品不在政策范围内",
            "approved_amount": "500.00",
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ClaimStatus.APPROVED
    assert submitted.approved_amount == Decimal("500.00")
    assert submitted.expenses.get().approved_policy_amount == Decimal("700.00")

    client.force_login(enrollee)
    page = client.get(reverse("claims:detail", args=[submitted.uuid])).content.decode()
    assert "500.00" in page
    assert "自费药品不在政策范围内" in page


def test_a_second_decision_is_a_conflict_that_changes_nothing(client, submitted, window_staff):
    colleague = user_create(
        username="staff-2", password=PASSWORD, role="staff", name="同事", offices=list(window_staff.offices.all())
    )
    client.force_login(window_staff)
    assert _decide(client, submitted, approved_amount="300.00").status_code == 302
    client.force_login(colleague)
    response = _decide(client, submitted, decision="reject", other_reasons="不符合")
    assert response.status_code == 409
    submitted.refresh_from_db()
    assert submitted.status == ClaimStatus.APPROVED


def test_four_eyes_then_payment(client, submitted, window_staff):
    ReviewThreshold.objects.create(jurisdiction=submitted.jurisdiction, four_eyes_above=Decimal("100.00"))
    colleague = user_create(
        username="staff-2", password=PASSWORD, role="staff", name="同事", offices=list(window_staff.offices.all())
    )
    client.force_login(window_staff)
    assert _decide(client, submitted, approved_amount="300.00").status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ClaimStatus.AWAITING_CONFIRMATION
    # The first approver cannot confirm their own approval.
    client.post(reverse("review:claim_confirm", args=[submitted.uuid]))
    submitted.refresh_from_db()
    assert submitted.status == ClaimStatus.AWAITING_CONFIRMATION

    client.force_login(colleague)
    assert client.post(reverse("review:claim_confirm", args=[submitted.uuid])).status_code == 302
    assert client.post(reverse("review:claim_payment", args=[submitted.uuid]), {"note": "转账"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == ClaimStatus.PAID
    assert submitted.paid_at is not None


def test_a_late_claim_reason_is_accepted_with_the_decision(client, enrollee, window_staff):
    claim = make_claim(enrollee, emergency=True)
    with time_machine.travel("2027-02-01 10:00:00+08:00", tick=False):
        claim = services.claim_submit(actor=enrollee, claim=claim, special_case_reason="住院期间无法办理")
        client.force_login(window_staff)
        assert "住院期间无法办理" in client.get(reverse("review:claim_detail", args=[claim.uuid])).content.decode()
        response = _decide(client, claim, approved_amount="100.00")
        assert response.status_code == 400
        assert "请先同意或不同意逾期报销的理由" in response.content.decode()  # says what to do, not just "400"
        response = _decide(client, claim, approved_amount="100.00", special_case="accept")
        assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.special_case == "accepted"
    assert claim.status == ClaimStatus.APPROVED


# --- Access matrix ------------------------------------------------------------------------


@pytest.fixture
def people(enrollee, other_enrollee, window_staff, other_office_staff, admin_user):
    return {
        "anonymous": None,
        "owner": enrollee,
        "other_enrollee": other_enrollee,
        "office_staff": window_staff,
        "other_office_staff": other_office_staff,
        "admin": admin_user,
    }


ENROLLEE_PAGES = ["claims:detail", "claims:document_download"]
STAFF_PAGES = ["review:claim_detail", "review:claim_document"]
EXPECTED = {
    # who: (enrollee pages, staff pages)
    "anonymous": (302, 302),
    "owner": (200, 404),
    "other_enrollee": (404, 404),
    "office_staff": (404, 200),
    "other_office_staff": (404, 404),
    "admin": (404, 200),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_who_may_open_which_claim_page(client, people, submitted, who):
    if people[who]:
        client.force_login(people[who])
    document = submitted.documents.first()
    for names, expected in zip((ENROLLEE_PAGES, STAFF_PAGES), EXPECTED[who], strict=True):
        for name in names:
            args = (
                [submitted.uuid, document.uuid] if name.endswith("document") or "download" in name else [submitted.uuid]
            )
            response = client.get(reverse(name, args=args))
            assert response.status_code == expected, (who, name)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)


@pytest.mark.parametrize("who", ["other_enrollee", "other_office_staff", "office_staff"])
def test_others_cannot_change_the_claim(client, people, submitted, who):
    client.force_login(people[who])
    urls = [
        reverse("claims:expense_add", args=[submitted.uuid]),
        reverse("claims:document_upload", args=[submitted.uuid]),
        reverse("claims:submit", args=[submitted.uuid]),
    ]
    if who != "office_staff":
        urls += [
            reverse("review:claim_decide", args=[submitted.uuid]),
            reverse("review:claim_payment", args=[submitted.uuid]),
        ]
    for url in urls:
        assert client.post(url, {"decision": "approve", "approved_amount": "1"}).status_code == 404, (who, url)
    submitted.refresh_from_db()
    assert submitted.status == ClaimStatus.SUBMITTED


def test_another_enrollee_does_not_see_the_claim_in_lists(client, people, submitted):
    client.force_login(people["other_enrollee"])
    assert submitted.number not in client.get(reverse("claims:list")).content.decode()
    client.force_login(people["other_office_staff"])
    assert submitted.number not in client.get(reverse("review:claims")).content.decode()


# --- Query counts: the same for 5 rows as for 50 ---------------------------------------------


def _many_claims(count):
    for index in range(count):
        person = make_enrollee(
            _national_id(index), name=f"参保人{index}", phone=f"139{index:08d}", office_code="nantong-urban"
        )
        claim = make_claim(person, emergency=True, documents=[])
        claim.status, claim.submitted_at = ClaimStatus.SUBMITTED, claim.created_at
        claim.save(update_fields=["status", "submitted_at"])
    return Claim.objects.all()


def _national_id(index: int) -> str:
    body = f"32060219800101{index:03d}"
    return body + check_character(body)


@pytest.mark.parametrize("count", [5, 50])
def test_staff_queue_queries_do_not_grow_with_rows(client, window_staff, django_assert_max_num_queries, count):
    _many_claims(count)
    client.force_login(window_staff)
    with django_assert_max_num_queries(7):  # with the second step's device
        response = client.get(reverse("review:claims"))
    assert response.content.decode().count(">BX2026") == count


@pytest.mark.parametrize("count", [5, 50])
def test_my_claims_queries_do_not_grow_with_rows(client, enrollee, django_assert_max_num_queries, count):
    for index in range(count):
        claim = services.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="outpatient", emergency=True)
        services.expense_add(
            actor=enrollee,
            claim=claim,
            invoice_no=f"N-{index}",
            date=claim.created_at.date(),
            institution="医院",
            institution_level=3,
            province="上海市",
            total_amount="10.00",
            policy_amount="5.00",
        )
    client.force_login(enrollee)
    with django_assert_max_num_queries(8):  # with the nav's unread count
        response = client.get(reverse("claims:list"))
    assert response.content.decode().count('class="card registration-row"') == count


def test_claim_detail_page_query_count(client, submitted, enrollee, window_staff, django_assert_max_num_queries):
    client.force_login(enrollee)
    with django_assert_max_num_queries(13):
        assert client.get(reverse("claims:detail", args=[submitted.uuid])).status_code == 200
    client.force_login(window_staff)
    with django_assert_max_num_queries(11):
        assert client.get(reverse("review:claim_detail", args=[submitted.uuid])).status_code == 200
