"""Reminders of deadlines, with time frozen: each kind and offset, once each, and caught up after an outage."""

import datetime

import pytest
import time_machine
from django.core import mail

from claims import services as claims
from notifications import reminders, services
from notifications.models import Delivery, Notification, ReminderOffset
from registrations.models import Registration
from tests.claims.test_submit import make_claim
from tests.registrations.factories import make_approved

pytestmark = pytest.mark.django_db


def sweep(day: str, *, send=None) -> dict:
    with time_machine.travel(f"{day} 09:00:00+08:00", tick=False):
        return reminders.sweep(datetime.date.fromisoformat(day), send=send or (lambda ids: None))


def sent(kind: str) -> list[tuple]:
    return list(Notification.objects.filter(kind=kind).order_by("id").values_list("due_date", "dedupe_key"))


@pytest.fixture
def draft(enrollee):
    """A draft claim with an invoice of 2026-05-10: claimable until 2026-12-31."""
    enrollee.email = "li@example.com"
    enrollee.save(update_fields=["email"])
    return make_claim(enrollee, emergency=True)


@pytest.mark.parametrize(
    ("day", "offset"),
    [("2026-12-01", 30), ("2026-12-24", 7), ("2026-12-30", 1), ("2026-12-31", 1)],
)
def test_claim_window_reminder_of_each_offset(draft, day, offset):
    sweep(day)
    [(due, key)] = sent("claim_window")
    assert due == datetime.date(2026, 12, 31)
    assert key.endswith(f":2026-12-31:{offset}")


def test_no_reminder_before_the_first_offset_nor_after_the_deadline(draft):
    sweep("2026-11-30")
    sweep("2027-01-01")
    assert sent("claim_window") == []


def test_each_offset_once_over_three_sweeps_a_day_and_the_whole_season(draft):
    for day in ("2026-12-01", "2026-12-01", "2026-12-01", "2026-12-15", "2026-12-24", "2026-12-24", "2026-12-30"):
        sweep(day)
    keys = [key for _due, key in sent("claim_window")]
    assert [key.rsplit(":", 1)[1] for key in keys] == ["30", "7", "1"]


def test_after_an_outage_only_the_reminder_still_useful_is_sent(draft):
    sweep("2026-12-26")  # the worker was down from 1 December: the 30-day reminder is not sent late
    keys = [key for _due, key in sent("claim_window")]
    assert len(keys) == 1
    assert keys[0].endswith(":7")


def test_submitted_claims_get_no_window_reminder(draft, enrollee):
    with time_machine.travel("2026-06-02 09:00:00+08:00", tick=False):
        claims.claim_submit(actor=enrollee, claim=draft)
    sweep("2026-12-01")
    assert sent("claim_window") == []


def test_31_december_on_a_sunday_is_still_the_deadline(enrollee):
    # 2028 is a leap year and 31 December 2028 is a Sunday.
    with time_machine.travel("2028-06-01 09:00:00+08:00", tick=False):
        claim = claims.claim_create(actor=enrollee, enrollee=enrollee, claim_kind="outpatient", emergency=True)
        claims.expense_add(
            actor=enrollee,
            claim=claim,
            invoice_no="2028-1",
            date=datetime.date(2028, 5, 10),
            institution="医院",
            institution_level=3,
            province="上海市",
            total_amount="100.00",
            policy_amount="100.00",
        )
    assert datetime.date(2028, 12, 31).weekday() == 6
    sweep("2028-12-24")
    [(due, key)] = sent("claim_window")
    assert due == datetime.date(2028, 12, 31)
    assert key == f"claim_window:claim:{claim.pk}:2028-12-31:7"


def test_late_claim_window_before_31_march(draft):
    sweep("2027-03-01")
    [(due, key)] = sent("claim_window_extended")
    assert due == datetime.date(2027, 3, 31)
    assert key.endswith(":30")
    sweep("2028-03-31")  # a year later: nothing for those costs any more
    assert len(sent("claim_window_extended")) == 1


