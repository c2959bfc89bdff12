"""Every rule sentence of DOMAIN.md, as it is loaded from the seeds, checked through the rules.

If the seeded data or the code applying it changes meaning, one of these fails.
"""

import datetime

import pytest

from policy import rules, selectors
from policy.models import (
    CatalogueRule,
    MaterialGroup,
    RegistrationType,
    RuleSet,
    SettlementScope,
    SpecialDiseaseRule,
)

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 5, 10)


def nantong():
    return selectors.ruleset_for("nantong", DAY)


def sheyang():
    return selectors.ruleset_for("sheyang", DAY)


def _materials(groups):
    """{group code: {option code: sorted document codes}} — easy to compare with the text."""
    return {g.code: {o.code: sorted(d.code for d in o.documents) for o in g.options} for g in groups}


# --- Registration types ----------------------------------------------------------------------


def test_nantong_offers_the_six_types_in_two_categories():
    types = {t.code: t.category for t in nantong().types}
    assert types == {
        "retired_resettled": "long_term",
        "long_term_resident": "long_term",
        "posted_worker": "long_term",
        "referral": "temporary",
        "emergency": "temporary",
        "other_temporary": "temporary",
    }


def test_sheyang_2019_knew_three_long_term_types_and_referral():
    types = {t.code: t.category for t in sheyang().types}
    assert types == {
        "retired_resettled": "long_term",
        "long_term_resident": "long_term",
        "posted_worker": "long_term",
        "referral": "temporary",
    }


# --- Validity (南通 Q7.4) ---------------------------------------------------------------------


@pytest.mark.parametrize("code", ["retired_resettled", "long_term_resident", "posted_worker"])
def test_nantong_long_term_validity_is_the_proofs(code):
    rule = rules.registration_type(nantong(), code)
    valid = rules.validity(rule, starts=DAY, proof_valid_until=datetime.date(2029, 3, 1))
    assert (valid.starts, valid.ends, valid.rule) == (DAY, datetime.date(2029, 3, 1), "proof_expiry")


@pytest.mark.parametrize("code", ["referral", "other_temporary"])
def test_nantong_temporary_validity_is_twelve_months(code):
    valid = rules.validity(rules.registration_type(nantong(), code), starts=DAY)
    assert valid.ends == datetime.date(2027, 5, 9)
    assert valid.rule == "fixed_months"


def test_nantong_emergency_counts_as_registered_without_filing():
    emergency = rules.registration_type(nantong(), "emergency")
    assert emergency.filing_required is False
    assert emergency.review_required is False
    assert rules.validity(emergency, starts=DAY).ends is None
    assert rules.registration_materials(nantong(), "emergency") == ()


def test_other_temporary_takes_effect_at_once_referral_and_long_term_need_review():
    review = {t.code: t.review_required for t in nantong().types if t.filing_required}
    assert review == {
        "retired_resettled": True,
        "long_term_resident": True,
        "posted_worker": True,
        "referral": True,
        "other_temporary": False,
    }


# --- Reduction (南通 Q7.3) --------------------------------------------------------------------


def test_nantong_reduction_points_per_type():
    points = {t.code: rules.reduction_points(t) for t in nantong().types}
    assert points == {
        "retired_resettled": 0,
        "long_term_resident": 0,
        "posted_worker": 0,
        "referral": 10,
        "emergency": 10,
        "other_temporary": 20,
    }


def test_sheyang_states_no_reduction_benefits_follow_insured_region():
    assert {t.reduction_points for t in sheyang().types} == {0}
    assert all(
        "五" in t.source_ref or "参保地政策" in t.source_ref for t in sheyang().types if t.category == "long_term"
    )


def test_benefit_tables_ship_empty_no_invented_figures():
    assert nantong().benefits == {}
    assert sheyang().benefits == {}
    estimate = rules.estimate(
        nantong(), scheme="employee", institution_level=3, policy_amount=rules.Decimal("1000.00"), reduction=10
    )
    assert estimate is None


# --- Catalogue and direct settlement ----------------------------------------------------------


@pytest.mark.parametrize("ruleset", [nantong, sheyang])
def test_catalogue_in_province_is_jiangsu_unified_cross_province_care_region(ruleset):
    assert rules.catalogue(ruleset(), "in_province") == "jiangsu_unified"
    assert rules.catalogue(ruleset(), "cross_province") == "care_region"


def test_nantong_direct_settlement_one_list_for_all():
    expected = ("inpatient", "general_outpatient", "outpatient_pooling", "outpatient_chronic_special", "pharmacy")
    assert rules.direct_settlement_services(nantong(), "in_province") == expected
    assert rules.direct_settlement_services(nantong(), "cross_province", "北京市") == expected


def test_sheyang_direct_settlement_scope():
    assert set(rules.direct_settlement_services(sheyang(), "in_province")) == {"outpatient", "inpatient"}
    assert rules.direct_settlement_services(sheyang(), "cross_province", "北京市") == ("inpatient",)
    assert set(rules.direct_settlement_services(sheyang(), "cross_province", "上海市")) == {"inpatient", "outpatient"}


