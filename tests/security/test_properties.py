"""Property tests (hypothesis) of the parsers that guard the data: ID numbers, money, claim windows."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts import national_id
from claims.services import _money
from common.errors import ServiceError
from policy import rules

REGIONS = sorted(national_id.PROVINCE_CODES)


@st.composite
def valid_ids(draw):
    region = draw(st.sampled_from(REGIONS)) + draw(st.from_regex(r"\A\d{4}\Z").filter(lambda d: d != "0000"))
    born = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)))
    sequence = draw(st.from_regex(r"\A\d{3}\Z"))
    body = f"{region}{born:%Y%m%d}{sequence}"
    return body + national_id.check_character(body)


@settings(max_examples=300, deadline=None)
@given(number=valid_ids(), lower=st.booleans())
def test_every_well_formed_id_is_accepted_and_masked_to_eight_characters(number, lower):
    assert national_id.validate(number.lower() if lower else number) == number
    masked = national_id.mask(number)
    assert masked[:4] == number[:4]
    assert masked[-4:] == number[-4:]
    assert set(masked[4:-4]) == {"*"}


@settings(max_examples=300, deadline=None)
@given(number=valid_ids(), wrong=st.sampled_from("0123456789X"))
def test_a_wrong_check_character_is_always_refused(number, wrong):
    if wrong == number[-1]:
        return
    with pytest.raises(ValidationError):
        national_id.validate(number[:-1] + wrong)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=24))
def test_any_text_is_either_a_valid_id_or_a_clear_refusal(text):
    codes = set()
    try:
        number = national_id.validate(text)
    except ValidationError as error:
        codes.add(error.code)
    else:
        assert national_id.check_character(number[:17]) == number[17]
    assert codes <= {"shape", "region", "birth_date", "check_digit"}


@settings(max_examples=300, deadline=None)
@given(amount=st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2, allow_nan=False))
def test_money_in_yuan_round_trips_exactly(amount):
    assert _money(str(amount), "amount") == amount
    assert _money(amount, "amount") == amount


@settings(max_examples=300, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=12),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.floats(allow_nan=True).map(str),
    )
)
def test_money_is_never_guessed(text):
    """Either exactly two decimals or fewer, not negative and finite — or a clear refusal."""
    refused = {}
    try:
        amount = _money(text, "amount")
    except ServiceError as error:
        refused = error.errors
    else:
        assert amount.is_finite()
        assert amount >= 0
        assert amount == amount.quantize(Decimal("0.01"))
    assert not refused or "amount" in refused


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_every_day_is_claimable_until_31_december_and_late_until_31_march(day):
    snapshot = type(
        "Snapshot", (), {"claim_deadline": rules.MonthDay(12, 31), "claim_extension": rules.MonthDay(3, 31, 1)}
    )
    deadline, extended = rules.claim_deadlines(snapshot, day)
    assert deadline == datetime.date(day.year, 12, 31)
    assert extended == datetime.date(day.year + 1, 3, 31)
    assert day <= deadline < extended
