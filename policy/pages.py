"""Reads for the public policy pages: the wizard, the rules in force and what changed.

Everything here is assembled from the cached rule-set snapshots (policy.selectors) with
the pure functions of policy.rules and policy.diff; nothing about a jurisdiction is written
in this module or in the templates. The few database reads are the jurisdictions and
offices (names, phones) and the source references the snapshots do not carry.
"""

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from common.translations import localized
from offices import selectors as office_selectors
from offices.constants import InstitutionLevel
from policy import diff as policy_diff
from policy import rules, selectors
from policy.constants import (
    CareScope,
    Catalogue,
    Category,
    Channel,
    ClaimKind,
    Scheme,
    SettlementService,
    Situation,
    SpecialDisease,
    Treatment,
    ValidityRule,
)
from policy.models import (
    BenefitRow,
    CatalogueRule,
    MaterialGroup,
    RegistrationType,
    RuleSet,
    SettlementScope,
    SpecialDiseaseRule,
)


def _label(choices, value) -> str:
    """The translated label of a code, or the code itself when an admin entered a new one."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def channel_labels(codes) -> tuple[str, ...]:
    return tuple(_label(Channel, code) for code in codes)


def month_day_text(month_day: rules.MonthDay) -> str:
    """31 December → “December 31 of the expense year” / “12月31日…”, from the rule's MonthDay."""
    day = formats.date_format(datetime.date(2000, month_day.month, month_day.day), "MONTH_DAY_FORMAT")
    if month_day.year_offset == 0:
        return _("%(day)s of the expense year") % {"day": day}
    if month_day.year_offset == 1:
        return _("%(day)s of the next year") % {"day": day}
    return _("%(day)s, %(years)s years after the expense year") % {"day": day, "years": month_day.year_offset}


# --- Cards of registration types ----------------------------------------------------------


@dataclass(frozen=True)
class TypeCard:
    rule: rules.RegistrationTypeRule
    validity: rules.Validity
    channels: tuple[str, ...]
    materials: tuple[rules.MaterialGroupRule, ...]

    @property
    def category(self) -> str:
        return _label(Category, self.rule.category)

    @property
    def validity_label(self) -> str:
        return _label(ValidityRule, self.rule.validity_rule)

    @property
    def by_mail(self) -> bool:
        return Channel.MAIL in self.rule.channels and bool(self.rule.mail_forms)

    @property
    def referrer(self) -> str:
        """Who may issue the referral this type needs, or "" when it needs none."""
        needs = []
        if self.rule.referrer_min_level:
            needs.append(
                _("a designated hospital of %(level)s or higher")
                % {"level": _label(InstitutionLevel, self.rule.referrer_min_level)}
            )
        if self.rule.referrer_needs_referral_rights:
            needs.append(_("a designated hospital with referral rights (转诊资格)"))
        return _(" and ").join(needs)


def type_card(
    snapshot: rules.RuleSetSnapshot, rule: rules.RegistrationTypeRule, *, on: datetime.date, agent: bool = False
) -> TypeCard:
    return TypeCard(
        rule=rule,
        validity=rules.validity(rule, starts=on),
        channels=channel_labels(rule.channels),
        materials=rules.registration_materials(snapshot, rule.code, agent=agent),
    )


def office_contacts(jurisdiction_code: str) -> list:
    """The offices of a jurisdiction with their phones, for “ask the office” answers."""
    return list(office_selectors.office_list(jurisdiction=jurisdiction_code))


# --- The wizard ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WizardResult:
    jurisdiction: object  # offices.models.Jurisdiction
    ruleset: rules.RuleSetSnapshot
    on: datetime.date
    situation: str
    recommended: TypeCard | None
    alternatives: tuple[TypeCard, ...]
    cheaper_referral: rules.RegistrationTypeRule | None
    care_scope: str
    catalogue: str | None
    direct_settlement: tuple[str, ...]
    claim_deadline: datetime.date | None
    claim_extension: datetime.date | None
    institution_lookup: tuple[str, str] | None = None
    offices: tuple = ()

    @property
    def situation_label(self) -> str:
        return _label(Situation, self.situation)

    @property
    def care_scope_label(self) -> str:
        return _label(CareScope, self.care_scope)


