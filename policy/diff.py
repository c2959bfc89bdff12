"""What changed between two versions of a jurisdiction's rules: a pure function over snapshots.

`ruleset_diff(old, new)` compares two RuleSetSnapshots and answers in codes and raw values
(no labels, no database), so it can be tested with hand-made snapshots and reused by the
pages, an admin preview or a notification. policy/pages.py turns the answer into text.

Rows are matched by their stable codes: registration types by `code`, material groups by
(purpose, registration type or claim kind, code), options by `code`. Source references are
not compared: a new version normally cites a new document everywhere, and the page is about
what the rules say, not where they are written.
"""

from dataclasses import dataclass

from policy.rules import (
    BenefitRowRule,
    MaterialGroupRule,
    MaterialOptionRule,
    MonthDay,
    RegistrationTypeRule,
    RuleSetSnapshot,
    SettlementScopeRule,
    SpecialDiseaseRuleData,
)

TYPE_FIELDS = (
    "category",
    "name_zh",
    "name_en",
    "description_zh",
    "description_en",
    "validity_rule",
    "validity_months",
    "reduction_points",
    "filing_required",
    "review_required",
    "channels",
    "mail_forms",
    "referrer_min_level",
    "referrer_needs_referral_rights",
)
GROUP_FIELDS = ("name_zh", "name_en", "when_agent", "treatments")
OPTION_NAME_FIELDS = ("name_zh", "name_en")  # documents are compared as a set of codes
SPECIAL_DISEASE_FIELDS = ("min_level", "requires_dialysis_qualification")
BENEFIT_FIELDS = ("deductible", "base_ratio", "annual_cap")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class OptionChange:
    code: str
    old: MaterialOptionRule
    new: MaterialOptionRule
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class GroupChange:
    code: str
    old: MaterialGroupRule
    new: MaterialGroupRule
    fields: tuple[FieldChange, ...]
    options_added: tuple[MaterialOptionRule, ...]
    options_removed: tuple[MaterialOptionRule, ...]
    options_changed: tuple[OptionChange, ...]


@dataclass(frozen=True)
class MaterialsDiff:
    added: tuple[MaterialGroupRule, ...] = ()
    removed: tuple[MaterialGroupRule, ...] = ()
    changed: tuple[GroupChange, ...] = ()

    def __bool__(self):
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class TypeChange:
    code: str
    old: RegistrationTypeRule
    new: RegistrationTypeRule
    fields: tuple[FieldChange, ...]
    materials: MaterialsDiff


@dataclass(frozen=True)
class ClaimMaterialsChange:
    claim_kind: str
    materials: MaterialsDiff


@dataclass(frozen=True)
class CatalogueChange:
    care_scope: str
    old: str | None  # None: the version says nothing about this scope
    new: str | None


@dataclass(frozen=True)
class LookupChange:
    care_scope: str
    old: tuple[str, str] | None  # (name, url) of where designated institutions are listed
    new: tuple[str, str] | None


@dataclass(frozen=True)
class SpecialDiseaseChange:
    disease: str
    old: SpecialDiseaseRuleData
    new: SpecialDiseaseRuleData
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class BenefitChange:
    key: tuple[str, int]
    old: BenefitRowRule
    new: BenefitRowRule
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class ClaimWindowChange:
    old_deadline: MonthDay | None
    old_extension: MonthDay | None
    new_deadline: MonthDay | None
    new_extension: MonthDay | None


@dataclass(frozen=True)
class RuleSetDiff:
    old: RuleSetSnapshot
    new: RuleSetSnapshot
    types_added: tuple[RegistrationTypeRule, ...] = ()
    types_removed: tuple[RegistrationTypeRule, ...] = ()
    types_changed: tuple[TypeChange, ...] = ()
    claim_materials: tuple[ClaimMaterialsChange, ...] = ()
    claim_window: ClaimWindowChange | None = None
    catalogue: tuple[CatalogueChange, ...] = ()
    institution_lookup: tuple[LookupChange, ...] = ()
    settlement_added: tuple[SettlementScopeRule, ...] = ()
    settlement_removed: tuple[SettlementScopeRule, ...] = ()
    special_diseases_added: tuple[SpecialDiseaseRuleData, ...] = ()
    special_diseases_removed: tuple[SpecialDiseaseRuleData, ...] = ()
    special_diseases_changed: tuple[SpecialDiseaseChange, ...] = ()
    benefits_added: tuple[BenefitRowRule, ...] = ()
    benefits_removed: tuple[BenefitRowRule, ...] = ()
    benefits_changed: tuple[BenefitChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.types_added,
                self.types_removed,
                self.types_changed,
                self.claim_materials,
                self.claim_window,
                self.catalogue,
                self.institution_lookup,
                self.settlement_added,
                self.settlement_removed,
                self.special_diseases_added,
                self.special_diseases_removed,
                self.special_diseases_changed,
                self.benefits_added,
                self.benefits_removed,
                self.benefits_changed,
            )
        )


def _field_changes(old, new, fields) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, getattr(old, name), getattr(new, name))
        for name in fields
        if getattr(old, name) != getattr(new, name)
    )


def _keyed(rows, key) -> dict:
    # dicts keep insertion order, so added/removed rows come out in the versions' own order
    return {key(row): row for row in rows}


def _added_removed_common(old: dict, new: dict):
    added = tuple(row for k, row in new.items() if k not in old)
    removed = tuple(row for k, row in old.items() if k not in new)
    common = [k for k in new if k in old]
    return added, removed, common


