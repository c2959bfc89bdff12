"""Pure policy functions: plain values in, plain answers out, no database.

They work on a RuleSetSnapshot (policy/snapshot.py builds one from the database and
policy/selectors.py caches it), so they are cheap to call, easy to test exhaustively and
the same in the API, the pages, the claims and the reminders.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from common.errors import ServiceError
from policy.constants import CareScope, Category, Situation, ValidityRule

CENT = Decimal("0.01")


class PolicyError(ServiceError):
    """A question the rules cannot answer as asked: names the field and says why."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message, {field_name: [message]})
        self.field = field_name


@dataclass(frozen=True)
class DocumentKindRule:
    code: str
    name_zh: str
    name_en: str
    accepted_in_portal: bool = False  # accepted on the page instead of uploaded (个人承诺书)


@dataclass(frozen=True)
class MaterialOptionRule:
    code: str
    name_zh: str
    name_en: str
    documents: tuple[DocumentKindRule, ...]


@dataclass(frozen=True)
class MaterialGroupRule:
    code: str
    name_zh: str
    name_en: str
    options: tuple[MaterialOptionRule, ...]
    purpose: str
    registration_type: str = ""
    claim_kind: str = ""
    treatments: frozenset[str] = frozenset()
    when_agent: bool = False
    source_ref: str = ""
    sets_validity: bool = False  # a proof-expiry registration ends with this group's proof


@dataclass(frozen=True)
class RegistrationTypeRule:
    code: str
    category: str
    name_zh: str
    name_en: str
    validity_rule: str
    validity_months: int | None
    reduction_points: int
    filing_required: bool = True
    review_required: bool = True
    channels: tuple[str, ...] = ()
    description_zh: str = ""
    description_en: str = ""
    source_ref: str = ""
    mail_forms: str = ""
    referrer_min_level: int | None = None
    referrer_needs_referral_rights: bool = False
    wizard_situation: str = ""  # the wizard's answer (Situation) that recommends this type
    rescue_default: bool = False  # filed for care had without registering, neither referred nor emergency


@dataclass(frozen=True)
class SpecialDiseaseRuleData:
    disease: str
    min_level: int | None
    requires_dialysis_qualification: bool
    source_ref: str = ""


@dataclass(frozen=True)
class SettlementScopeRule:
    care_scope: str  # "" = both scopes
    care_province: str  # "" = every province
    service: str


@dataclass(frozen=True)
class BenefitRowRule:
    scheme: str
    institution_level: int
    deductible: Decimal
    base_ratio: Decimal
    annual_cap: Decimal | None


@dataclass(frozen=True)
class MonthDay:
    month: int
    day: int
    year_offset: int = 0


@dataclass(frozen=True)
class RuleSetSnapshot:
    id: int
    jurisdiction: str
    name: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    source: str
    types: tuple[RegistrationTypeRule, ...] = ()
    material_groups: tuple[MaterialGroupRule, ...] = ()
    catalogue: dict[str, str] = field(default_factory=dict)
    settlement: tuple[SettlementScopeRule, ...] = ()
    special_diseases: dict[str, SpecialDiseaseRuleData] = field(default_factory=dict)
    benefits: dict[tuple[str, int], BenefitRowRule] = field(default_factory=dict)
    claim_deadline: MonthDay | None = None
    claim_extension: MonthDay | None = None
    # care scope → (name, url) of where designated institutions are listed
    institution_lookup: dict[str, tuple[str, str]] = field(default_factory=dict)

    def in_force_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


# --- Choosing the rule set ----------------------------------------------------------------


def ruleset_in_force(snapshots, jurisdiction: str, on: datetime.date) -> RuleSetSnapshot:
    """A case is judged by the rules in force on its date.

    That is the latest version started by then, unless its explicit end has passed: an
    open end lasts until the next version starts, so admins add a future version without
    touching the current one.
    """
    candidates = [s for s in snapshots if s.jurisdiction == jurisdiction]
    if not candidates:
        raise PolicyError("jurisdiction", _("Unknown jurisdiction “%(code)s”.") % {"code": jurisdiction})
    started = [s for s in candidates if s.effective_from <= on]
    latest = max(started, key=lambda s: s.effective_from, default=None)
    if latest is not None and latest.in_force_on(on):
        return latest
    earliest = min(s.effective_from for s in candidates)
    raise PolicyError(
        "on_date",
        _("No rules of this jurisdiction are in force on %(date)s (the earliest start on %(earliest)s).")
        % {"date": on.isoformat(), "earliest": earliest.isoformat()},
    )