def _alternatives(cards, recommended: TypeCard | None) -> tuple[TypeCard, ...]:
    """The other types, those of the recommendation's category first (temporary beside temporary)."""
    others = [card for card in cards if card is not recommended]
    if recommended is not None:
        others.sort(key=lambda card: card.rule.category != recommended.rule.category)  # stable
    return tuple(others)


def wizard_result(*, jurisdiction, situation: str, care_scope: str, on: datetime.date) -> WizardResult:
    """The recommended type next to the others the jurisdiction offers on `on`.

    Raises PolicyError (field `on_date` or `jurisdiction`) when no rules are in force then.
    """
    snapshot = selectors.ruleset_for(jurisdiction.code, on)
    wanted = rules.type_for_situation(snapshot, situation)
    cards = [type_card(snapshot, rule, on=on) for rule in snapshot.types]
    recommended = next((card for card in cards if card.rule is wanted), None)
    deadline, extension = rules.claim_deadlines(snapshot, on)
    try:
        catalogue = _label(Catalogue, rules.catalogue(snapshot, care_scope))
    except rules.PolicyError:
        catalogue = None  # the version is silent on this scope: the page says so
    ask_office = recommended is None or deadline is None
    return WizardResult(
        jurisdiction=jurisdiction,
        ruleset=snapshot,
        on=on,
        situation=situation,
        recommended=recommended,
        alternatives=_alternatives(cards, recommended),
        cheaper_referral=rules.cheaper_referral(snapshot, recommended.rule) if recommended else None,
        care_scope=care_scope,
        catalogue=catalogue,
        direct_settlement=tuple(
            _label(SettlementService, s) for s in rules.direct_settlement_services(snapshot, care_scope)
        ),
        claim_deadline=deadline,
        claim_extension=extension,
        institution_lookup=snapshot.institution_lookup.get(care_scope),
        offices=tuple(office_contacts(jurisdiction.code)) if ask_office else (),
    )


# --- Jurisdictions and their versions --------------------------------------------------------


def jurisdiction_get(code: str):
    return office_selectors.jurisdiction_list().filter(code=code).first()


@dataclass(frozen=True)
class Version:
    ruleset: rules.RuleSetSnapshot
    in_force: bool


@dataclass(frozen=True)
class JurisdictionVersions:
    jurisdiction: object
    versions: tuple[Version, ...]  # newest first


def jurisdiction_versions(on: datetime.date) -> list[JurisdictionVersions]:
    return [JurisdictionVersions(j, versions_of(j.code, on)) for j in office_selectors.jurisdiction_list()]


def versions_of(jurisdiction_code: str, on: datetime.date) -> tuple[Version, ...]:
    # Ask the selector rather than each version: an open end lasts until the next version starts.
    try:
        current_id = selectors.ruleset_for(jurisdiction_code, on).id
    except rules.PolicyError:
        current_id = None
    return tuple(Version(s, s.id == current_id) for s in reversed(selectors.rulesets_of(jurisdiction_code)))


# --- The rules in force ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimMaterials:
    claim_kind: str
    groups: tuple[rules.MaterialGroupRule, ...]
    by_treatment: tuple[tuple[str, tuple[rules.MaterialGroupRule, ...]], ...]


@dataclass(frozen=True)
class Sourced:
    label: str
    detail: str
    source_ref: str
    lookup: tuple[str, str] | None = None  # (name, url) of where designated institutions are listed


@dataclass(frozen=True)
class SettlementRow:
    care_scope: str
    services: tuple[str, ...]
    source_refs: tuple[str, ...]


