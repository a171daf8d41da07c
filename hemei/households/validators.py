"""Chinese resident identity numbers and phone numbers: checking and masking."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


def id_check_digit(first17: str) -> str:
    """The 18th character (GB 11643-1999, ISO 7064 MOD 11-2) for the first seventeen digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def normalize_id_number(value: str) -> str:
    return value.strip().replace(" ", "").upper()


def validate_id_number(value: str) -> str:
    """The normalised number, or ValidationError saying exactly what is wrong."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(count)d.") % {"count": len(number)},
            code="id_length",
        )
    if not _ID_SHAPE.match(number):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or X."), code="id_shape"
        )
    if birth_date_from_id(number) is None:
        raise ValidationError(
            _("The ID number holds no valid birth date (characters 7 to 14)."), code="id_date"
        )
    if id_check_digit(number[:17]) != number[17]:
        raise ValidationError(
            _("The ID number's check digit is wrong: please check the number for a typo."),
            code="id_checksum",
        )
    return number


def birth_date_from_id(number: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(number[6:14], "%Y%m%d").date()
    except ValueError:
        return None


def gender_from_id(number: str) -> str:
    """``"male"`` or ``"female"`` from the 17th digit (odd for men)."""
    return "male" if int(number[16]) % 2 else "female"


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value.strip()).removeprefix("+86")


def validate_phone(value: str) -> str:
    """The normalised phone (a mobile of 11 digits or a landline with area code)."""
    phone = normalize_phone(value)
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return phone
    raise ValidationError(
        _(
            "Enter a mobile number of 11 digits starting with 1, or a landline with its area "
            "code (e.g. 0532-88881234)."
        ),
        code="phone",
    )


def mask_id_number(number: str) -> str:
    """370215********1234: the region and the last four, never the birth date."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"