def registration_type(snapshot: RuleSetSnapshot, code: str) -> RegistrationTypeRule:
    for rule in snapshot.types:
        if rule.code == code:
            return rule
    offered = ", ".join(t.code for t in snapshot.types)
    raise PolicyError(
        "registration_type",
        _(
            "The registration type “%(code)s” is not offered by the rules in force (“%(ruleset)s”, from "
            "%(start)s); they offer: %(offered)s."
        )
        % {"ruleset": snapshot.name, "code": code, "start": snapshot.effective_from.isoformat(), "offered": offered},
    )


# --- What a type is for ---------------------------------------------------------------------
# The data says it (RegistrationType.wizard_situation, rescue_default, filing_required), never a
# type's code: a jurisdiction whose codes differ from Nantong's needs rows, not code.


def type_for_situation(snapshot: RuleSetSnapshot, situation: str) -> RegistrationTypeRule | None:
    """The type the wizard recommends for one of its answers; None when the rules have none for it."""
    return next((rule for rule in snapshot.types if rule.wizard_situation == situation), None)


def no_filing_type(snapshot: RuleSetSnapshot) -> RegistrationTypeRule | None:
    """The type that counts as registered without a filing (南通 Q7.4: 异地急诊抢救人员视同已备案)."""
    return next((rule for rule in snapshot.types if not rule.filing_required), None)


def rescue_type(snapshot: RuleSetSnapshot, *, referred: bool) -> RegistrationTypeRule | None:
    """What to file for care had elsewhere without registering first, when it was no emergency.

    Someone a hospital referred files the type of the referral answer (南通 Q7.3: 经规定医疗机构审核,
    10 points); anyone else, or a referred person where the rules know no referral, the rule
    set's rescue default (其他临时外出就医, 20 points). None: the rules offer nothing, the office decides.
    """
    if referred:
        referral = type_for_situation(snapshot, Situation.REFERRED)
        if referral is not None and referral.filing_required:
            return referral
    return next((rule for rule in snapshot.types if rule.rescue_default), None)


def cheaper_referral(snapshot: RuleSetSnapshot, rule: RegistrationTypeRule) -> RegistrationTypeRule | None:
    """The referral type, when `rule` is another filed temporary type that loses more points.

    南通 Q7.3: other temporary care loses 20 points, a referral 10; nobody should file the former
    without knowing. Compared from the data, so a version that narrows the gap (or has no
    referral) gives no note.
    """
    if rule.category != Category.TEMPORARY or not rule.filing_required:
        return None
    referral = type_for_situation(snapshot, Situation.REFERRED)
    if referral is None or referral.code == rule.code or referral.reduction_points >= rule.reduction_points:
        return None
    return referral


# --- Validity ------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same date `months` later; a date the target month lacks rolls to the 1st after.

    So 29 Feb 2024 + 12 months is 1 Mar 2025 and 31 Jan + 1 month is 1 Mar: the period
    then always covers whole months.
    """
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    try:
        return datetime.date(year, month, day.day)
    except ValueError:
        return datetime.date(year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class Validity:
    starts: datetime.date
    ends: datetime.date | None
    rule: str


def validity(
    rule: RegistrationTypeRule, *, starts: datetime.date, proof_valid_until: datetime.date | None = None
) -> Validity:
    """When a registration is valid (南通 Q7.4).

    Long-term: as long as the proof submitted (ends with it; open-ended if it never expires).
    Temporary: N months, ending the day before the same date N months later.
    Emergency: counts as registered, nothing to end.
    """
    if proof_valid_until is not None and rule.validity_rule != ValidityRule.PROOF_EXPIRY:
        raise PolicyError(
            "proof_valid_until",
            _("The validity of “%(type)s” does not depend on a proof's date: leave proof_valid_until out.")
            % {"type": rule.name_zh},
        )
    if rule.validity_rule == ValidityRule.PROOF_EXPIRY:
        if proof_valid_until is not None and proof_valid_until < starts:
            raise PolicyError(
                "proof_valid_until",
                _("The proof expires on %(expiry)s, before the registration would start on %(start)s.")
                % {"expiry": proof_valid_until.isoformat(), "start": starts.isoformat()},
            )
        return Validity(starts, proof_valid_until, rule.validity_rule)
    if rule.validity_rule == ValidityRule.FIXED_MONTHS:
        ends = add_months(starts, rule.validity_months) - datetime.timedelta(days=1)
        return Validity(starts, ends, rule.validity_rule)
    return Validity(starts, None, rule.validity_rule)


def reduction_points(rule: RegistrationTypeRule) -> int:
    """Percentage points by which the fund's total payment is lowered (南通 Q7.3)."""
    return rule.reduction_points


