"""What changed between two versions of a jurisdiction's rules (policy.diff, pure)."""

import dataclasses
import datetime

import pytest

from policy import selectors, services
from policy.diff import FieldChange, ruleset_diff
from policy.models import CatalogueRule, MaterialGroup, RegistrationType, RuleSet, SettlementScope
from policy.rules import MaterialOptionRule, MonthDay, SettlementScopeRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def nantong():
    return selectors.ruleset_for("nantong", datetime.date(2026, 5, 10))


def _replace_type(snapshot, code, **changes):
    types = tuple(dataclasses.replace(t, **changes) if t.code == code else t for t in snapshot.types)
    return dataclasses.replace(snapshot, id=snapshot.id + 1000, types=types)


def test_ruleset_diff_of_a_version_with_itself_is_empty(nantong):
    assert ruleset_diff(nantong, dataclasses.replace(nantong, id=999)).is_empty


def test_ruleset_diff_reports_a_changed_reduction_and_channels(nantong):
    new = _replace_type(nantong, "referral", reduction_points=5, channels=("hospital", "window"))
    diff = ruleset_diff(nantong, new)
    assert not diff.is_empty
    assert [c.code for c in diff.types_changed] == ["referral"]
    fields = {c.field: c for c in diff.types_changed[0].fields}
    assert fields["reduction_points"] == FieldChange("reduction_points", 10, 5)
    assert fields["channels"].new == ("hospital", "window")
    assert not diff.types_changed[0].materials


def test_ruleset_diff_ignores_source_references(nantong):
    new = _replace_type(nantong, "referral", source_ref="another document, §1")
    assert ruleset_diff(nantong, new).is_empty


def test_ruleset_diff_reports_types_added_and_removed(nantong):
    extra = dataclasses.replace(nantong.types[0], code="family_visit", name_zh="探亲人员", name_en="Visiting family")
    without_emergency = tuple(t for t in nantong.types if t.code != "emergency")
    new = dataclasses.replace(nantong, id=999, types=(*without_emergency, extra))
    diff = ruleset_diff(nantong, new)
    assert [t.code for t in diff.types_added] == ["family_visit"]
    assert [t.code for t in diff.types_removed] == ["emergency"]
    assert diff.types_changed == ()


def test_ruleset_diff_reports_materials_added_removed_and_options_changed(nantong):
    groups = []
    for group in nantong.material_groups:
        if group.registration_type == "long_term_resident" and group.code == "residence_proof":
            kept = tuple(o for o in group.options if o.code != "commitment_letter")
            extra = MaterialOptionRule("rental_contract", "租房合同", "Rental contract", ())
            group = dataclasses.replace(group, options=(*kept, extra))
        if group.registration_type == "referral" and group.code == "referral_certificate":
            continue
        groups.append(group)
    diff = ruleset_diff(nantong, dataclasses.replace(nantong, id=999, material_groups=tuple(groups)))

    changes = {c.code: c for c in diff.types_changed}
    assert set(changes) == {"long_term_resident", "referral"}
    assert changes["long_term_resident"].fields == ()
    residence = changes["long_term_resident"].materials.changed[0]
    assert residence.code == "residence_proof"
    assert [o.code for o in residence.options_added] == ["rental_contract"]
    assert [o.code for o in residence.options_removed] == ["commitment_letter"]
    assert [g.code for g in changes["referral"].materials.removed] == ["referral_certificate"]


def test_ruleset_diff_reports_documents_of_an_option(nantong):
    groups = []
    for group in nantong.material_groups:
        if group.purpose == "claim" and group.claim_kind == "inpatient" and group.code == "invoices":
            option = group.options[0]
            group = dataclasses.replace(group, options=(dataclasses.replace(option, documents=option.documents[:1]),))
        groups.append(group)
    diff = ruleset_diff(nantong, dataclasses.replace(nantong, id=999, material_groups=tuple(groups)))
    assert diff.types_changed == ()
    assert [c.claim_kind for c in diff.claim_materials] == ["inpatient"]
    option_change = diff.claim_materials[0].materials.changed[0].options_changed[0]
    assert [c.field for c in option_change.fields] == ["documents"]


def test_ruleset_diff_reports_claim_window_catalogue_settlement_and_lookup(nantong):
    new = dataclasses.replace(
        nantong,
        id=999,
        claim_extension=None,
        catalogue={**nantong.catalogue, "cross_province": "jiangsu_unified"},
        settlement=(*nantong.settlement[1:], SettlementScopeRule("cross_province", "上海市", "outpatient")),
        institution_lookup={"in_province": nantong.institution_lookup["in_province"]},
    )
    diff = ruleset_diff(nantong, new)
    assert diff.claim_window.old_extension == MonthDay(3, 31, 1)
    assert diff.claim_window.new_extension is None
    assert diff.claim_window.new_deadline == MonthDay(12, 31, 0)
    assert [(c.care_scope, c.old, c.new) for c in diff.catalogue] == [
        ("cross_province", "care_region", "jiangsu_unified")
    ]
    assert diff.settlement_added == (SettlementScopeRule("cross_province", "上海市", "outpatient"),)
    assert diff.settlement_removed == (nantong.settlement[0],)
    assert [(c.care_scope, c.new) for c in diff.institution_lookup] == [("cross_province", None)]