@dataclass(frozen=True)
class PolicyOverview:
    ruleset: rules.RuleSetSnapshot
    types: tuple[TypeCard, ...]
    cheaper_referrals: dict  # type code -> the cheaper referral rule
    claim_deadline: str | None
    claim_extension: str | None
    claim_window_source_ref: str
    claim_materials: tuple[ClaimMaterials, ...]
    catalogue: tuple[Sourced, ...]
    settlement: tuple[SettlementRow, ...]
    special_diseases: tuple[Sourced, ...]
    source_ref: str


def _claim_materials(snapshot: rules.RuleSetSnapshot) -> tuple[ClaimMaterials, ...]:
    sections = []
    for kind in ClaimKind:
        base = rules.claim_materials(snapshot, kind, agent=True)
        extra = []
        for treatment in Treatment:
            added = tuple(
                g for g in rules.claim_materials(snapshot, kind, treatment=treatment, agent=True) if g not in base
            )
            if added:
                extra.append((str(treatment.label), added))
        if base or extra:
            sections.append(ClaimMaterials(str(kind.label), base, tuple(extra)))
    return tuple(sections)


def _source_refs(ruleset_id: int) -> dict:
    """Source references of rows the snapshot keeps without them (three small reads)."""
    header = RuleSet.objects.filter(pk=ruleset_id).values("source_ref", "claim_window_source_ref").first() or {}
    return {
        "ruleset": header.get("source_ref", ""),
        "claim_window": header.get("claim_window_source_ref", ""),
        "catalogue": dict(CatalogueRule.objects.filter(ruleset_id=ruleset_id).values_list("care_scope", "source_ref")),
        "settlement": list(
            SettlementScope.objects.filter(ruleset_id=ruleset_id)
            .order_by("id")
            .values_list("care_scope", "care_province", "service", "source_ref")
        ),
    }


def _settlement(snapshot: rules.RuleSetSnapshot, settlement_refs) -> tuple[SettlementRow, ...]:
    rows = []
    for scope in CareScope:
        services = [_label(SettlementService, s) for s in rules.direct_settlement_services(snapshot, scope)]
        for rule in snapshot.settlement:
            if rule.care_province and rule.care_scope in ("", scope):
                services.append(
                    _("%(service)s (only in %(province)s)")
                    % {"service": _label(SettlementService, rule.service), "province": rule.care_province}
                )
        refs = [ref for (s, _province, _service, ref) in settlement_refs if s in ("", scope)]
        rows.append(SettlementRow(str(scope.label), tuple(services), tuple(dict.fromkeys(refs))))
    return tuple(row for row in rows if row.services)


def policy_overview(jurisdiction_code: str, on: datetime.date) -> PolicyOverview:
    """Everything the rules in force on `on` say, section by section, each with its source.

    Raises PolicyError when the jurisdiction has no rules in force on that date.
    """
    snapshot = selectors.ruleset_for(jurisdiction_code, on)
    refs = _source_refs(snapshot.id)
    cards = tuple(type_card(snapshot, rule, on=on, agent=True) for rule in snapshot.types)
    return PolicyOverview(
        ruleset=snapshot,
        types=cards,
        cheaper_referrals={
            card.rule.code: referral for card in cards if (referral := rules.cheaper_referral(snapshot, card.rule))
        },
        claim_deadline=month_day_text(snapshot.claim_deadline) if snapshot.claim_deadline else None,
        claim_extension=month_day_text(snapshot.claim_extension) if snapshot.claim_extension else None,
        claim_window_source_ref=refs["claim_window"],
        claim_materials=_claim_materials(snapshot),
        catalogue=tuple(
            Sourced(
                _label(CareScope, scope),
                _label(Catalogue, catalogue),
                refs["catalogue"].get(scope, ""),
                snapshot.institution_lookup.get(scope),
            )
            for scope, catalogue in snapshot.catalogue.items()
        ),
        settlement=_settlement(snapshot, refs["settlement"]),
        special_diseases=tuple(
            Sourced(
                _label(SpecialDisease, disease),
                rules.special_disease_check(snapshot, disease).reason,
                rule.source_ref,
            )
            for disease, rule in snapshot.special_diseases.items()
        ),
        source_ref=refs["ruleset"],
    )


