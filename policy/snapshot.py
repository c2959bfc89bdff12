"""Build immutable RuleSetSnapshots from the database, in a fixed number of queries."""

from django.db.models import Prefetch

from policy import rules
from policy.models import MaterialGroup, MaterialOption, RuleSet


def _documents(option: MaterialOption):
    return tuple(
        rules.DocumentKindRule(kind.code, kind.name_zh, kind.name_en, kind.accepted_in_portal)
        for kind in sorted(option.document_kinds.all(), key=lambda k: k.code)
    )


def _group(group: MaterialGroup) -> rules.MaterialGroupRule:
    return rules.MaterialGroupRule(
        code=group.code,
        name_zh=group.name_zh,
        name_en=group.name_en,
        purpose=group.purpose,
        registration_type=group.registration_type.code if group.registration_type else "",
        claim_kind=group.claim_kind,
        treatments=frozenset(group.treatments or ()),
        when_agent=group.when_agent,
        source_ref=group.source_ref,
        sets_validity=group.sets_validity,
        options=tuple(
            rules.MaterialOptionRule(option.code, option.name_zh, option.name_en, _documents(option))
            for option in group.options.all()
        ),
    )


def _month_day(month, day, year_offset=0):
    return rules.MonthDay(month, day, year_offset) if month and day else None


def build(ruleset: RuleSet) -> rules.RuleSetSnapshot:
    return rules.RuleSetSnapshot(
        id=ruleset.id,
        jurisdiction=ruleset.jurisdiction.code,
        name=ruleset.name,
        effective_from=ruleset.effective_from,
        effective_to=ruleset.effective_to,
        source=ruleset.source,
        types=tuple(
            rules.RegistrationTypeRule(
                code=t.code,
                category=t.category,
                name_zh=t.name_zh,
                name_en=t.name_en,
                validity_rule=t.validity_rule,
                validity_months=t.validity_months,
                reduction_points=t.reduction_points,
                filing_required=t.filing_required,
                review_required=t.review_required,
                channels=tuple(t.channels or ()),
                description_zh=t.description_zh,
                description_en=t.description_en,
                source_ref=t.source_ref,
                mail_forms=t.mail_forms,
                referrer_min_level=t.referrer_min_level,
                referrer_needs_referral_rights=t.referrer_needs_referral_rights,
                wizard_situation=t.wizard_situation,
                rescue_default=t.rescue_default,
            )
            for t in ruleset.registration_types.all()
        ),
        material_groups=tuple(_group(g) for g in ruleset.material_groups.all()),
        catalogue={c.care_scope: c.catalogue for c in ruleset.catalogue_rules.all()},
        institution_lookup={
            c.care_scope: (c.institution_lookup_name, c.institution_lookup_url)
            for c in ruleset.catalogue_rules.all()
            if c.institution_lookup_url
        },
        settlement=tuple(
            rules.SettlementScopeRule(s.care_scope, s.care_province, s.service) for s in ruleset.settlement_scopes.all()
        ),
        special_diseases={
            d.disease: rules.SpecialDiseaseRuleData(
                d.disease, d.min_level, d.requires_dialysis_qualification, d.source_ref
            )
            for d in ruleset.special_disease_rules.all()
        },
        benefits={
            (b.scheme, b.institution_level): rules.BenefitRowRule(
                b.scheme, b.institution_level, b.deductible, b.base_ratio, b.annual_cap
            )
            for b in ruleset.benefit_rows.all()
        },
        claim_deadline=_month_day(ruleset.claim_deadline_month, ruleset.claim_deadline_day),
        claim_extension=_month_day(
            ruleset.claim_extension_month, ruleset.claim_extension_day, ruleset.claim_extension_year_offset
        ),
    )


def build_one(ruleset_id: int) -> rules.RuleSetSnapshot:
    """One rule set, published or not: the admin's preview of a draft."""
    return build(_with_rows(RuleSet.objects.filter(pk=ruleset_id)).get())


def _with_rows(rulesets):
    return rulesets.select_related("jurisdiction").prefetch_related(
        "registration_types",
        Prefetch(
            "material_groups",
            queryset=MaterialGroup.objects.select_related("registration_type").prefetch_related(
                Prefetch("options", queryset=MaterialOption.objects.prefetch_related("document_kinds"))
            ),
        ),
        "catalogue_rules",
        "settlement_scopes",
        "special_disease_rules",
        "benefit_rows",
    )


def build_all() -> list[rules.RuleSetSnapshot]:
    """Every published rule set: what cases and quotes are judged by."""
    return [build(ruleset) for ruleset in _with_rows(RuleSet.objects.filter(published=True))]