# --- Special diseases (南通 Q5) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("disease", "level", "dialysis", "allowed_or_field"),
    [
        ("malignant_tumour", 2, None, True),
        ("malignant_tumour", 3, None, True),
        ("malignant_tumour", 1, None, "institution_level"),
        ("malignant_tumour", None, None, False),
        ("dialysis", None, True, True),
        ("dialysis", 3, False, "institution_dialysis_qualified"),
        ("dialysis", 3, None, False),
        ("transplant_antirejection", 3, None, True),
        ("transplant_antirejection", 2, None, "institution_level"),
        ("pulmonary_hypertension", 3, None, True),
        ("pulmonary_hypertension", 2, None, "institution_level"),
    ],
)
def test_nantong_special_disease_designation(disease, level, dialysis, allowed_or_field):
    if isinstance(allowed_or_field, str):
        with pytest.raises(rules.PolicyError) as error:
            rules.special_disease_check(nantong(), disease, institution_level=level, dialysis_qualified=dialysis)
        assert error.value.field == allowed_or_field
    else:
        check = rules.special_disease_check(nantong(), disease, institution_level=level, dialysis_qualified=dialysis)
        assert check.allowed is allowed_or_field


def test_sheyang_2019_has_no_special_disease_designation():
    with pytest.raises(rules.PolicyError) as error:
        rules.special_disease_check(sheyang(), "malignant_tumour", institution_level=3)
    assert error.value.field == "special_disease"


# --- Registration materials (南通 Q9) ---------------------------------------------------------

IDENTITY = {
    "e_voucher": ["medical_insurance_e_voucher"],
    "id_document": ["id_document"],
    "social_security_card": ["social_security_card"],
}
HOUSEHOLD = ["household_register_front", "permanent_residence_card"]


def test_nantong_long_term_resident_materials():
    assert _materials(rules.registration_materials(nantong(), "long_term_resident")) == {
        "identity": IDENTITY,
        "residence_proof": {
            "residence_permit": ["residence_permit"],
            "household_register": HOUSEHOLD,
            "commitment_letter": ["commitment_letter"],
        },
    }


def test_nantong_retired_resettled_materials():
    assert _materials(rules.registration_materials(nantong(), "retired_resettled")) == {
        "identity": IDENTITY,
        "resettlement_proof": {"household_register": HOUSEHOLD, "commitment_letter": ["commitment_letter"]},
    }


def test_nantong_posted_worker_materials():
    assert _materials(rules.registration_materials(nantong(), "posted_worker")) == {
        "identity": IDENTITY,
        "work_proof": {
            "posting_certificate": ["posting_certificate"],
            "labour_contract": ["labour_contract"],
            "commitment_letter": ["commitment_letter"],
        },
    }


def test_nantong_referral_and_other_temporary_materials():
    assert _materials(rules.registration_materials(nantong(), "referral")) == {
        "identity": IDENTITY,
        "referral_certificate": {"referral_certificate": ["referral_certificate"]},
    }
    assert _materials(rules.registration_materials(nantong(), "other_temporary")) == {"identity": IDENTITY}


def test_agent_id_is_required_only_when_an_agent_files():
    plain = _materials(rules.registration_materials(nantong(), "referral"))
    with_agent = _materials(rules.registration_materials(nantong(), "referral", agent=True))
    assert "agent_id" not in plain
    assert with_agent["agent_id"] == {"agent_id": ["agent_id"]}


def test_sheyang_long_term_materials_id_card_and_jiangsu_card_and_residence_proof():
    assert _materials(rules.registration_materials(sheyang(), "long_term_resident", agent=True)) == {
        "id_card": {"id_document": ["id_document"]},
        "social_security_card": {"social_security_card": ["social_security_card"]},
        "residence_proof": {"residence_proof": ["residence_proof"]},
        "agent_id": {"agent_id": ["agent_id"]},
    }


def test_missing_materials_names_the_unsatisfied_group():
    groups = rules.registration_materials(nantong(), "long_term_resident")
    # 户口簿首页 alone is not the household-register alternative: both pages are needed.
    missing = rules.missing_materials(groups, ["id_document", "household_register_front"])
    assert [g.code for g in missing] == ["residence_proof"]
    assert rules.missing_materials(groups, ["id_document", *HOUSEHOLD]) == ()
    assert rules.missing_materials(groups, ["social_security_card", "commitment_letter"]) == ()


# --- Channels (南通 Q9; 射阳 2019) ------------------------------------------------------------


def test_channels_per_type():
    channels = {t.code: set(t.channels) for t in nantong().types}
    assert channels["long_term_resident"] == {
        "jiangsu_app",
        "national_app",
        "online",
        "mail",
        "service_station",
        "window",
    }
    assert channels["referral"] == {"hospital", "jiangsu_app", "national_app", "online", "mail", "window"}
    assert channels["other_temporary"] == {"jiangsu_app", "national_app", "window", "mail"}
    assert channels["emergency"] == set()
    sheyang_channels = {t.code: set(t.channels) for t in sheyang().types}
    assert sheyang_channels["posted_worker"] == {"window", "online", "wechat"}
    assert sheyang_channels["referral"] == {"hospital"}


