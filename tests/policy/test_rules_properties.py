"""Properties of the pure policy functions (policy/rules.py), checked with Hypothesis.

No database: the snapshots are built by hand. The Nantong-like one carries the claim
window of 南通 Q8 (costs of a year are claimed by 31 December, in special cases by
31 March of the next year); validity follows 南通 Q7.4. The functions take every date as
an argument, so nothing here depends on today and no clock needs freezing.
"""

import calendar
import datetime
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from policy.constants import Category, ValidityRule
from policy.rules import (
    BenefitRowRule,
    DocumentKindRule,
    MaterialGroupRule,
    MaterialOptionRule,
    MonthDay,
    PolicyError,
    RegistrationTypeRule,
    RuleSetSnapshot,
    add_months,
    claim_deadlines,
    claim_window_open,
    estimate,
    missing_materials,
    ruleset_in_force,
    validity,
)

ONE_DAY = datetime.timedelta(days=1)

dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 12, 31))
month_counts = st.integers(min_value=0, max_value=240)
validity_months = st.integers(min_value=1, max_value=120)  # the model's validators
points = st.integers(min_value=0, max_value=100)
amounts = st.decimals(min_value=0, max_value=Decimal("1000000"), places=2)
deductibles = st.decimals(min_value=0, max_value=Decimal("5000"), places=2)
ratios = st.decimals(min_value=0, max_value=Decimal("100"), places=2)
some_caps = st.decimals(min_value=0, max_value=Decimal("500000"), places=2)
caps = st.none() | some_caps
# Any month/day the model accepts: 29 February included (it falls back in common years).
month_days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2000, 12, 31)).map(
    lambda d: (d.month, d.day)
)

NANTONG_DEADLINE = MonthDay(12, 31)
NANTONG_EXTENSION = MonthDay(3, 31, 1)
SCHEME, LEVEL = "employee", 3


def type_rule(validity_rule, months=None, reduction=0) -> RegistrationTypeRule:
    return RegistrationTypeRule(
        code="test_type",
        category=Category.TEMPORARY,
        name_zh="测试类型",
        name_en="Test type",
        validity_rule=validity_rule,
        validity_months=months,
        reduction_points=reduction,
    )


def snapshot(**overrides) -> RuleSetSnapshot:
    values = {
        "id": 1,
        "jurisdiction": "nantong",
        "name": "南通 test",
        "effective_from": datetime.date(2000, 1, 1),
        "effective_to": None,
        "source": "tests",
    }
    return RuleSetSnapshot(**(values | overrides))


NANTONG_LIKE = snapshot(claim_deadline=NANTONG_DEADLINE, claim_extension=NANTONG_EXTENSION)


def with_benefit(row: BenefitRowRule) -> RuleSetSnapshot:
    return snapshot(benefits={(row.scheme, row.institution_level): row})


def benefit_rows(annual_cap=caps):
    return st.builds(
        BenefitRowRule,
        scheme=st.just(SCHEME),
        institution_level=st.just(LEVEL),
        deductible=deductibles,
        base_ratio=ratios,
        annual_cap=annual_cap,
    )


def estimate_for(row, policy_amount, reduction, deductible_used=Decimal("0")):
    return estimate(
        with_benefit(row),
        scheme=SCHEME,
        institution_level=LEVEL,
        policy_amount=policy_amount,
        reduction=reduction,
        deductible_used=deductible_used,
    )


def expected_payment(policy_amount, deductible, base_ratio, reduction) -> Decimal:
    """The uncapped payment in whole-number arithmetic, independent of Decimal rounding."""
    base_cents = max(int(policy_amount * 100) - int(deductible * 100), 0)
    ratio_hundredths = max(int(base_ratio * 100) - reduction * 100, 0)
    # cents × hundredths of a percentage point = 1/10 000 of a cent: round half up.
    cents = (base_cents * ratio_hundredths + 5000) // 10000
    return Decimal(cents) / 100


# --- add_months ----------------------------------------------------------------------------


@given(day=dates, months=month_counts)
def test_add_months_never_goes_back(day, months):
    assert add_months(day, months) >= day


