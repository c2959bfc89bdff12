"""POST /api/v1/policy/quote/ and GET /api/v1/policy/registration-types/ as API.md specifies."""

import datetime

import pytest
from django.utils import timezone

from policy import selectors
from policy.models import RuleSet

pytestmark = pytest.mark.django_db

QUOTE = "/api/v1/policy/quote/"
TYPES = "/api/v1/policy/registration-types/"
NANTONG_TYPES = ["retired_resettled", "long_term_resident", "posted_worker", "referral", "emergency", "other_temporary"]
SHEYANG_TYPES = ["retired_resettled", "long_term_resident", "posted_worker", "referral"]
EXPECTED_POINTS = {"nantong": [0, 0, 0, 10, 10, 20], "sheyang": [0, 0, 0, 0]}


def quote(api_client, language="zh-hans", **fields):
    return api_client.post(QUOTE, fields, format="json", HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize(("jurisdiction", "codes"), [("nantong", NANTONG_TYPES), ("sheyang", SHEYANG_TYPES)])
@pytest.mark.parametrize("care_scope", ["in_province", "cross_province"])
def test_quote_answers_every_type_and_scope(api_client, jurisdiction, codes, care_scope):
    for code, points in zip(codes, EXPECTED_POINTS[jurisdiction], strict=True):
        response = quote(
            api_client, jurisdiction=jurisdiction, registration_type=code, care_scope=care_scope, on_date="2026-05-10"
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["jurisdiction"] == jurisdiction
        assert body["registration_type"]["code"] == code
        assert body["reduction_points"] == points
        assert body["catalogue"] == ("jiangsu_unified" if care_scope == "in_province" else "care_region")
        assert body["validity"]["starts"] == "2026-05-10"
        assert set(body["ruleset"]) >= {"id", "effective_from", "source"}
        assert set(body["registration_type"]) >= {"code", "category", "name_zh"}
        assert body["special_disease"] is None
        assert "claim_materials" not in body


def test_quote_referral_in_nantong(api_client):
    body = quote(
        api_client,
        jurisdiction="nantong",
        registration_type="referral",
        care_scope="cross_province",
        on_date="2026-05-10",
        expense_date="2026-06-01",
    ).json()
    assert body["validity"] == {"starts": "2026-05-10", "ends": "2027-05-09", "rule": "fixed_months"}
    assert body["claim_deadline"] == "2026-12-31"
    assert body["claim_deadline_extended"] == "2027-03-31"
    assert [m["code"] for m in body["required_materials"]] == ["identity", "referral_certificate"]
    identity = body["required_materials"][0]
    assert {a["code"] for a in identity["alternatives"]} == {"e_voucher", "id_document", "social_security_card"}
    assert body["ruleset"]["effective_from"] == "2025-08-01"


def test_quote_long_term_ends_with_proof(api_client):
    body = quote(
        api_client,
        jurisdiction="nantong",
        registration_type="long_term_resident",
        care_scope="in_province",
        on_date="2026-05-10",
        proof_valid_until="2028-10-31",
    ).json()
    assert body["validity"] == {"starts": "2026-05-10", "ends": "2028-10-31", "rule": "proof_expiry"}
    assert body["reduction_points"] == 0


def test_quote_emergency_needs_no_validity(api_client):
    body = quote(
        api_client,
        jurisdiction="nantong",
        registration_type="emergency",
        care_scope="in_province",
        on_date="2026-05-10",
    ).json()
    assert body["validity"]["ends"] is None
    assert body["validity"]["rule"] == "not_required"
    assert body["reduction_points"] == 10
    assert body["required_materials"] == []


def test_quote_claim_materials_for_radiotherapy(api_client):
    body = quote(
        api_client,
        jurisdiction="nantong",
        registration_type="referral",
        care_scope="in_province",
        claim_kind="outpatient",
        treatment="tumour_radiotherapy",
    ).json()
    codes = [m["code"] for m in body["claim_materials"]]
    assert codes == [
        "social_security_card",
        "record_or_prescription",
        "invoices",
        "tumour_treatment_record",
        "radiotherapy_record",
    ]


def test_quote_special_disease_allowed_and_undetermined(api_client):
    allowed = quote(
        api_client,
        jurisdiction="nantong",
        registration_type="long_term_resident",
        care_scope="in_province",
        special_disease="malignant_tumour",
        institution_level=2,
    ).json()["special_disease"]
    assert allowed["allowed"] is True
    assert allowed["reason"]
    unknown = quote(
        api_client,
        jurisdiction="nantong",
        registration_type="long_term_resident",
        care_scope="in_province",
        special_disease="transplant_antirejection",
    ).json()["special_disease"]
    assert unknown["allowed"] is False
    assert "3" in unknown["reason"]


@pytest.mark.parametrize(
    ("fields", "field", "english"),
    [
        (
            {"jurisdiction": "sheyang", "registration_type": "other_temporary", "on_date": "2025-09-01"},
            "registration_type",
            "is not offered",
        ),
        (
            {"registration_type": "long_term_resident", "on_date": "2026-09-01", "proof_valid_until": "2026-01-01"},
            "proof_valid_until",
            "before the registration would start",
        ),
        (
            {"registration_type": "referral", "proof_valid_until": "2027-01-01"},
            "proof_valid_until",
            "does not depend on a proof",
        ),
        (
            {"registration_type": "referral", "special_disease": "dialysis", "institution_dialysis_qualified": False},
            "institution_dialysis_qualified",
            "qualified for dialysis",
        ),
        (
            {"registration_type": "referral", "special_disease": "malignant_tumour", "institution_level": 1},
            "institution_level",
            "level 2 or higher",
        ),
        ({"jurisdiction": "atlantis", "registration_type": "referral"}, "jurisdiction", "Unknown jurisdiction"),
        ({"registration_type": "referral", "on_date": "2020-01-01"}, "on_date", "No rules"),
        ({"registration_type": "referral", "care_scope": "moon"}, "care_scope", "not a valid choice"),
        ({"registration_type": "referral", "treatment": "tumour_treatment"}, "treatment", "claim_kind"),
        ({"registration_type": "referral", "institution_level": 4}, "institution_level", "not a valid choice"),
    ],
)
def test_quote_invalid_combinations_name_the_field(api_client, fields, field, english):
    payload = {"jurisdiction": "nantong", "care_scope": "in_province", **fields}
    response = quote(api_client, language="en", **payload)
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert field in body["errors"], body
    assert english in " ".join(body["errors"][field])


def test_quote_errors_are_in_chinese_by_default(api_client):
    body = quote(
        api_client,
        jurisdiction="sheyang",
        registration_type="other_temporary",
        care_scope="in_province",
        on_date="2025-09-01",
    ).json()
    assert "other_temporary" in body["errors"]["registration_type"][0]
    assert "不提供" in body["errors"]["registration_type"][0]


def test_registration_types_lists_what_is_offered_on_a_date(api_client):
    body = api_client.get(TYPES, {"jurisdiction": "nantong", "on": "2026-05-10"}).json()
    assert [t["code"] for t in body] == NANTONG_TYPES
    referral = body[3]
    assert set(referral) >= {
        "code",
        "category",
        "name_zh",
        "name_en",
        "validity_rule",
        "reduction_points",
        "required_materials",
        "channels",
    }
    assert referral["validity_rule"] == "fixed_months"
    assert referral["reduction_points"] == 10
    assert [t["code"] for t in api_client.get(TYPES, {"jurisdiction": "sheyang"}).json()] == SHEYANG_TYPES


def test_registration_types_errors(api_client):
    missing = api_client.get(TYPES, HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 400
    assert "jurisdiction" in missing.json()["errors"]
    too_early = api_client.get(TYPES, {"jurisdiction": "nantong", "on": "2024-01-01"})
    assert too_early.status_code == 400
    assert "on" in too_early.json()["errors"]


def test_warm_quote_touches_no_database(api_client, django_assert_num_queries):
    payload = {"jurisdiction": "nantong", "registration_type": "referral", "care_scope": "in_province"}
    assert quote(api_client, **payload).status_code == 200
    with django_assert_num_queries(0):
        assert quote(api_client, **payload).status_code == 200


def test_quote_and_types_are_public_and_in_schema(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/policy/quote/" in schema
    assert "/api/v1/policy/registration-types/" in schema
    assert "QuoteOutput" in schema


def test_a_new_version_changes_quotes_from_its_date_only(api_client):
    """An admin copies 南通 2025-08 to a version from 2027-01-01 and changes the referral reduction."""
    from policy import services

    current = RuleSet.objects.get(jurisdiction__code="nantong")
    new = services.ruleset_new_version(source=current, effective_from=datetime.date(2027, 1, 1), name="南通 2027-01")
    services.ruleset_publish(ruleset=new, backdated_ok=True)
    new.registration_types.filter(code="referral").update(reduction_points=15)
    selectors.invalidate()  # .update() sends no signal

    def points(day):
        return quote(
            api_client, jurisdiction="nantong", registration_type="referral", care_scope="in_province", on_date=day
        ).json()["reduction_points"]

    assert points("2026-12-31") == 10
    assert points("2027-01-01") == 15
    current.refresh_from_db()
    assert current.effective_to is None  # the old version was not touched


def test_a_kept_quote_answer_changes_with_the_rules(api_client):
    """Answers are kept in process per policy version: an admin's change shows at once."""
    from policy.models import RegistrationType

    def points():
        return quote(api_client, jurisdiction="nantong", registration_type="referral", care_scope="in_province").json()[
            "reduction_points"
        ]

    assert points() == points() == 10
    kind = RegistrationType.objects.get(ruleset__jurisdiction__code="nantong", code="referral")
    kind.reduction_points = 12
    kind.save()  # the signal gives the rules a new version
    assert points() == 12


def referral_points(api_client) -> int:
    return quote(api_client, jurisdiction="nantong", registration_type="referral", care_scope="in_province").json()[
        "reduction_points"
    ]


def test_a_change_made_by_another_process_shows_here_within_a_second(api_client, time_machine, policy_memo):
    """The rules' version is a row in the database, re-read at most once a second per process; the
    shared cache has no part in it, so flushing it (a Redis restart) changes nothing."""
    from django.core.cache import cache

    from policy.models import PolicyVersion, RegistrationType

    assert policy_memo <= 1.0
    time_machine.move_to(timezone.now(), tick=False)
    assert referral_points(api_client) == 10
    # What another process's change leaves in the database; this one's signals never ran.
    RegistrationType.objects.filter(ruleset__jurisdiction__code="nantong", code="referral").update(reduction_points=13)
    PolicyVersion.objects.filter(pk=1).update(token="changed-by-another-process")
    cache.clear()
    assert referral_points(api_client) == 10  # this process's answer, until it reads the version again
    time_machine.shift(policy_memo + 0.1)
    assert referral_points(api_client) == 13


def test_a_change_of_the_rules_rolled_back_is_never_answered(api_client):
    from django.db import transaction

    from policy.models import RegistrationType

    assert referral_points(api_client) == 10
    kind = RegistrationType.objects.get(ruleset__jurisdiction__code="nantong", code="referral")
    seen = []

    def change_then_fail():
        with transaction.atomic():
            kind.reduction_points = 12
            kind.save()
            seen.append(referral_points(api_client))  # the change's own transaction sees it
            raise RuntimeError("the admin's save failed further on")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert seen == [12]
    assert referral_points(api_client) == 10


def test_anonymous_calls_are_limited_per_client_and_users_per_account(api_client, enrollee, monkeypatch, time_machine):
    from rest_framework.throttling import AnonRateThrottle

    from common.throttling import AuthenticatedRateThrottle

    rates = {"anon": "3/minute", "user": "5/minute"}
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(AuthenticatedRateThrottle, "THROTTLE_RATES", rates)
    quote = {"jurisdiction": "nantong", "registration_type": "referral", "care_scope": "in_province"}
    time_machine.move_to("2026-12-28 10:00:05+08:00", tick=False)  # not at a minute's turn: windows follow the clock

    def codes(client, count, **extra):
        return [client.post("/api/v1/policy/quote/", quote, format="json", **extra).status_code for _ in range(count)]

    assert codes(api_client, 4) == [200, 200, 200, 429]
    assert codes(api_client, 1, REMOTE_ADDR="10.0.0.9") == [200]  # another client has its own count
    api_client.force_authenticate(enrollee)
    assert codes(api_client, 6) == [200] * 5 + [429]  # a logged-in user: the per-user limit only


def test_a_kept_quote_still_goes_through_content_negotiation(api_client):
    question = {"jurisdiction": "nantong", "registration_type": "referral", "care_scope": "in_province"}
    assert api_client.post("/api/v1/policy/quote/", question, format="json").status_code == 200  # now kept
    for _ in range(2):
        response = api_client.post("/api/v1/policy/quote/", question, format="json", HTTP_ACCEPT="application/xml")
        assert response.status_code == 406