# --- Claim window --------------------------------------------------------------------------


def _month_day_in(year: int, month_day: MonthDay) -> datetime.date:
    year += month_day.year_offset
    try:
        return datetime.date(year, month_day.month, month_day.day)
    except ValueError:  # 29 February in a common year: the last day of February
        return datetime.date(year, month_day.month, 28)


def claim_deadlines(
    snapshot: RuleSetSnapshot, expense_date: datetime.date
) -> tuple[datetime.date | None, datetime.date | None]:
    """(deadline, extended deadline) for an expense: 31 Dec of its year, 31 Mar next year (南通 Q8).

    None where the rule set states no window (the office must be asked).
    """
    deadline = _month_day_in(expense_date.year, snapshot.claim_deadline) if snapshot.claim_deadline else None
    extended = _month_day_in(expense_date.year, snapshot.claim_extension) if snapshot.claim_extension else None
    return deadline, extended


def claim_window_open(
    snapshot: RuleSetSnapshot, *, expense_date: datetime.date, on: datetime.date, special_case: bool
) -> bool:
    """Whether an expense may still be claimed on `on` (with an accepted special case or not)."""
    deadline, extended = claim_deadlines(snapshot, expense_date)
    if deadline is None:
        return True
    last_day = extended if special_case and extended else deadline
    return on <= last_day


# --- Materials -----------------------------------------------------------------------------


def registration_materials(
    snapshot: RuleSetSnapshot, type_code: str, *, agent: bool = False
) -> tuple[MaterialGroupRule, ...]:
    """What a registration of this type must bring (南通 Q9): every group, any one option of each."""
    registration_type(snapshot, type_code)
    return tuple(
        group
        for group in snapshot.material_groups
        if group.purpose == "registration" and group.registration_type == type_code and (agent or not group.when_agent)
    )


def claim_materials(
    snapshot: RuleSetSnapshot, claim_kind: str, *, treatment: str | None = None, agent: bool = False
) -> tuple[MaterialGroupRule, ...]:
    """What a claim must bring (南通 Q8): by claim kind, plus what its treatment adds."""
    return tuple(
        group
        for group in snapshot.material_groups
        if group.purpose == "claim"
        and group.claim_kind == claim_kind
        and (not group.treatments or treatment in group.treatments)
        and (agent or not group.when_agent)
    )


def missing_materials(groups, provided_kinds) -> tuple[MaterialGroupRule, ...]:
    """The groups none of whose options is fully covered by the document kinds provided."""
    provided = set(provided_kinds)
    return tuple(
        group for group in groups if not any({d.code for d in option.documents} <= provided for option in group.options)
    )


# --- Care scope ------------------------------------------------------------------------------


def care_scope_for(care_province: str, home_province: str) -> str:
    """Care in the insured region's own province is in-province care, anywhere else cross-province
    (南通 Q7.1/7.2): the scope follows from the province, it is not chosen."""
    return CareScope.IN_PROVINCE if care_province == home_province else CareScope.CROSS_PROVINCE


# --- Catalogue, direct settlement ----------------------------------------------------------


def catalogue(snapshot: RuleSetSnapshot, care_scope: str) -> str:
    """In-province: Jiangsu's unified lists; cross-province: the care region's (南通 Q7.1/7.2)."""
    try:
        return snapshot.catalogue[care_scope]
    except KeyError:
        raise PolicyError(
            "care_scope", _("These rules say nothing about care scope “%(scope)s”.") % {"scope": care_scope}
        ) from None