def test_offsets_are_data(draft):
    ReminderOffset.objects.filter(kind="claim_window", days_before=30).update(active=False)
    ReminderOffset.objects.create(kind="claim_window", days_before=45)
    sweep("2026-11-16")
    [(_due, key)] = sent("claim_window")
    assert key.endswith(":45")


def test_temporary_registration_30_and_7_days_before_it_ends_in_a_leap_year(enrollee, window_staff):
    with time_machine.travel("2027-03-01 09:00:00+08:00", tick=False):
        registration = make_approved(enrollee, window_staff)
    assert registration.valid_until == datetime.date(2028, 2, 29)
    sweep("2028-01-29")
    assert sent("temporary_expiry") == []
    sweep("2028-01-30")  # 30 days before 29 February
    sweep("2028-02-22")  # 7 days before
    keys = [key for _due, key in sent("temporary_expiry")]
    assert keys == [
        f"temporary_expiry:registration:{registration.pk}:2028-02-29:30",
        f"temporary_expiry:registration:{registration.pk}:2028-02-29:7",
    ]
    body = Notification.objects.filter(kind="temporary_expiry").first().body
    assert registration.number in body
    assert "2028-02-29" in body


def test_long_term_proof_30_days_before_it_expires(enrollee, window_staff):
    from tests.registrations.factories import LONG_TERM

    with time_machine.travel("2026-06-01 09:00:00+08:00", tick=False):
        registration = make_approved(
            enrollee, window_staff, fields={**LONG_TERM, "proof_valid_until": datetime.date(2027, 5, 31)}
        )
    registration.refresh_from_db()
    assert registration.valid_until == datetime.date(2027, 5, 31)
    sweep("2027-05-01")
    [(due, _key)] = sent("long_term_expiry")
    assert due == datetime.date(2027, 5, 31)
    assert not Notification.objects.filter(kind="temporary_expiry").exists()


def test_reminders_are_in_the_enrollees_language_and_mailed_once(draft, enrollee, other_enrollee):
    enrollee.preferred_language = "en"
    enrollee.save(update_fields=["preferred_language"])
    sweep("2026-12-01", send=lambda ids: [services.deliver(i) for i in ids])
    sweep("2026-12-01", send=lambda ids: [services.deliver(i) for i in ids])
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["li@example.com"]
    assert "submit by 2026-12-31" in message.subject
    assert f"/claims/{draft.uuid}/" in message.body
    assert Delivery.objects.get().status == "sent"
    assert not Registration.objects.exists()


def test_a_crash_between_reminder_and_its_delivery_loses_nothing(draft, monkeypatch):
    from notifications.models import Delivery as DeliveryModel

    real = DeliveryModel.objects.bulk_create
    calls = []

    def crash_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(DeliveryModel.objects, "bulk_create", crash_once)
    with pytest.raises(RuntimeError):
        sweep("2026-12-24")
    assert not Notification.objects.exists()  # the chunk rolled back as a whole
    sweep("2026-12-24")
    assert Notification.objects.count() == 1
    assert DeliveryModel.objects.count() == 1


def test_each_invoice_keeps_the_window_of_the_rules_of_its_date(draft):
    from policy.models import RuleSet
    from policy.services import ruleset_new_version, ruleset_publish

    current = RuleSet.objects.get(jurisdiction__code="nantong")
    autumn = ruleset_new_version(source=current, effective_from=datetime.date(2026, 10, 1), name="autumn")
    ruleset_publish(ruleset=autumn, backdated_ok=True)
    autumn.claim_deadline_month, autumn.claim_deadline_day = 11, 30
    autumn.save()  # the policy signals drop the cached snapshots

    sweep("2026-11-23")  # 7 days before 30 November: not this claim's date (its invoice is of May)
    assert sent("claim_window") == []
    sweep("2026-12-24")
    [(due, _key)] = sent("claim_window")
    assert due == datetime.date(2026, 12, 31)