def _option_documents(option: MaterialOptionRule) -> frozenset[str]:
    return frozenset(d.code for d in option.documents)


def _option_change(old: MaterialOptionRule, new: MaterialOptionRule) -> OptionChange | None:
    changes = list(_field_changes(old, new, OPTION_NAME_FIELDS))
    if _option_documents(old) != _option_documents(new):
        changes.append(FieldChange("documents", old.documents, new.documents))
    return OptionChange(new.code, old, new, tuple(changes)) if changes else None


def _group_change(old: MaterialGroupRule, new: MaterialGroupRule) -> GroupChange | None:
    fields = _field_changes(old, new, GROUP_FIELDS)
    old_options = _keyed(old.options, lambda o: o.code)
    new_options = _keyed(new.options, lambda o: o.code)
    added, removed, common = _added_removed_common(old_options, new_options)
    changed = tuple(c for k in common if (c := _option_change(old_options[k], new_options[k])))
    if not (fields or added or removed or changed):
        return None
    return GroupChange(new.code, old, new, fields, added, removed, changed)


def materials_diff(old_groups, new_groups) -> MaterialsDiff:
    """Groups matched by code; a group whose name, options or documents differ is 'changed'."""
    old = _keyed(old_groups, lambda g: g.code)
    new = _keyed(new_groups, lambda g: g.code)
    added, removed, common = _added_removed_common(old, new)
    changed = tuple(c for k in common if (c := _group_change(old[k], new[k])))
    return MaterialsDiff(added, removed, changed)


def _registration_groups(snapshot: RuleSetSnapshot, type_code: str):
    return [g for g in snapshot.material_groups if g.purpose == "registration" and g.registration_type == type_code]


def _claim_groups(snapshot: RuleSetSnapshot, claim_kind: str):
    return [g for g in snapshot.material_groups if g.purpose == "claim" and g.claim_kind == claim_kind]


def _claim_kinds(*snapshots) -> list[str]:
    kinds = []
    for snapshot in snapshots:
        for group in snapshot.material_groups:
            if group.purpose == "claim" and group.claim_kind not in kinds:
                kinds.append(group.claim_kind)
    return kinds


def ruleset_diff(old: RuleSetSnapshot, new: RuleSetSnapshot) -> RuleSetDiff:
    """Everything that differs from `old` to `new` (both usually of one jurisdiction)."""
    old_types = _keyed(old.types, lambda t: t.code)
    new_types = _keyed(new.types, lambda t: t.code)
    types_added, types_removed, common_types = _added_removed_common(old_types, new_types)
    types_changed = []
    for code in common_types:
        fields = _field_changes(old_types[code], new_types[code], TYPE_FIELDS)
        materials = materials_diff(_registration_groups(old, code), _registration_groups(new, code))
        if fields or materials:
            types_changed.append(TypeChange(code, old_types[code], new_types[code], fields, materials))

    claim_materials = tuple(
        ClaimMaterialsChange(kind, materials)
        for kind in _claim_kinds(old, new)
        if (materials := materials_diff(_claim_groups(old, kind), _claim_groups(new, kind)))
    )

    claim_window = None
    if (old.claim_deadline, old.claim_extension) != (new.claim_deadline, new.claim_extension):
        claim_window = ClaimWindowChange(
            old.claim_deadline, old.claim_extension, new.claim_deadline, new.claim_extension
        )

    scopes = list(dict.fromkeys([*old.catalogue, *new.catalogue]))
    catalogue = tuple(
        CatalogueChange(scope, old.catalogue.get(scope), new.catalogue.get(scope))
        for scope in scopes
        if old.catalogue.get(scope) != new.catalogue.get(scope)
    )

    lookup_scopes = list(dict.fromkeys([*old.institution_lookup, *new.institution_lookup]))
    institution_lookup = tuple(
        LookupChange(scope, old.institution_lookup.get(scope), new.institution_lookup.get(scope))
        for scope in lookup_scopes
        if old.institution_lookup.get(scope) != new.institution_lookup.get(scope)
    )

    old_settlement, new_settlement = set(old.settlement), set(new.settlement)
    settlement_added = tuple(s for s in new.settlement if s not in old_settlement)
    settlement_removed = tuple(s for s in old.settlement if s not in new_settlement)

    diseases_added, diseases_removed, common_diseases = _added_removed_common(
        old.special_diseases, new.special_diseases
    )
    diseases_changed = tuple(
        SpecialDiseaseChange(d, old.special_diseases[d], new.special_diseases[d], fields)
        for d in common_diseases
        if (fields := _field_changes(old.special_diseases[d], new.special_diseases[d], SPECIAL_DISEASE_FIELDS))
    )

    benefits_added, benefits_removed, common_benefits = _added_removed_common(old.benefits, new.benefits)
    benefits_changed = tuple(
        BenefitChange(k, old.benefits[k], new.benefits[k], fields)
        for k in common_benefits
        if (fields := _field_changes(old.benefits[k], new.benefits[k], BENEFIT_FIELDS))
    )

    return RuleSetDiff(
        old=old,
        new=new,
        types_added=types_added,
        types_removed=types_removed,
        types_changed=tuple(types_changed),
        claim_materials=claim_materials,
        claim_window=claim_window,
        catalogue=catalogue,
        institution_lookup=institution_lookup,
        settlement_added=settlement_added,
        settlement_removed=settlement_removed,
        special_diseases_added=diseases_added,
        special_diseases_removed=diseases_removed,
        special_diseases_changed=diseases_changed,
        benefits_added=benefits_added,
        benefits_removed=benefits_removed,
        benefits_changed=benefits_changed,
    )
