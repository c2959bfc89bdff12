"""The rescue path: treated elsewhere without registering — file what applies, linked."""

import datetime

import pytest
import time_machine

from claims import selectors, services
from policy import rules

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


# --- What the guide files is data --------------------------------------------------------------


def _set(code, **fields):
    from policy.models import RegistrationType

    registration_type = RegistrationType.objects.get(ruleset__jurisdiction__code="nantong", code=code)
    for name, value in fields.items():
        setattr(registration_type, name, value)
    registration_type.save()  # the signal invalidates the cached snapshots


def _advice(*, referred=False):
    return selectors.rescue_advice(jurisdiction="nantong", treated_on=TREATED, emergency=False, referred=referred)


def test_the_guide_files_the_type_the_data_marks_as_its_default():
    _set("other_temporary", rescue_default=False)
    _set("referral", rescue_default=True)
    advice = _advice()
    assert (advice.registration_type, advice.reduction_points) == ("referral", 10)
    assert advice.cheaper_with_referral is False  # it is the referral


def test_without_a_default_the_guide_asks_to_call_the_office():
    _set("other_temporary", rescue_default=False)
    with pytest.raises(rules.PolicyError) as error:
        _advice()
    assert error.value.field == "registration_type"
    assert _advice(referred=True).registration_type == "referral"


def test_a_referred_person_gets_the_type_of_the_referral_answer():
    _set("referral", wizard_situation="")  # no referral in these rules: treated like anyone else
    advice = _advice(referred=True)
    assert advice.registration_type == "other_temporary"
    assert advice.referral_points is None