def test_ruleset_diff_reports_special_diseases(nantong):
    diseases = dict(nantong.special_diseases)
    del diseases["pulmonary_hypertension"]
    diseases["malignant_tumour"] = dataclasses.replace(diseases["malignant_tumour"], min_level=3)
    diff = ruleset_diff(nantong, dataclasses.replace(nantong, id=999, special_diseases=diseases))
    assert [d.disease for d in diff.special_diseases_removed] == ["pulmonary_hypertension"]
    change = diff.special_diseases_changed[0]
    assert (change.disease, change.fields) == ("malignant_tumour", (FieldChange("min_level", 2, 3),))


def test_ruleset_diff_between_two_jurisdictions_lists_the_missing_types(nantong):
    sheyang = selectors.ruleset_for("sheyang", datetime.date(2026, 5, 10))
    diff = ruleset_diff(nantong, sheyang)
    assert {t.code for t in diff.types_removed} == {"emergency", "other_temporary"}
    assert diff.claim_window.new_deadline is None


# --- A new version in the database --------------------------------------------------------


@pytest.fixture
def nantong_2027(db, django_capture_on_commit_callbacks):
    """南通 copied as a version from 2027-01-01: referral −5 instead of −10, a new type, no extension."""
    # Committed, as an admin's changes are: the rules' new version is then every thread's.
    with django_capture_on_commit_callbacks(execute=True):
        source = RuleSet.objects.get(jurisdiction__code="nantong")
        new = services.ruleset_new_version(source=source, effective_from=datetime.date(2027, 1, 1), name="南通 2027-01")
        services.ruleset_publish(ruleset=new, backdated_ok=True)
        RegistrationType.objects.filter(ruleset=new, code="referral").update(reduction_points=5)
        RegistrationType.objects.create(
            ruleset=new,
            code="family_visit",
            category="temporary",
            name_zh="探亲就医人员",
            name_en="Visiting family",
            validity_rule="fixed_months",
            validity_months=6,
            reduction_points=15,
            channels=["jiangsu_app", "window"],
            position=9,
            source_ref="南通 2027 Q3（二）4",
        )
        MaterialGroup.objects.filter(ruleset=new, registration_type__code="other_temporary").delete()
        RuleSet.objects.filter(pk=new.pk).update(claim_extension_month=None, claim_extension_day=None)
        CatalogueRule.objects.filter(ruleset=new, care_scope="cross_province").update(catalogue="jiangsu_unified")
        SettlementScope.objects.filter(ruleset=new, service="pharmacy").delete()
        selectors.invalidate()  # update() and delete() on querysets send no post_save
    return new


def test_ruleset_diff_of_a_new_version_from_the_database(nantong_2027):
    old = selectors.ruleset_for("nantong", datetime.date(2026, 12, 31))
    new = selectors.ruleset_by_id(nantong_2027.pk)
    assert selectors.ruleset_for("nantong", datetime.date(2027, 1, 1)) == new

    diff = ruleset_diff(old, new)
    assert [t.code for t in diff.types_added] == ["family_visit"]
    assert diff.types_removed == ()
    changes = {c.code: c for c in diff.types_changed}
    assert set(changes) == {"referral", "other_temporary"}
    assert changes["referral"].fields == (FieldChange("reduction_points", 10, 5),)
    assert [g.code for g in changes["other_temporary"].materials.removed] == ["identity", "agent_id"]
    assert diff.claim_window.new_extension is None
    assert [c.care_scope for c in diff.catalogue] == ["cross_province"]
    assert [s.service for s in diff.settlement_removed] == ["pharmacy"]
    assert diff.special_diseases_changed == ()


def test_changes_page_defaults_to_the_two_newest_versions(client, nantong_2027, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):  # the jurisdiction + building the rule-set snapshots
        response = client.get("/policy/nantong/changes/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    page = response.context["page"]
    assert page.diff.new.id == nantong_2027.pk
    assert page.diff.old.name == "南通 2025-08"
    assert "New registration types" in html
    assert "Visiting family" in html
    assert "Referred by a hospital" in html
    assert "<del>10</del>" in html
    assert "<ins>5</ins>" in html
    assert "Pharmacy purchases" in html  # the settlement removed
    assert "March 31 of the next year" in html  # the claim extension dropped


def test_changes_page_compares_any_two_versions_both_ways(client, nantong_2027):
    old_id = RuleSet.objects.get(name="南通 2025-08").pk
    response = client.get("/policy/nantong/changes/", {"from": nantong_2027.pk, "to": old_id})
    page = response.context["page"]
    assert [t.code for t in page.diff.types_removed] == ["family_visit"]
    assert "探亲就医人员" in response.content.decode()
    same = client.get("/policy/nantong/changes/", {"from": old_id, "to": old_id})
    assert same.context["page"].diff.is_empty


def test_changes_page_refuses_a_version_of_another_jurisdiction(client, nantong_2027):
    sheyang_id = RuleSet.objects.get(jurisdiction__code="sheyang").pk
    response = client.get("/policy/nantong/changes/", {"from": sheyang_id, "to": "x"})
    assert response.status_code == 200
    assert response.context["page"] is None
    assert set(response.context["form"].errors) == {"from", "to"}
    assert 'class="error-summary"' in response.content.decode()


def test_changes_page_with_a_single_version_says_there_is_nothing_to_compare(client):
    response = client.get("/policy/sheyang/changes/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.context["form"] is None
    assert "only one version" in response.content.decode()