def direct_settlement_services(snapshot: RuleSetSnapshot, care_scope: str, care_province: str = "") -> tuple[str, ...]:
    services = []
    for rule in snapshot.settlement:
        if rule.care_scope and rule.care_scope != care_scope:
            continue
        if rule.care_province and rule.care_province != care_province:
            continue
        if rule.service not in services:
            services.append(rule.service)
    return tuple(services)


def referrer_check(rule: RegistrationTypeRule, *, level: int | None, can_refer: bool | None) -> None:
    """Whether a hospital may issue this type's referral (南通 Q9: 二级及以上; 射阳: 转诊资格)."""
    if rule.referrer_min_level and level is not None and level < rule.referrer_min_level:
        raise PolicyError(
            "referral_hospital",
            _("Referrals must come from a designated hospital of level %(min)s or higher.")
            % {"min": rule.referrer_min_level},
        )
    if rule.referrer_needs_referral_rights and can_refer is False:
        raise PolicyError("referral_hospital", _("This hospital has no referral rights (转诊资格)."))


# --- Special diseases ----------------------------------------------------------------------


@dataclass(frozen=True)
class SpecialDiseaseCheck:
    allowed: bool
    reason: str


def special_disease_check(
    snapshot: RuleSetSnapshot,
    disease: str,
    *,
    institution_level: int | None = None,
    dialysis_qualified: bool | None = None,
) -> SpecialDiseaseCheck:
    """May this institution be the one designated institution for this disease? (南通 Q5)

    Raises PolicyError when the institution given plainly does not qualify; answers
    allowed=False with the requirement when the institution is not described enough to tell.
    """
    rule = snapshot.special_diseases.get(disease)
    if rule is None:
        raise PolicyError(
            "special_disease",
            _("The rules “%(ruleset)s” have no special-disease designation for “%(disease)s”.")
            % {"ruleset": snapshot.name, "disease": disease},
        )
    needs = []
    if rule.min_level:
        needs.append(_("a networked institution of level %(level)s or higher") % {"level": rule.min_level})
    if rule.requires_dialysis_qualification:
        needs.append(_("an institution qualified for dialysis"))
    requirement = _("Choose one designated institution: %(needs)s.") % {"needs": _(" and ").join(needs)}

    if rule.min_level and institution_level is not None and institution_level < rule.min_level:
        raise PolicyError(
            "institution_level",
            _("For this disease the designated institution must be of level %(min)s or higher, not level %(level)s.")
            % {"min": rule.min_level, "level": institution_level},
        )
    if rule.requires_dialysis_qualification and dialysis_qualified is False:
        raise PolicyError(
            "institution_dialysis_qualified",
            _("Outpatient dialysis must be at an institution qualified for dialysis."),
        )
    unknown = (rule.min_level and institution_level is None) or (
        rule.requires_dialysis_qualification and dialysis_qualified is None
    )
    if unknown:
        return SpecialDiseaseCheck(False, requirement)
    return SpecialDiseaseCheck(True, requirement)


# --- Reimbursement estimate ----------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    fund_payment: Decimal
    deductible: Decimal
    ratio_points: Decimal
    capped: bool


def estimate(
    snapshot: RuleSetSnapshot,
    *,
    scheme: str,
    institution_level: int,
    policy_amount: Decimal,
    reduction: int,
    deductible_used: Decimal = Decimal("0"),
    paid_before: Decimal = Decimal("0"),
) -> Estimate | None:
    """(policy amount − deductible) × (base ratio − reduction points), capped; None without a row.

    `deductible_used` is the part of the deductible earlier expenses already met, and
    `paid_before` what the fund already pays for them, so that several invoices of one claim
    neither pay the deductible twice nor pass the annual cap together.
    """
    row = snapshot.benefits.get((scheme, institution_level))
    if row is None:
        return None
    deductible_left = max(row.deductible - deductible_used, Decimal("0"))
    base = max(policy_amount - deductible_left, Decimal("0"))
    ratio_points = max(row.base_ratio - Decimal(reduction), Decimal("0"))
    payment = (base * ratio_points / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)
    cap_left = None if row.annual_cap is None else max(row.annual_cap - paid_before, Decimal("0"))
    capped = cap_left is not None and payment > cap_left
    if capped:
        payment = cap_left
    return Estimate(payment, min(deductible_left, policy_amount), ratio_points, capped)


def is_long_term(rule: RegistrationTypeRule) -> bool:
    return rule.category == Category.LONG_TERM