# --- What changed -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class GroupRows:
    name: str
    rows: tuple[ChangeRow, ...]


@dataclass(frozen=True)
class MaterialsRows:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[GroupRows, ...]


@dataclass(frozen=True)
class TypeRows:
    name: str
    rows: tuple[ChangeRow, ...]
    materials: MaterialsRows


@dataclass(frozen=True)
class ChangesPage:
    diff: policy_diff.RuleSetDiff
    types_added: tuple[TypeCard, ...]
    types_removed: tuple[str, ...]
    types_changed: tuple[TypeRows, ...]
    claim_materials: tuple[tuple[str, MaterialsRows], ...]
    claim_window: tuple[ChangeRow, ...]
    catalogue: tuple[ChangeRow, ...]
    institution_lookup: tuple[ChangeRow, ...]
    settlement_added: tuple[str, ...]
    settlement_removed: tuple[str, ...]
    special_diseases: tuple[ChangeRow, ...]
    benefits: tuple[ChangeRow, ...]


def _verbose(model, field: str) -> str:
    return str(model._meta.get_field(field).verbose_name)


def _yes_no(value) -> str:
    return _("yes") if value else _("no")


NONE = "—"


def _type_value(field: str, value) -> str:
    if field == "category":
        return _label(Category, value)
    if field == "validity_rule":
        return _label(ValidityRule, value)
    if field == "channels":
        return ", ".join(channel_labels(value)) or NONE
    if field in ("filing_required", "review_required", "referrer_needs_referral_rights"):
        return _yes_no(value)
    if field == "referrer_min_level":
        return _level_text(value)
    return NONE if value in (None, "") else str(value)


def _group_value(field: str, value) -> str:
    if field == "when_agent":
        return _yes_no(value)
    if field == "treatments":
        return ", ".join(sorted(_label(Treatment, t) for t in value)) or NONE
    return str(value) or NONE


def _documents_text(documents) -> str:
    return " + ".join(localized(d) for d in documents) or NONE


def _materials_rows(materials: policy_diff.MaterialsDiff) -> MaterialsRows:
    changed = []
    for group in materials.changed:
        rows = [
            ChangeRow(_verbose(MaterialGroup, c.field), _group_value(c.field, c.old), _group_value(c.field, c.new))
            for c in group.fields
        ]
        rows += [ChangeRow(_("option added"), NONE, localized(o)) for o in group.options_added]
        rows += [ChangeRow(_("option removed"), localized(o), NONE) for o in group.options_removed]
        for option in group.options_changed:
            rows += [
                ChangeRow(
                    _("option “%(name)s”") % {"name": localized(option.new)},
                    _documents_text(c.old) if c.field == "documents" else str(c.old),
                    _documents_text(c.new) if c.field == "documents" else str(c.new),
                )
                for c in option.fields
            ]
        changed.append(GroupRows(localized(group.new), tuple(rows)))
    return MaterialsRows(
        added=tuple(localized(g) for g in materials.added),
        removed=tuple(localized(g) for g in materials.removed),
        changed=tuple(changed),
    )


def _window_text(month_day) -> str:
    return month_day_text(month_day) if month_day else _("not stated")


def _settlement_text(rule: rules.SettlementScopeRule) -> str:
    scope = _label(CareScope, rule.care_scope) if rule.care_scope else _("Within and outside Jiangsu")
    text = f"{scope}: {_label(SettlementService, rule.service)}"
    if rule.care_province:
        text = _("%(service)s (only in %(province)s)") % {"service": text, "province": rule.care_province}
    return text


