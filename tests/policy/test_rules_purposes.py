"""What a type is for, read from the data by the pure rules (policy.rules): the wizard's answers,
the type that needs no filing, what the rescue guide files, the cheaper referral, the care scope."""

import dataclasses
import datetime

import pytest

from policy import rules
from policy.constants import CareScope, Situation


def rule(code, *, category="temporary", points=20, situation="", rescue=False, filing=True):
    return rules.RegistrationTypeRule(
        code=code,
        category=category,
        name_zh=code,
        name_en=code,
        validity_rule="fixed_months",
        validity_months=12,
        reduction_points=points,
        filing_required=filing,
        wizard_situation=situation,
        rescue_default=rescue,
    )


REFERRAL = rule("ref-x", points=10, situation=Situation.REFERRED)
OTHER = rule("other-x", points=20, situation=Situation.OTHER, rescue=True)
URGENT = rule("urgent-x", points=10, situation=Situation.EMERGENCY, filing=False)
LONG = rule("long-x", category="long_term", points=0, situation=Situation.LIVING_ELSEWHERE)


def snapshot(*types):
    return rules.RuleSetSnapshot(
        id=1, jurisdiction="x", name="x", effective_from=datetime.date(2026, 1, 1), effective_to=None, source="x",
        types=types,
    )  # fmt: skip


FULL = snapshot(LONG, REFERRAL, URGENT, OTHER)


@pytest.mark.parametrize(
    ("situation", "expected"),
    [
        (Situation.REFERRED, REFERRAL),
        (Situation.OTHER, OTHER),
        (Situation.EMERGENCY, URGENT),
        (Situation.LIVING_ELSEWHERE, LONG),
        (Situation.POSTED, None),
    ],
)
def test_the_wizard_recommends_the_type_carrying_the_answer(situation, expected):
    assert rules.type_for_situation(FULL, situation) == expected


def test_the_type_that_needs_no_filing_is_found_by_its_flag_not_its_code():
    assert rules.no_filing_type(FULL) == URGENT
    assert rules.no_filing_type(snapshot(LONG, REFERRAL)) is None


def test_the_rescue_guide_files_a_referral_for_someone_referred_and_the_default_otherwise():
    assert rules.rescue_type(FULL, referred=True) == REFERRAL
    assert rules.rescue_type(FULL, referred=False) == OTHER


def test_without_a_referral_type_a_referred_person_gets_the_default():
    assert rules.rescue_type(snapshot(LONG, OTHER), referred=True) == OTHER


def test_a_referral_type_that_needs_no_filing_is_not_filed_after_the_fact():
    unfiled_referral = dataclasses.replace(REFERRAL, filing_required=False)
    assert rules.rescue_type(snapshot(unfiled_referral, OTHER), referred=True) == OTHER


def test_rules_without_a_default_let_the_office_decide():
    assert rules.rescue_type(snapshot(LONG, REFERRAL), referred=False) is None


def test_a_referral_is_named_where_it_costs_fewer_points():
    assert rules.cheaper_referral(FULL, OTHER) == REFERRAL


@pytest.mark.parametrize("other", [REFERRAL, URGENT, LONG, dataclasses.replace(OTHER, reduction_points=10)])
def test_no_cheaper_referral_for_itself_an_unfiled_a_long_term_or_an_equal_type(other):
    assert rules.cheaper_referral(FULL, other) is None


def test_no_cheaper_referral_where_the_rules_have_none():
    assert rules.cheaper_referral(snapshot(OTHER), OTHER) is None


@pytest.mark.parametrize(
    ("province", "scope"),
    [("江苏省", CareScope.IN_PROVINCE), ("上海市", CareScope.CROSS_PROVINCE), ("", CareScope.CROSS_PROVINCE)],
)
def test_the_care_scope_follows_from_the_province(province, scope):
    assert rules.care_scope_for(province, "江苏省") == scope
