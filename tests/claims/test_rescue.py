"""The rescue path: treated elsewhere without registering — file what applies, linked."""

import datetime

import pytest
import time_machine

from claims import selectors, services

pytestmark = pytest.mark.django_db
TREATED = datetime.date(2026, 5, 10)


@pytest.fixture(autouse=True)
def _frozen_day():
    with time_machine.travel("2026-06-01 09:00:00+08:00", tick=False):
        yield


def test_emergency_files_only_the_claim_which_counts_as_registered(enrollee):
    registration, claim = services.rescue_file(
        actor=enrollee,
        enrollee=enrollee,
        treated_on=TREATED,
        emergency=True,
        referred=False,
        claim_kind="inpatient",
        care_scope="cross_province",
        care_province="上海市",
    )
    assert registration is None
    assert claim.emergency is True
    assert selectors.reduction_for(claim)[0] == 10


def test_non_emergency_files_the_registration_and_the_linked_claim(enrollee):
    registration, claim = services.rescue_file(
        actor=enrollee,
        enrollee=enrollee,
        treated_on=TREATED,
        emergency=False,
        referred=False,
        claim_kind="outpatient",
        care_scope="in_province",
        care_province="江苏省",
        care_city="苏州市",
    )
    assert registration.registration_type == "other_temporary"
    assert registration.start_date == TREATED
    assert claim.registration == registration
    assert not claim.emergency
    assert list(enrollee.claims.all()) == [claim]


def test_advice_tells_that_a_referral_would_lose_fewer_points():
    advice = selectors.rescue_advice(jurisdiction="nantong", treated_on=TREATED, emergency=False, referred=False)
    assert (advice.registration_type, advice.reduction_points) == ("other_temporary", 20)
    assert advice.cheaper_with_referral is True
    assert advice.claim_deadline == datetime.date(2026, 12, 31)
    assert advice.claim_deadline_extended == datetime.date(2027, 3, 31)
    referred = selectors.rescue_advice(jurisdiction="nantong", treated_on=TREATED, emergency=False, referred=True)
    assert (referred.registration_type, referred.reduction_points) == ("referral", 10)


def test_emergency_advice_needs_no_registration():
    advice = selectors.rescue_advice(jurisdiction="nantong", treated_on=TREATED, emergency=True, referred=False)
    assert advice.registration_type is None
    assert advice.reduction_points == 10