@given(day=dates, months=month_counts)
@example(day=datetime.date(2024, 1, 31), months=1)
@example(day=datetime.date(2023, 1, 31), months=1)
@example(day=datetime.date(2024, 3, 31), months=1)
def test_add_months_lands_in_the_target_month_or_on_the_first_after(day, months):
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    month = month_index + 1
    last_day = calendar.monthrange(year, month)[1]

    result = add_months(day, months)

    if day.day <= last_day:
        assert result == datetime.date(year, month, day.day)
    else:  # the target month lacks the day: roll to the 1st of the month after
        assert result == datetime.date(year, month, last_day) + ONE_DAY


@given(day=dates)
@example(day=datetime.date(2024, 2, 29))
@example(day=datetime.date(2023, 12, 31))
def test_add_months_twelve_keeps_month_and_day(day):
    result = add_months(day, 12)

    if (day.month, day.day) == (2, 29):
        assert result == datetime.date(day.year + 1, 3, 1)
    else:
        assert result == day.replace(year=day.year + 1)


@given(day=dates)
def test_add_months_zero_is_the_same_day(day):
    assert add_months(day, 0) == day


# --- validity ------------------------------------------------------------------------------


@given(starts=dates, months=validity_months)
@example(starts=datetime.date(2024, 1, 31), months=1)
def test_validity_fixed_months_ends_the_day_before_the_same_date_later(starts, months):
    valid = validity(type_rule(ValidityRule.FIXED_MONTHS, months), starts=starts)

    assert valid.starts == starts
    assert valid.ends >= valid.starts
    assert valid.ends == add_months(starts, months) - ONE_DAY
    assert valid.rule == ValidityRule.FIXED_MONTHS


@given(starts=dates)
@example(starts=datetime.date(2024, 2, 29))
@example(starts=datetime.date(2024, 3, 1))
@example(starts=datetime.date(2023, 3, 1))
def test_validity_twelve_months_covers_a_whole_year(starts):
    valid = validity(type_rule(ValidityRule.FIXED_MONTHS, 12), starts=starts)

    days_covered = (valid.ends - valid.starts).days + 1
    assert days_covered in (365, 366)


@given(starts=dates, days_after=st.integers(min_value=0, max_value=3650))
def test_validity_proof_expiry_ends_with_the_proof(starts, days_after):
    proof_valid_until = starts + datetime.timedelta(days=days_after)

    valid = validity(type_rule(ValidityRule.PROOF_EXPIRY), starts=starts, proof_valid_until=proof_valid_until)

    assert valid.ends == proof_valid_until
    assert valid.rule == ValidityRule.PROOF_EXPIRY


@given(starts=dates)
def test_validity_proof_expiry_without_proof_date_is_open_ended(starts):
    assert validity(type_rule(ValidityRule.PROOF_EXPIRY), starts=starts).ends is None


@settings(deadline=None)  # the first PolicyError loads the translations
@given(starts=dates, days_before=st.integers(min_value=1, max_value=3650))
def test_validity_proof_expiring_before_the_start_is_refused(starts, days_before):
    proof_valid_until = starts - datetime.timedelta(days=days_before)

    with pytest.raises(PolicyError) as error:
        validity(type_rule(ValidityRule.PROOF_EXPIRY), starts=starts, proof_valid_until=proof_valid_until)

    assert error.value.field == "proof_valid_until"


@given(starts=dates, rule=st.sampled_from([ValidityRule.NOT_REQUIRED, ValidityRule.OPEN_ENDED]))
def test_validity_not_required_and_open_ended_have_no_end(starts, rule):
    valid = validity(type_rule(rule), starts=starts)

    assert valid.starts == starts
    assert valid.ends is None
    assert valid.rule == rule


@settings(deadline=None)
@given(
    starts=dates,
    proof_valid_until=dates,
    rule=st.sampled_from([ValidityRule.FIXED_MONTHS, ValidityRule.NOT_REQUIRED, ValidityRule.OPEN_ENDED]),
)
def test_validity_proof_date_for_a_type_without_proof_is_refused(starts, proof_valid_until, rule):
    months = 12 if rule == ValidityRule.FIXED_MONTHS else None

    with pytest.raises(PolicyError) as error:
        validity(type_rule(rule, months), starts=starts, proof_valid_until=proof_valid_until)

    assert error.value.field == "proof_valid_until"