def _lookup_text(lookup) -> str:
    return f"{lookup[0]} {lookup[1]}".strip() if lookup else _("not stated")


def _level_text(level) -> str:
    return _label(InstitutionLevel, level) if level else NONE


def ruleset_changes(old: rules.RuleSetSnapshot, new: rules.RuleSetSnapshot, *, on: datetime.date) -> ChangesPage:
    """policy.diff.ruleset_diff, worded for people in the active language."""
    d = policy_diff.ruleset_diff(old, new)
    claim_window = ()
    if d.claim_window:
        claim_window = (
            ChangeRow(
                _("Deadline"), _window_text(d.claim_window.old_deadline), _window_text(d.claim_window.new_deadline)
            ),
            ChangeRow(
                _("In special cases"),
                _window_text(d.claim_window.old_extension),
                _window_text(d.claim_window.new_extension),
            ),
        )
    special = [ChangeRow(_label(SpecialDisease, s.disease), NONE, _("added")) for s in d.special_diseases_added]
    special += [ChangeRow(_label(SpecialDisease, s.disease), _("removed"), NONE) for s in d.special_diseases_removed]
    for change in d.special_diseases_changed:
        for c in change.fields:
            value = _level_text if c.field == "min_level" else _yes_no
            special.append(
                ChangeRow(
                    f"{_label(SpecialDisease, change.disease)} · {_verbose(SpecialDiseaseRule, c.field)}",
                    value(c.old),
                    value(c.new),
                )
            )
    benefits = [ChangeRow(_benefit_key(b.scheme, b.institution_level), NONE, _("added")) for b in d.benefits_added]
    benefits += [ChangeRow(_benefit_key(b.scheme, b.institution_level), _("removed"), NONE) for b in d.benefits_removed]
    for change in d.benefits_changed:
        benefits += [
            ChangeRow(
                f"{_benefit_key(*change.key)} · {_verbose(BenefitRow, c.field)}",
                NONE if c.old is None else str(c.old),
                NONE if c.new is None else str(c.new),
            )
            for c in change.fields
        ]
    return ChangesPage(
        diff=d,
        types_added=tuple(type_card(new, rule, on=max(on, new.effective_from)) for rule in d.types_added),
        types_removed=tuple(localized(rule) for rule in d.types_removed),
        types_changed=tuple(
            TypeRows(
                localized(change.new),
                tuple(
                    ChangeRow(
                        _verbose(RegistrationType, c.field), _type_value(c.field, c.old), _type_value(c.field, c.new)
                    )
                    for c in change.fields
                ),
                _materials_rows(change.materials),
            )
            for change in d.types_changed
        ),
        claim_materials=tuple(
            (_label(ClaimKind, c.claim_kind), _materials_rows(c.materials)) for c in d.claim_materials
        ),
        claim_window=claim_window,
        catalogue=tuple(
            ChangeRow(
                _label(CareScope, c.care_scope),
                _label(Catalogue, c.old) if c.old else _("not stated"),
                _label(Catalogue, c.new) if c.new else _("not stated"),
            )
            for c in d.catalogue
        ),
        institution_lookup=tuple(
            ChangeRow(_label(CareScope, c.care_scope), _lookup_text(c.old), _lookup_text(c.new))
            for c in d.institution_lookup
        ),
        settlement_added=tuple(_settlement_text(s) for s in d.settlement_added),
        settlement_removed=tuple(_settlement_text(s) for s in d.settlement_removed),
        special_diseases=tuple(special),
        benefits=tuple(benefits),
    )


def _benefit_key(scheme: str, level: int) -> str:
    return f"{_label(Scheme, scheme)} · {_label(InstitutionLevel, level)}"


def default_pair(versions: list[rules.RuleSetSnapshot]) -> tuple[int, int] | None:
    """The two newest versions (oldest first), or None when there is nothing to compare."""
    if len(versions) < 2:
        return None
    return versions[-2].id, versions[-1].id
