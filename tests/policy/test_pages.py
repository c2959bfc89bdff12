"""Public policy pages: the “which registration?” wizard, the rules in force, the versions.

Chinese-mode tests assert only on data from the database (names, numbers, phones): the
zh-Hans translations of the pages' own sentences are added separately.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

from policy import selectors

pytestmark = pytest.mark.django_db

WIZARD = "/policy/wizard/"
ON = "2026-05-10"


@pytest.fixture
def frozen_today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 10, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    return datetime.date(2026, 5, 10)


def ask(client, jurisdiction="nantong", situation="referred", care_scope="in_province", on=ON, **headers):
    query = {"jurisdiction": jurisdiction, "situation": situation, "care_scope": care_scope}
    if on is not None:
        query["on"] = on
    return client.get(WIZARD, query, **headers)


# --- The wizard ----------------------------------------------------------------------------


def test_wizard_without_answers_shows_the_questions(client):
    response = client.get(WIZARD)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["result"] is None
    assert 'method="get"' in html
    for value in ("nantong", "sheyang", "referred", "emergency", "other", "in_province", "cross_province"):
        assert f'value="{value}"' in html
    assert "南通市" in html
    assert "射阳县" in html
    assert "error-summary" not in html


@pytest.mark.parametrize(
    ("jurisdiction", "situation", "code", "name_zh"),
    [
        ("nantong", "retired_moved", "retired_resettled", "异地安置退休人员"),
        ("nantong", "living_elsewhere", "long_term_resident", "异地长期居住人员"),
        ("nantong", "posted", "posted_worker", "常驻异地工作人员"),
        ("nantong", "referred", "referral", "异地转诊人员"),
        ("nantong", "emergency", "emergency", "异地急诊抢救人员"),
        ("nantong", "other", "other_temporary", "其他临时外出就医人员"),
        ("sheyang", "retired_moved", "retired_resettled", "异地安置退休人员"),
        ("sheyang", "living_elsewhere", "long_term_resident", "异地长期居住人员"),
        ("sheyang", "posted", "posted_worker", "常驻异地工作人员"),
        ("sheyang", "referred", "referral", "异地转诊人员"),
    ],
)
def test_wizard_recommends_the_type_for_the_answers(client, jurisdiction, situation, code, name_zh):
    response = ask(client, jurisdiction, situation)
    assert response.status_code == 200
    result = response.context["result"]
    assert result.recommended.rule.code == code
    assert result.ruleset.jurisdiction == jurisdiction
    html = response.content.decode()
    assert f'class="card type-card recommended" id="type-{code}"' in html
    assert f"<strong>{name_zh}</strong>" in html
    # Side by side with every other type the rule set offers on that date.
    offered = {t.code for t in selectors.ruleset_for(jurisdiction, datetime.date(2026, 5, 10)).types}
    assert {card.rule.code for card in result.alternatives} == offered - {code}
    for other in offered - {code}:
        assert f'class="card type-card" id="type-{other}"' in html


def test_wizard_referral_shows_points_validity_materials_and_channels(client):
    response = ask(client, "nantong", "referred", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    referral = response.context["result"].recommended
    assert referral.rule.reduction_points == 10
    assert referral.validity.ends == datetime.date(2027, 5, 9)
    assert "Referred by a hospital" in html
    assert "Reimbursement lowered by 10 percentage points" in html
    assert "12 months" in html
    assert "May 9, 2027" in html
    assert "Referral certificate" in html
    assert "At the referring hospital" in html  # Channel label
    assert "File it; office staff review it" in html
    assert "Level 2 (二级) or higher" in html  # who may refer, from the data
    assert 'id="referral-note"' not in html


def test_wizard_leads_a_visitor_or_an_enrollee_insured_there_on_to_the_filing(client, enrollee):
    filing = 'href="/registrations/new/referral/"'
    assert filing in ask(client, "nantong", "referred").content.decode()  # a visitor logs in on the way
    client.force_login(enrollee)  # insured at 南通
    assert filing in ask(client, "nantong", "referred").content.decode()
    assert filing not in ask(client, "sheyang", "referred").content.decode()  # files under 南通's rules, not these
    questions = client.get(WIZARD).content.decode()
    assert re.search(r'<input[^>]*value="nantong"[^>]*checked', questions)  # the account knows where


def test_wizard_warns_that_a_referral_loses_fewer_points_than_other_temporary(client):
    response = ask(client, "nantong", "other", HTTP_ACCEPT_LANGUAGE="en")
    result = response.context["result"]
    assert result.recommended.rule.code == "other_temporary"
    assert result.cheaper_referral.code == "referral"
    # the other temporary types sit right beside it, the long-term ones after
    assert [card.rule.code for card in result.alternatives][:2] == ["referral", "emergency"]
    html = response.content.decode()
    note = html[html.index('id="referral-note"') :]
    note = note[: note.index("</div>")]
    assert "lowers your reimbursement by 20 percentage points" in note
    assert "lowers it by only 10" in note
    assert "Referred by a hospital" in note
    assert 'href="#type-referral"' in note


@pytest.fixture
def nantong_referral_points():
    from policy.models import RegistrationType

    def set_points(points):
        registration_type = RegistrationType.objects.get(ruleset__jurisdiction__code="nantong", code="referral")
        registration_type.reduction_points = points
        registration_type.save()  # the signal invalidates the cached snapshots

    return set_points


def test_wizard_referral_note_follows_the_data(client, nantong_referral_points):
    nantong_referral_points(20)  # a version where a referral saves nothing: no note
    response = ask(client, "nantong", "other")
    assert response.context["result"].cheaper_referral is None
    assert 'id="referral-note"' not in response.content.decode()


def test_wizard_emergency_needs_no_filing(client):
    response = ask(client, "nantong", "emergency", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    emergency = response.context["result"].recommended
    assert emergency.rule.filing_required is False
    assert 'id="no-filing-note"' in html
    note = html[html.index('id="no-filing-note"') :]
    note = note[: note.index("</div>")]
    assert "counts as registered" in note
    assert "Reimbursement lowered by 10 percentage points" in note
    card = html[html.index('id="type-emergency"') :]
    card = card[: card.index("</li>")]
    assert "No filing needed" in card
    assert "What to bring" not in card


def test_wizard_says_so_when_the_rules_lack_the_type(client):
    response = ask(client, "sheyang", "emergency", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    result = response.context["result"]
    assert result.recommended is None
    assert result.situation == "emergency"
    html = response.content.decode()
    assert 'id="not-offered-note"' in html
    assert "射阳 2019-08" in html
    assert "Emergency care or rescue while away" not in html  # no name invented for the missing type
    for name in ("Retired and resettled elsewhere", "Living elsewhere long-term", "Referred by a hospital"):
        assert name in html
    assert 'href="tel:0515-82330035"' in html  # ask the office


def test_wizard_other_temporary_not_offered_in_sheyang_lists_the_offered_types(client):
    response = ask(client, "sheyang", "other")
    html = response.content.decode()
    assert response.context["result"].recommended is None
    assert 'id="not-offered-note"' in html
    assert 'id="referral-note"' not in html
    assert "异地转诊人员" in html


def test_wizard_claim_window_from_the_rules(client):
    response = ask(client, "nantong", "referred", HTTP_ACCEPT_LANGUAGE="en")
    result = response.context["result"]
    assert (result.claim_deadline, result.claim_extension) == (datetime.date(2026, 12, 31), datetime.date(2027, 3, 31))
    html = response.content.decode()
    assert "<strong>Dec. 31, 2026</strong>" in html
    assert "<strong>March 31, 2027</strong>" in html
    assert 'id="ask-office"' not in html


def test_wizard_without_a_claim_window_points_to_the_office_phones(client):
    response = ask(client, "sheyang", "referred", HTTP_ACCEPT_LANGUAGE="en")
    result = response.context["result"]
    assert result.claim_deadline is None
    html = response.content.decode()
    assert "state no deadline" in html
    assert 'id="ask-office"' in html
    assert 'href="tel:0515-82330035"' in html


@pytest.mark.parametrize(
    ("care_scope", "catalogue", "settled"),
    [
        ("in_province", "Jiangsu's unified drug, treatment and facility lists", "Pharmacy purchases"),
        ("cross_province", "The care region's lists", "Pharmacy purchases"),
    ],
)
def test_wizard_catalogue_and_direct_settlement_for_the_care_scope(client, care_scope, catalogue, settled):
    response = ask(client, "nantong", "referred", care_scope, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.context["result"].catalogue == catalogue
    assert catalogue.replace("'", "&#x27;") in html
    assert settled in html


def test_wizard_sheyang_cross_province_settles_inpatient_only(client):
    result = ask(client, "sheyang", "referred", "cross_province", HTTP_ACCEPT_LANGUAGE="en").context["result"]
    assert result.direct_settlement == ("Inpatient",)


def test_wizard_date_defaults_to_today(client, frozen_today):
    response = ask(client, on=None)
    result = response.context["result"]
    assert result.on == frozen_today
    assert result.recommended.validity.ends == datetime.date(2027, 5, 9)


def test_wizard_uses_the_rules_in_force_on_the_date(client, frozen_today):
    from policy import services
    from policy.models import RegistrationType, RuleSet

    source = RuleSet.objects.get(jurisdiction__code="nantong")
    new = services.ruleset_new_version(source=source, effective_from=datetime.date(2027, 1, 1), name="南通 2027-01")
    services.ruleset_publish(ruleset=new, backdated_ok=True)
    RegistrationType.objects.filter(ruleset=new, code="referral").update(reduction_points=5)
    selectors.invalidate()
    assert ask(client, on="2026-12-31").context["result"].recommended.rule.reduction_points == 10
    later = ask(client, on="2027-01-01").context["result"]
    assert later.ruleset.name == "南通 2027-01"
    assert later.recommended.rule.reduction_points == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"on": "2026-02-30"}, "on"),
        ({"on": "tomorrow"}, "on"),
        ({"on": "9999-12-31"}, "on"),
        ({"on": "2024-01-01"}, "on"),  # before 南通's rules start
        ({"jurisdiction": "shanghai"}, "jurisdiction"),
        ({"situation": "tourist"}, "situation"),
        ({"care_scope": "abroad"}, "care_scope"),
        ({"situation": ""}, "situation"),
    ],
)
def test_wizard_bad_answers_show_the_form_with_an_error(client, query, field):
    answers = {"jurisdiction": "nantong", "situation": "referred", "care_scope": "in_province", "on": ON}
    response = client.get(WIZARD, answers | query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["result"] is None
    assert list(response.context["form"].errors) == [field]
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert f'href="#field-{field}"' in html


def test_wizard_date_before_the_rules_names_the_earliest_date(client):
    response = ask(client, on="2024-01-01", HTTP_ACCEPT_LANGUAGE="en")
    assert "2025-08-01" in response.context["form"].errors["on"][0]
    assert 'aria-invalid="true"' in response.content.decode()


def test_wizard_keeps_the_answers_in_the_form(client):
    html = ask(client, "sheyang", "posted", "cross_province").content.decode()
    assert 'value="sheyang" id="id_jurisdiction_1" checked' in html
    assert 'value="posted" id="id_situation_2" checked' in html
    assert 'value="cross_province" id="id_care_scope_1" checked' in html
    assert f'value="{ON}"' in html


def test_wizard_query_count_is_bounded(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(13):  # jurisdictions + building the rule-set snapshots
        ask(client, "sheyang", "emergency")
    with django_assert_max_num_queries(3):  # warm: jurisdictions, offices and their phones
        ask(client, "sheyang", "emergency")
    with django_assert_max_num_queries(1):
        ask(client, "nantong", "referred")


def test_wizard_in_chinese_shows_the_names_from_the_data(client):
    html = ask(client, "nantong", "other").content.decode()
    assert '<html lang="zh-Hans">' in html
    assert "<strong>其他临时外出就医人员</strong>" in html
    assert "异地转诊人员" in html
    assert "转诊转院证明" in html
    assert "医保电子凭证" in html
    assert "Referred by a hospital" not in html
    assert "2026年12月31日" in html


def test_wizard_in_english_shows_the_english_names(client):
    html = ask(client, "nantong", "other", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert "<strong>Other temporary care elsewhere</strong>" in html
    assert "Medical-insurance e-voucher" in html
    assert "Nantong" in html
    assert "异地转诊人员" not in html


def test_policy_pages_are_public_and_the_same_when_logged_in(client, enrollee):
    anonymous = ask(client, "nantong", "referred").context["result"]
    client.force_login(enrollee)
    logged_in = ask(client, "nantong", "referred").context["result"]
    assert anonymous == logged_in
    assert client.get("/policy/").status_code == 200


# --- The rules in force and their versions ---------------------------------------------------


def test_index_lists_jurisdictions_with_their_versions(client, frozen_today, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):  # jurisdictions + building the rule-set snapshots
        response = client.get("/policy/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nantong" in html
    assert "Sheyang County" in html
    assert "南通 2025-08" in html
    assert "射阳 2019-08" in html
    assert 'href="/policy/nantong/"' in html
    assert 'href="/policy/sheyang/"' in html
    assert 'href="/policy/wizard/"' in html
    assert html.count('<span class="badge">in force today</span>') == 2


def test_current_rules_of_nantong(client, frozen_today, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = client.get("/policy/nantong/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    with django_assert_max_num_queries(4):  # warm: the jurisdiction and three source references
        client.get("/policy/nantong/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    overview = response.context["overview"]
    assert overview.ruleset.name == "南通 2025-08"
    assert [card.rule.code for card in overview.types] == [
        "retired_resettled",
        "long_term_resident",
        "posted_worker",
        "referral",
        "emergency",
        "other_temporary",
    ]
    for card in overview.types:
        assert card.rule.source_ref in html
    assert "Reimbursement lowered by 20 percentage points" in html
    assert "No reduction" in html
    assert "As long as the proof you submit is valid" in html
    assert "南通市基本医疗保险参保人员异地就医登记备案表" in html  # what to mail
    assert "December 31 of the expense year" in html
    assert "March 31 of the next year" in html
    assert "当年发生的医疗费用应在当年12月底前报销" in html  # the claim window's source
    assert overview.claim_materials[0].claim_kind == "Outpatient"
    assert "Radiotherapy record sheet" in html
    assert "Also for Malignant tumour radiotherapy" in html
    assert "Discharge summary" in html
    assert "The care region&#x27;s lists" in html
    assert "https://fuwu.nhsa.gov.cn" in html
    assert "Pharmacy purchases" in html
    assert "一单制" in html  # the settlement scope's source
    assert "End-stage renal disease, outpatient dialysis" in html
    assert "an institution qualified for dialysis" in html
    assert "lowers your reimbursement by only 10 percentage points" in html  # the referral note
    assert list(overview.cheaper_referrals) == ["other_temporary"]


def test_current_rules_of_sheyang_send_claims_to_the_office(client, frozen_today):
    response = client.get("/policy/sheyang/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    overview = response.context["overview"]
    assert overview.claim_deadline is None
    assert "state no deadline" in html
    assert 'href="tel:0515-82330035"' in html
    assert overview.claim_materials == ()
    assert "These rules list no claim materials" in html
    assert "These rules set no special-disease designation" in html
    assert "Until you change or cancel it" in html  # 射阳 referral: open-ended
    assert "with referral rights" in html
    assert "Outpatient (only in 上海市)" in html


def test_current_rules_in_chinese_show_the_data(client, frozen_today):
    html = client.get("/policy/nantong/").content.decode()
    assert "异地急诊抢救人员" in html
    assert "有效票据及明细清单" in html
    assert "南通 Q8 报销材料、办理时限" in html


def test_current_rules_of_an_unknown_jurisdiction_is_404(client):
    assert client.get("/policy/shanghai/").status_code == 404
    assert client.get("/policy/shanghai/changes/").status_code == 404


def test_current_rules_before_any_version_starts(client, time_machine):
    time_machine.move_to(datetime.datetime(2025, 1, 1, 12, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    response = client.get("/policy/nantong/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["overview"] is None
    assert "2025-08-01" in response.context["error"]
    assert "南通 2025-08" in response.content.decode()  # the versions are still listed


def test_home_and_nav_link_the_wizard_and_the_rules(client):
    html = client.get("/").content.decode()
    assert html.count('href="/policy/wizard/"') >= 2  # nav and home
    assert 'href="/policy/"' in html


# --- Which type an answer leads to is data -------------------------------------------------


@pytest.fixture
def nantong_type():
    from policy.models import RegistrationType

    def change(code, **fields):
        registration_type = RegistrationType.objects.get(ruleset__jurisdiction__code="nantong", code=code)
        for name, value in fields.items():
            setattr(registration_type, name, value)
        registration_type.save()  # the signal invalidates the cached snapshots

    return change


def test_wizard_recommends_the_type_the_data_gives_the_answer(client, nantong_type):
    nantong_type("posted_worker", wizard_situation="")
    nantong_type("other_temporary", wizard_situation="posted")
    assert ask(client, "nantong", "posted").context["result"].recommended.rule.code == "other_temporary"
    nobody = ask(client, "nantong", "other")
    assert nobody.context["result"].recommended is None
    assert 'id="not-offered-note"' in nobody.content.decode()


def test_wizard_compares_with_the_type_the_data_gives_referrals(client, nantong_type):
    nantong_type("referral", wizard_situation="")  # the rules of this version know no referral
    response = ask(client, "nantong", "other")
    assert response.context["result"].cheaper_referral is None
    assert 'id="referral-note"' not in response.content.decode()
