"""Admins keep the rules: new versions from a future date, overlaps refused with a clear error."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from policy.models import RuleSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def _ruleset_form(ruleset, **changes):
    """The admin change form's POST data for a rule set with no inline rows changed."""
    data = {
        "jurisdiction": ruleset.jurisdiction_id,
        "name": ruleset.name,
        "effective_from": ruleset.effective_from.isoformat(),
        "effective_to": ruleset.effective_to.isoformat() if ruleset.effective_to else "",
        "source": ruleset.source,
        "source_ref": ruleset.source_ref,
        "claim_deadline_month": ruleset.claim_deadline_month or "",
        "claim_deadline_day": ruleset.claim_deadline_day or "",
        "claim_extension_month": ruleset.claim_extension_month or "",
        "claim_extension_day": ruleset.claim_extension_day or "",
        "claim_extension_year_offset": ruleset.claim_extension_year_offset,
        "claim_window_source_ref": ruleset.claim_window_source_ref,
    }
    for prefix in (
        "registration_types",
        "catalogue_rules",
        "settlement_scopes",
        "special_disease_rules",
        "benefit_rows",
    ):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data | changes


def test_admin_copies_a_rule_set_as_a_new_future_version(admin_client, admin_user):
    nantong = RuleSet.objects.get(jurisdiction__code="nantong")
    url = reverse("admin:policy_ruleset_new_version", args=[nantong.pk])
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(url, {"name": "南通 2027-01", "effective_from": "2027-01-01"})
    new = RuleSet.objects.get(name="南通 2027-01")
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{new.pk}/change/")
    assert new.registration_types.count() == 6
    assert new.material_groups.count() == nantong.material_groups.count()
    assert new.catalogue_rules.count() == 2
    assert new.special_disease_rules.count() == 4
    copied_option = new.material_groups.get(code="residence_proof").options.get(code="household_register")
    assert sorted(copied_option.document_kinds.values_list("code", flat=True)) == [
        "household_register_front",
        "permanent_residence_card",
    ]
    assert new.material_groups.get(code="residence_proof").registration_type.ruleset == new


