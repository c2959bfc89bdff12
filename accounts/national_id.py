"""Resident identity numbers (GB 11643-1999): validation, masking and protection at rest.

The 18 characters are never stored in the clear: a keyed hash (HMAC-SHA256) finds an
account by its number, an encrypted copy (Fernet) lets authorised staff read it, and a
masked form (3206**********1234) is what pages show.
"""

import base64
import datetime
import hashlib
import hmac
import re

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
# Province-level codes (first two digits) of GB/T 2260, plus 71/81/82/83 for Taiwan, Hong Kong,
# Macao and residence permits of Taiwan residents.
PROVINCE_CODES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
    }
)
SHAPE = re.compile(r"^\d{17}[\dX]$")


def normalize(value: str) -> str:
    return (value or "").strip().upper()


def check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def validate(value: str) -> str:
    """Return the normalised number or raise ValidationError saying exactly what is wrong."""
    number = normalize(value)
    if not SHAPE.match(number):
        raise ValidationError(
            _("An identity number has 18 characters: 17 digits and a final digit or X."), code="shape"
        )
    if number[:2] not in PROVINCE_CODES or number[2:6] == "0000":
        raise ValidationError(_("The first six digits are not a valid region code."), code="region")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("Digits 7–14 are not a valid date of birth."), code="birth_date") from None
    if not datetime.date(1900, 1, 1) <= birth <= timezone.localdate():
        raise ValidationError(_("The date of birth in the number is not plausible."), code="birth_date")
    if check_character(number[:17]) != number[17]:
        raise ValidationError(_("The last character does not match: please check the number."), code="check_digit")
    return number


def mask(number: str) -> str:
    number = normalize(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if len(number) > 8 else "*" * len(number)


def _key(purpose: bytes) -> bytes:
    secret = settings.FIELD_ENCRYPTION_KEY.encode()
    return hmac.new(secret, purpose, hashlib.sha256).digest()


def lookup_hash(number: str) -> str:
    return hmac.new(_key(b"national-id-lookup"), normalize(number).encode(), hashlib.sha256).hexdigest()


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key(b"national-id-encryption")))


def encrypt(number: str) -> str:
    return _fernet().encrypt(normalize(number).encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def looks_like_national_id(value: str) -> bool:
    return bool(SHAPE.match(normalize(value)))


def validate_mobile(value: str) -> str:
    phone = re.sub(r"[\s-]", "", value or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not re.fullmatch(r"1[3-9]\d{9}", phone):
        raise ValidationError(_("Enter a mainland mobile number: 11 digits starting with 13–19."), code="phone")
    return phone
