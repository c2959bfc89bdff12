import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from accounts import national_id


@pytest.mark.parametrize(
    "number", ["32060219900101123X", "32060219900101123x", "320623195803170041", " 320981196005050023 "]
)
def test_valid_numbers_are_accepted_and_normalised(number):
    assert national_id.validate(number) == number.strip().upper()


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("320602199001011230", "check_digit"),  # last character should be X
        ("320623195803170042", "check_digit"),
        ("320602199002301234", "birth_date"),  # 30 February
        ("320602189901011234", "birth_date"),  # before 1900
        ("990602199001011234", "region"),  # no province 99
        ("320000199001011234", "region"),
        ("3206021990010112", "shape"),
        ("32060219900101123Y", "shape"),
        ("", "shape"),
    ],
)
def test_invalid_numbers_say_what_is_wrong(number, code):
    with pytest.raises(ValidationError) as error:
        national_id.validate(number)
    assert error.value.code == code


@time_machine.travel("2026-11-23")
def test_birth_date_in_the_future_is_refused():
    future = "3206022027010112"
    number = future + "3" + national_id.check_character(future + "3")
    with pytest.raises(ValidationError) as error:
        national_id.validate(number)
    assert error.value.code == "birth_date"


def test_messages_are_chinese_by_default():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        national_id.validate("320602199001011230")
    assert "最后一位" in error.value.messages[0]


@given(
    region=st.sampled_from(["320602", "320623", "320981", "110101", "440305"]),
    birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2020, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_any_number_with_its_check_character_is_valid_and_one_changed_digit_is_not(region, birth, sequence):
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    number = first17 + national_id.check_character(first17)
    assert national_id.validate(number) == number
    wrong = "X" if number[-1] != "X" else "0"
    with pytest.raises(ValidationError):
        national_id.validate(number[:-1] + wrong)


def test_mask_hash_and_encryption_keep_the_number_out_of_sight():
    number = "32060219900101123X"
    assert national_id.mask(number) == "3206**********123X"
    token = national_id.encrypt(number)
    assert number not in token
    assert national_id.decrypt(token) == number
    assert national_id.lookup_hash(number) == national_id.lookup_hash(number.lower())
    assert number not in national_id.lookup_hash(number)


@pytest.mark.parametrize(("raw", "phone"), [("13800000001", "13800000001"), ("+86 138-0000-0001", "13800000001")])
def test_mobile_numbers(raw, phone):
    assert national_id.validate_mobile(raw) == phone


@pytest.mark.parametrize("raw", ["12800000001", "1380000000", "0513-86541625", ""])
def test_bad_mobile_numbers(raw):
    with pytest.raises(ValidationError):
        national_id.validate_mobile(raw)