@pytest.mark.parametrize("start", ["2025-08-01", "2025-01-01"])
def test_admin_refuses_a_new_version_starting_on_or_before_the_one_it_copies(admin_client, start):
    nantong = RuleSet.objects.get(jurisdiction__code="nantong")
    url = reverse("admin:policy_ruleset_new_version", args=[nantong.pk])
    response = admin_client.post(url, {"name": "dup", "effective_from": start}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert f"A new version starts after the one it copies: “{nantong.name}” starts on 2025-08-01." in (
        response.content.decode()
    )
    assert not RuleSet.objects.filter(name="dup").exists()


def test_admin_refuses_an_explicit_end_that_reaches_into_the_next_version(admin_client):
    nantong = RuleSet.objects.get(jurisdiction__code="nantong")
    from policy import services

    services.ruleset_new_version(source=nantong, effective_from=datetime.date(2027, 1, 1), name="南通 2027-01")
    url = reverse("admin:policy_ruleset_change", args=[nantong.pk])
    response = admin_client.post(url, _ruleset_form(nantong, effective_to="2027-06-30"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "overlaps “南通 2027-01”" in response.content.decode()
    nantong.refresh_from_db()
    assert nantong.effective_to is None


def test_admin_can_end_a_version_before_the_next(admin_client):
    nantong = RuleSet.objects.get(jurisdiction__code="nantong")
    url = reverse("admin:policy_ruleset_change", args=[nantong.pk])
    response = admin_client.post(url, _ruleset_form(nantong, effective_to="2026-12-31"))
    assert response.status_code == 302
    nantong.refresh_from_db()
    assert nantong.effective_to == datetime.date(2026, 12, 31)
    assert nantong.history.first().history_type == "~"


def test_admin_rejects_a_claim_deadline_that_is_not_a_date(admin_client):
    nantong = RuleSet.objects.get(jurisdiction__code="nantong")
    url = reverse("admin:policy_ruleset_change", args=[nantong.pk])
    response = admin_client.post(url, _ruleset_form(nantong, claim_deadline_month=2, claim_deadline_day=30))
    assert response.status_code == 200
    nantong.refresh_from_db()
    assert (nantong.claim_deadline_month, nantong.claim_deadline_day) == (12, 31)


def test_admin_rejects_an_extension_before_the_deadline(admin_client):
    nantong = RuleSet.objects.get(jurisdiction__code="nantong")
    url = reverse("admin:policy_ruleset_change", args=[nantong.pk])
    response = admin_client.post(url, _ruleset_form(nantong, claim_extension_year_offset=0))
    assert response.status_code == 200
    nantong.refresh_from_db()
    assert nantong.claim_extension_year_offset == 1


# --- Drafts: a new version judges nothing until it is published, and can be previewed first ------


def _draft(reduction_points=15):
    from policy import services

    source = RuleSet.objects.get(jurisdiction__code="nantong")
    draft = services.ruleset_new_version(source=source, effective_from=datetime.date(2027, 1, 1), name="南通 2027-01")
    referral = draft.registration_types.get(code="referral")
    referral.reduction_points = reduction_points
    referral.save()
    return draft


QUESTION = {"jurisdiction": "nantong", "registration_type": "referral", "care_scope": "in_province"}


@pytest.fixture(autouse=True)
def _before_the_draft_starts(time_machine):
    # The drafts below start on 2027-01-01; publishing one later would need the back-dating yes.
    time_machine.move_to(datetime.datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")))


def test_a_draft_version_answers_no_quote(api_client):
    _draft()
    answer = api_client.post("/api/v1/policy/quote/", {**QUESTION, "on_date": "2027-03-01"}, format="json").json()
    assert answer["ruleset"]["name"] != "南通 2027-01"
    assert answer["reduction_points"] == 10


def test_the_preview_answers_under_the_draft_beside_the_rules_in_force(admin_client):
    draft = _draft(reduction_points=15)
    url = reverse("admin:policy_ruleset_preview", args=[draft.pk])
    page = admin_client.get(
        url,
        {"registration_type": "referral", "care_scope": "in_province", "on_date": "2027-03-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "This version is a draft" in page
    both = page[page.index('class="preview-answers"') :]
    assert "南通 2027-01 (2027-01-01)" in both
    assert "<td>15</td>" in both  # the draft's reduction
    assert "<td>10</td>" in both  # the rules in force
    assert "A fixed number of months, <code>fixed_months</code>" in both  # named, with the code


def test_publishing_asks_first_then_puts_the_version_in_force(admin_client, api_client):
    draft = _draft(reduction_points=15)
    url = reverse("admin:policy_ruleset_publish", args=[draft.pk])
    assert "Publish this version" in admin_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    draft.refresh_from_db()
    assert draft.published is False  # looking at the question changes nothing
    assert admin_client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.published is True
    assert draft.published_at is not None
    answer = api_client.post("/api/v1/policy/quote/", {**QUESTION, "on_date": "2027-03-01"}, format="json").json()
    assert answer["reduction_points"] == 15


def test_a_version_without_registration_types_is_not_published_and_says_why(admin_client):
    draft = _draft()
    draft.material_groups.all().delete()
    draft.registration_types.all().delete()
    response = admin_client.post(reverse("admin:policy_ruleset_publish", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "“南通 2027-01” offers no registration type yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.published is False


def test_the_public_changes_page_leaves_drafts_out(client):
    _draft()
    page = client.get(reverse("policy:changes", args=["nantong"])).content.decode()
    assert "南通 2027-01" not in page


def test_a_back_dated_version_is_published_only_when_the_admin_confirms(admin_client):
    from django.utils import timezone

    from policy import services

    source = RuleSet.objects.get(jurisdiction__code="nantong")
    start = timezone.localdate() - datetime.timedelta(days=3)
    draft = services.ruleset_new_version(source=source, effective_from=start, name="南通 late")
    url = reverse("admin:policy_ruleset_publish", args=[draft.pk])
    assert 'name="backdated_ok"' in admin_client.get(url).content.decode()
    refused = admin_client.post(url, HTTP_ACCEPT_LANGUAGE="en")
    assert f"starts on {start.isoformat()}, before today" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.published is False
    assert admin_client.post(url, {"backdated_ok": "1"}).status_code == 302
    draft.refresh_from_db()
    assert draft.published is True


def test_reverting_a_published_version_to_its_draft_history_keeps_it_in_force(admin_client):
    from policy import services

    draft = _draft()
    services.ruleset_publish(ruleset=draft)
    before_publishing = draft.history.earliest()
    assert before_publishing.published is False
    url = reverse("admin:policy_ruleset_simple_history", args=[draft.pk, before_publishing.history_id])
    assert admin_client.post(url, _ruleset_form(draft)).status_code == 302
    draft.refresh_from_db()
    assert draft.published is True
    assert draft.published_at is not None


def test_a_published_version_cannot_be_deleted_but_a_draft_can(admin_client):
    in_force = RuleSet.objects.get(jurisdiction__code="nantong")
    assert (
        admin_client.post(reverse("admin:policy_ruleset_delete", args=[in_force.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert RuleSet.objects.filter(pk=in_force.pk).exists()
    changelist = admin_client.get(reverse("admin:policy_ruleset_changelist")).content.decode()
    assert "delete_selected" not in changelist
    draft = _draft()
    assert (
        admin_client.post(reverse("admin:policy_ruleset_delete", args=[draft.pk]), {"post": "yes"}).status_code == 302
    )
    assert not RuleSet.objects.filter(pk=draft.pk).exists()


def test_the_preview_date_is_an_iso_date_in_chinese_too(admin_client):
    draft = _draft()
    page = admin_client.get(reverse("admin:policy_ruleset_preview", args=[draft.pk])).content.decode()
    assert 'type="date" name="on_date" value="2027-01-01"' in page


# --- What a type is for: one type per wizard answer, one rescue default, per rule set ------------


def _new_type(code, **fields):
    return {
        "code": code,
        "category": "temporary",
        "name_zh": code,
        "name_en": code,
        "validity_rule": "fixed_months",
        "validity_months": 12,
        "reduction_points": 10,
        "filing_required": "on",
        "review_required": "on",
        "channels": ["online"],
        "position": 0,
        "source_ref": "test",
        **fields,
    }


def _new_version(*types):
    data = _ruleset_form(RuleSet.objects.get(jurisdiction__code="nantong"), name="南通 2027-01")
    data |= {"effective_from": "2027-01-01", "registration_types-TOTAL_FORMS": len(types)}
    for index, row in enumerate(types):
        data |= {f"registration_types-{index}-{name}": value for name, value in row.items()}
    return data


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"wizard_situation": "referred"}, "Two types answer the same wizard situation"),
        ({"rescue_default": "on"}, "Only one type can be filed for care without registering"),
    ],
)
def test_two_new_types_of_one_save_cannot_share_a_purpose(admin_client, flags, message):
    data = _new_version(_new_type("a", **flags), _new_type("b", **flags))
    response = admin_client.post(reverse("admin:policy_ruleset_add"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RuleSet.objects.filter(name="南通 2027-01").exists()


def test_a_wizard_answer_taken_by_another_type_is_refused_on_the_type_page(admin_client):
    from django.forms.models import model_to_dict

    from policy.models import RegistrationType

    referral = RegistrationType.objects.get(ruleset__jurisdiction__code="nantong", code="referral")
    data = {key: "" if value is None else value for key, value in model_to_dict(referral).items()}
    data = {key: value for key, value in data.items() if value is not False}  # unticked boxes are not sent
    url = reverse("admin:policy_registrationtype_change", args=[referral.pk])
    response = admin_client.post(url, {**data, "wizard_situation": "other"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Another type of this rule set already answers this wizard situation." in response.content.decode()
    referral.refresh_from_db()
    assert referral.wizard_situation == "referred"
    response = admin_client.post(url, {**data, "rescue_default": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Another type of this rule set is already filed for care without registering." in (response.content.decode())


def test_the_purpose_flags_say_what_is_wrong_with_them():
    from django.core.exceptions import ValidationError

    from policy.models import MaterialGroup, RegistrationType

    emergency = RegistrationType.objects.get(ruleset__jurisdiction__code="nantong", code="emergency")
    emergency.rescue_default = True
    with pytest.raises(ValidationError) as error:
        emergency.full_clean()
    assert "rescue_default" in error.value.message_dict  # the guide cannot file what is never filed

    nantong = MaterialGroup.objects.filter(ruleset__jurisdiction__code="nantong")
    identity = nantong.get(registration_type__code="referral", code="identity")  # 12 months, whatever its papers say
    agent_group = nantong.get(registration_type__code="long_term_resident", code="agent_id")
    claim_group = nantong.filter(purpose="claim").first()
    for group in (identity, agent_group, claim_group):
        group.sets_validity = True
        with pytest.raises(ValidationError) as error:
            group.full_clean()
        assert "sets_validity" in error.value.message_dict, group.code