# --- claim window --------------------------------------------------------------------------


@given(expense_date=dates)
def test_claim_deadlines_are_year_end_and_end_of_march_next_year(expense_date):
    deadline, extended = claim_deadlines(NANTONG_LIKE, expense_date)

    assert deadline == datetime.date(expense_date.year, 12, 31)
    assert extended == datetime.date(expense_date.year + 1, 3, 31)
    assert deadline >= expense_date
    assert extended > deadline


@given(year=st.integers(min_value=2000, max_value=2100))
def test_claim_deadlines_29_february_falls_back_to_28_in_common_years(year):
    ruleset = snapshot(claim_deadline=MonthDay(2, 29))

    deadline, extended = claim_deadlines(ruleset, datetime.date(year, 1, 1))

    assert deadline == datetime.date(year, 2, 29 if calendar.isleap(year) else 28)
    assert extended is None


@given(expense_date=dates, on=dates, special_case=st.booleans())
def test_claim_window_open_without_a_stated_window_is_always_open(expense_date, on, special_case):
    ruleset = snapshot()

    assert claim_deadlines(ruleset, expense_date) == (None, None)
    assert claim_window_open(ruleset, expense_date=expense_date, on=on, special_case=special_case)


@given(expense_date=dates, days_after=st.integers(min_value=0, max_value=800), special_case=st.booleans())
def test_claim_window_open_follows_nantong_q8(expense_date, days_after, special_case):
    on = expense_date + datetime.timedelta(days=days_after)
    last_day = datetime.date(expense_date.year + (1 if special_case else 0), 3 if special_case else 12, 31)

    assert claim_window_open(NANTONG_LIKE, expense_date=expense_date, on=on, special_case=special_case) == (
        on <= last_day
    )


@given(
    expense_date=dates,
    offsets=st.lists(st.integers(min_value=0, max_value=800), min_size=2, max_size=2).map(sorted),
    special_case=st.booleans(),
)
def test_claim_window_open_is_monotonic(expense_date, offsets, special_case):
    earlier, later = (expense_date + datetime.timedelta(days=offset) for offset in offsets)

    def is_open(on):
        return claim_window_open(NANTONG_LIKE, expense_date=expense_date, on=on, special_case=special_case)

    if is_open(later):
        assert is_open(earlier)


@given(
    deadline=month_days,
    extension=month_days,
    expense_date=dates,
    days_after=st.integers(min_value=0, max_value=800),
)
@example(deadline=(12, 31), extension=(3, 31), expense_date=datetime.date(2025, 12, 1), days_after=60)
def test_claim_window_open_special_case_only_extends(deadline, extension, expense_date, days_after):
    # The extension lies in a later year (南通: year_offset 1), so it can only add days.
    ruleset = snapshot(claim_deadline=MonthDay(*deadline), claim_extension=MonthDay(*extension, year_offset=1))
    on = expense_date + datetime.timedelta(days=days_after)

    if claim_window_open(ruleset, expense_date=expense_date, on=on, special_case=False):
        assert claim_window_open(ruleset, expense_date=expense_date, on=on, special_case=True)


# --- estimate ------------------------------------------------------------------------------


@given(row=benefit_rows(), policy_amount=amounts, reduction=points, deductible_used=deductibles)
def test_estimate_stays_between_zero_policy_amount_and_cap(row, policy_amount, reduction, deductible_used):
    result = estimate_for(row, policy_amount, reduction, deductible_used)

    assert Decimal("0") <= result.fund_payment <= policy_amount
    if row.annual_cap is not None:
        assert result.fund_payment <= row.annual_cap


@given(row=benefit_rows(annual_cap=st.none()), policy_amount=amounts, reduction=points)
@example(
    row=BenefitRowRule(SCHEME, LEVEL, Decimal("0.00"), Decimal("90.00"), None),
    policy_amount=Decimal("0.05"),  # 0.045 rounds half up to 0.05
    reduction=0,
)
def test_estimate_uncapped_is_the_formula_rounded_half_up_to_cents(row, policy_amount, reduction):
    result = estimate_for(row, policy_amount, reduction)

    assert result.fund_payment == expected_payment(policy_amount, row.deductible, row.base_ratio, reduction)
    assert result.capped is False