# --- Claims (南通 Q8) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expense", "deadline", "extended"),
    [
        (datetime.date(2026, 5, 10), datetime.date(2026, 12, 31), datetime.date(2027, 3, 31)),
        (datetime.date(2026, 12, 31), datetime.date(2026, 12, 31), datetime.date(2027, 3, 31)),
        (datetime.date(2028, 2, 29), datetime.date(2028, 12, 31), datetime.date(2029, 3, 31)),
    ],
)
def test_nantong_claim_window(expense, deadline, extended):
    assert rules.claim_deadlines(nantong(), expense) == (deadline, extended)


def test_claim_window_open_and_special_case_extension():
    expense = datetime.date(2026, 5, 10)

    def open_on(day, special):
        return rules.claim_window_open(nantong(), expense_date=expense, on=day, special_case=special)  # noqa: E731

    assert open_on(datetime.date(2026, 12, 31), False)
    assert not open_on(datetime.date(2027, 1, 1), False)
    assert open_on(datetime.date(2027, 3, 31), True)
    assert not open_on(datetime.date(2027, 4, 1), True)


def test_sheyang_states_no_claim_window():
    assert rules.claim_deadlines(sheyang(), DAY) == (None, None)


def test_nantong_outpatient_claim_materials():
    assert _materials(rules.claim_materials(nantong(), "outpatient")) == {
        "social_security_card": {"social_security_card": ["social_security_card"]},
        "record_or_prescription": {"outpatient_record": ["outpatient_record"], "prescription": ["prescription"]},
        "invoices": {"invoices_and_list": ["invoice", "itemised_list"]},
    }


def test_tumour_treatment_adds_the_treatment_record():
    codes = [g.code for g in rules.claim_materials(nantong(), "outpatient", treatment="tumour_treatment")]
    assert "tumour_treatment_record" in codes
    assert "radiotherapy_record" not in codes


def test_tumour_radiotherapy_adds_treatment_record_and_radiotherapy_record():
    groups = _materials(rules.claim_materials(nantong(), "outpatient", treatment="tumour_radiotherapy"))
    assert groups["tumour_treatment_record"] == {"tumour_treatment_record": ["tumour_treatment_record"]}
    assert groups["radiotherapy_record"] == {
        "radiotherapy_record": ["radiotherapy_record"],
        "radiotherapy_summary": ["radiotherapy_summary"],
    }


def test_nantong_inpatient_claim_materials_with_agent():
    assert _materials(rules.claim_materials(nantong(), "inpatient", agent=True)) == {
        "social_security_card": {"social_security_card": ["social_security_card"]},
        "invoices": {"invoices_and_list": ["invoice", "itemised_list"]},
        "diagnosis": {"diagnosis_certificate": ["diagnosis_certificate"], "discharge_summary": ["discharge_summary"]},
        "agent_id": {"agent_id": ["agent_id"]},
    }


def test_every_seeded_row_names_its_source_sentence():
    for model in (RegistrationType, MaterialGroup, CatalogueRule, SettlementScope, SpecialDiseaseRule):
        assert not model.objects.filter(source_ref="").exists(), model.__name__
    assert not RuleSet.objects.filter(claim_window_source_ref="").exists()


def test_where_to_look_up_designated_institutions():
    assert nantong().institution_lookup == {
        "in_province": ("江苏省医疗保障局官网", "http://ybj.jiangsu.gov.cn"),
        "cross_province": ("国家医保服务平台", "https://fuwu.nhsa.gov.cn"),
    }
    assert sheyang().institution_lookup == {}


def test_mail_needs_the_downloadable_form():
    forms = {t.code: t.mail_forms for t in nantong().types}
    assert "登记备案表" in forms["long_term_resident"]
    assert "个人承诺书" in forms["long_term_resident"]
    assert "登记备案表" in forms["other_temporary"]
    assert "个人承诺书" not in forms["other_temporary"]
    assert all("mail" in t.channels for t in nantong().types if t.mail_forms)


@pytest.mark.parametrize(("level", "ok"), [(1, False), (2, True), (3, True), (None, True)])
def test_nantong_referrals_come_from_level_two_or_higher(level, ok):
    referral = rules.registration_type(nantong(), "referral")
    if ok:
        rules.referrer_check(referral, level=level, can_refer=None)
    else:
        with pytest.raises(rules.PolicyError):
            rules.referrer_check(referral, level=level, can_refer=None)


def test_sheyang_referrals_come_from_hospitals_with_referral_rights():
    referral = rules.registration_type(sheyang(), "referral")
    rules.referrer_check(referral, level=None, can_refer=True)
    with pytest.raises(rules.PolicyError):
        rules.referrer_check(referral, level=3, can_refer=False)
