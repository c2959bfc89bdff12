"""Which status changes a person is told about, and in which words (notifications.receivers)."""

import datetime

import pytest
import time_machine

from claims import services as claims
from notifications.models import Notification
from registrations import services as registrations
from tests.claims.test_submit import make_claim
from tests.registrations.factories import make_approved, make_registration

pytestmark = pytest.mark.django_db


def told(person) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=person, kind="status").order_by("id").values_list("title", "body")
    )


def test_a_cancelled_registration_is_told_with_its_status(enrollee):
    registration = make_registration(enrollee, submit=True)
    registrations.registration_cancel(actor=enrollee, registration=registration, reason="不去了")
    title, _body = told(enrollee)[-1]
    assert registration.number in title
    assert title.endswith("已取消")


def test_an_expired_registration_is_told_by_the_daily_task(enrollee, window_staff):
    registration = make_approved(enrollee, window_staff)
    before = len(told(enrollee))
    with time_machine.travel(registration.valid_until + datetime.timedelta(days=1), tick=False):
        assert registrations.registrations_expire() == 1
    assert len(told(enrollee)) == before + 1
    title, _body = told(enrollee)[-1]
    assert registration.number in title
    assert "过期" in title


def test_a_paid_claim_is_told_with_the_amount(enrollee, window_staff):
    claim = make_claim(enrollee)
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        claim = claims.claim_submit(actor=enrollee, claim=claim)
        claim = claims.claim_decide(actor=window_staff, claim=claim, decision="approve", approved_amount="321.50")
        claims.claim_record_payment(actor=window_staff, claim=claim)
    title, body = told(enrollee)[-1]
    assert claim.number in title
    assert title.endswith("已支付")
    assert "321.50" in body


def test_history_rows_that_change_no_status_tell_nobody(enrollee):
    registration = make_registration(enrollee)  # created, documents added: the draft's own business
    registrations.registration_update(actor=enrollee, registration=registration, care_city="上海市")
    assert told(enrollee) == []


def test_a_first_approval_awaiting_a_second_reviewer_is_not_told(enrollee, window_staff):
    from claims.models import ReviewThreshold
    from offices.models import Jurisdiction

    ReviewThreshold.objects.create(jurisdiction=Jurisdiction.objects.get(code="nantong"), four_eyes_above="10.00")
    claim = make_claim(enrollee)
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        claim = claims.claim_submit(actor=enrollee, claim=claim)
        claims.claim_decide(actor=window_staff, claim=claim, decision="approve", approved_amount="100.00")
    assert len(told(enrollee)) == 1  # the submission only


def test_the_message_is_in_the_recipients_language(enrollee):
    enrollee.preferred_language = "en"
    enrollee.save(update_fields=["preferred_language"])
    registration = make_registration(enrollee, submit=True)
    title, body = told(enrollee)[-1]
    assert title.startswith(f"Registration {registration.number}")
    assert "The office reviews it" in body