@given(row=benefit_rows(annual_cap=some_caps), policy_amount=amounts, reduction=points)
def test_estimate_capped_pays_the_annual_cap(row, policy_amount, reduction):
    uncapped = expected_payment(policy_amount, row.deductible, row.base_ratio, reduction)

    result = estimate_for(row, policy_amount, reduction)

    assert result.capped == (uncapped > row.annual_cap)
    assert result.fund_payment == min(uncapped, row.annual_cap)


@given(
    row=benefit_rows(),
    policy_amount=amounts,
    reductions=st.lists(points, min_size=2, max_size=2).map(sorted),
)
def test_estimate_does_not_rise_with_reduction_points(row, policy_amount, reductions):
    smaller, larger = reductions

    assert (
        estimate_for(row, policy_amount, larger).fund_payment <= estimate_for(row, policy_amount, smaller).fund_payment
    )


@given(row=benefit_rows(), policy_amounts=st.lists(amounts, min_size=2, max_size=2).map(sorted), reduction=points)
def test_estimate_does_not_fall_with_policy_amount(row, policy_amounts, reduction):
    smaller, larger = policy_amounts

    assert estimate_for(row, smaller, reduction).fund_payment <= estimate_for(row, larger, reduction).fund_payment


@given(
    row=benefit_rows(annual_cap=st.none()),
    first=amounts,
    second=amounts,
    reduction=points,
)
def test_estimate_charges_the_deductible_once_across_invoices(row, first, second, reduction):
    together = estimate_for(row, first + second, reduction).fund_payment
    first_part = estimate_for(row, first, reduction).fund_payment
    second_part = estimate_for(row, second, reduction, deductible_used=min(row.deductible, first)).fund_payment

    # Each part is rounded on its own: at most one cent apart from rounding the whole.
    assert abs(first_part + second_part - together) <= Decimal("0.01")


@given(
    row=benefit_rows(),
    other_row=st.sampled_from([("employee", 1), ("employee", 2), ("resident", 1), ("resident", 2), ("resident", 3)]),
    policy_amount=amounts,
    reduction=points,
)
def test_estimate_without_a_benefit_row_is_none(row, other_row, policy_amount, reduction):
    scheme, level = other_row

    for ruleset in (snapshot(), with_benefit(row)):
        assert (
            estimate(ruleset, scheme=scheme, institution_level=level, policy_amount=policy_amount, reduction=reduction)
            is None
        )


@given(row=benefit_rows(), policy_amount=amounts, reduction=points, deductible_used=deductibles)
def test_estimate_uses_decimal_only(row, policy_amount, reduction, deductible_used):
    result = estimate_for(row, policy_amount, reduction, deductible_used)

    assert type(result.fund_payment) is Decimal
    assert type(result.deductible) is Decimal
    assert type(result.ratio_points) is Decimal
    assert result.fund_payment.as_tuple().exponent == -2  # whole cents
    assert type(result.capped) is bool


# --- missing_materials ---------------------------------------------------------------------

document_codes = st.sampled_from([f"doc_{n}" for n in range(8)])


@st.composite
def material_groups(draw):
    """1–4 groups of 1–3 options, each option 1–3 documents (codes may repeat across groups)."""
    groups = []
    for g in range(draw(st.integers(min_value=1, max_value=4))):
        options = tuple(
            MaterialOptionRule(
                code=f"group_{g}_option_{o}",
                name_zh="选项",
                name_en="Option",
                documents=tuple(
                    DocumentKindRule(code, code, code)
                    for code in draw(st.lists(document_codes, min_size=1, max_size=3, unique=True))
                ),
            )
            for o in range(draw(st.integers(min_value=1, max_value=3)))
        )
        groups.append(
            MaterialGroupRule(code=f"group_{g}", name_zh="材料", name_en="Material", options=options, purpose="claim")
        )
    return tuple(groups)


def documents_of(option) -> set[str]:
    return {document.code for document in option.documents}


@given(groups=material_groups(), data=st.data())
def test_missing_materials_one_option_of_each_group_leaves_nothing_missing(groups, data):
    provided = set()
    for group in groups:
        provided |= documents_of(data.draw(st.sampled_from(group.options)))

    assert missing_materials(groups, provided) == ()


@given(groups=material_groups(), data=st.data())
def test_missing_materials_without_a_groups_documents_that_group_is_missing(groups, data):
    provided = set()
    for group in groups:
        provided |= documents_of(data.draw(st.sampled_from(group.options)))
    removed = data.draw(st.sampled_from(groups))
    for option in removed.options:
        provided -= documents_of(option)

    assert removed in missing_materials(groups, provided)


@given(option_sizes=st.lists(st.integers(min_value=2, max_value=4), min_size=1, max_size=3), data=st.data())
def test_missing_materials_an_incomplete_option_does_not_count(option_sizes, data):
    # Options with their own documents; of each, all but one is brought.
    options = tuple(
        MaterialOptionRule(
            f"option_{o}", "选项", "Option", tuple(DocumentKindRule(f"o{o}_d{d}", "", "") for d in range(size))
        )
        for o, size in enumerate(option_sizes)
    )
    group = MaterialGroupRule(code="group", name_zh="材料", name_en="Material", options=options, purpose="claim")
    provided = set()
    for option in options:
        left_out = data.draw(st.sampled_from(option.documents))
        provided |= documents_of(option) - {left_out.code}

    assert missing_materials((group,), provided) == (group,)


@given(groups=material_groups(), provided=st.sets(document_codes), extra=st.sets(document_codes))
def test_missing_materials_more_documents_never_miss_more(groups, provided, extra):
    assert set(missing_materials(groups, provided | extra)) <= set(missing_materials(groups, provided))


# --- ruleset_in_force ----------------------------------------------------------------------


@st.composite
def versions(draw, jurisdiction="nantong"):
    """1–4 versions of one jurisdiction, in any order, as the model allows them.

    Starts are distinct; an explicit end lies before the next start; an open end
    means "until the next version starts" (RuleSet.overlapping).
    """
    starts = sorted(draw(st.sets(dates, min_size=1, max_size=4)))
    result = []
    for index, start in enumerate(starts):
        next_start = starts[index + 1] if index + 1 < len(starts) else datetime.date(2101, 1, 1)
        length = (next_start - start).days  # ≥ 1
        end_offset = draw(st.none() | st.integers(min_value=0, max_value=length - 1))
        end = None if end_offset is None else start + datetime.timedelta(days=end_offset)
        result.append(
            snapshot(id=index + 1, jurisdiction=jurisdiction, name=f"v{index}", effective_from=start, effective_to=end)
        )
    return draw(st.permutations(result))


def effective_period(version, all_versions):
    """[from, to] of a version: its explicit end, or the day before the next one starts."""
    later = [v.effective_from for v in all_versions if v.effective_from > version.effective_from]
    ends = [d for d in (version.effective_to, min(later) - ONE_DAY if later else None) if d is not None]
    return version.effective_from, min(ends, default=None)


@settings(deadline=None)
@given(ours=versions(), theirs=versions(jurisdiction="sheyang"), on=dates)
def test_ruleset_in_force_picks_the_version_whose_period_contains_the_date(ours, theirs, on):
    containing = [
        v for v in ours if (period := effective_period(v, ours))[0] <= on and (period[1] is None or on <= period[1])
    ]
    assert len(containing) <= 1  # periods never overlap

    if containing:
        assert ruleset_in_force([*theirs, *ours], "nantong", on) == containing[0]
    else:
        with pytest.raises(PolicyError) as error:
            ruleset_in_force([*theirs, *ours], "nantong", on)
        assert error.value.field == "on_date"


@settings(deadline=None)
@given(ours=versions(), days_before=st.integers(min_value=1, max_value=3650))
def test_ruleset_in_force_before_the_earliest_version_is_refused(ours, days_before):
    on = min(v.effective_from for v in ours) - datetime.timedelta(days=days_before)

    with pytest.raises(PolicyError) as error:
        ruleset_in_force(ours, "nantong", on)

    assert error.value.field == "on_date"


@settings(deadline=None)
@given(ours=versions(), on=dates)
def test_ruleset_in_force_unknown_jurisdiction_is_refused(ours, on):
    with pytest.raises(PolicyError) as error:
        ruleset_in_force(ours, "nowhere", on)

    assert error.value.field == "jurisdiction"
