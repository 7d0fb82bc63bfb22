"""Citizen ID numbers (公民身份号码) per GB 11643-1999, and their masking.

An 18-character number is 6 digits of address code, 8 of birth date, 3 of
sequence (odd for men, even for women) and a check character computed with
ISO 7064 MOD 11-2. Numbers issued before 1999 have 15 digits: a 6-digit
birth date with the century left out (always 19xx) and no check character.
"""

import datetime
from dataclasses import dataclass

from renda.core.text import mask_middle

_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
_CHECK = "10X98765432"


class IdNumberError(ValueError):
    """The number is malformed; the message says how, in Chinese."""


@dataclass(frozen=True)
class IdNumber:
    number: str  # always the 18-character form
    birth_date: datetime.date
    is_male: bool


def check_character(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def parse_id_number(raw: str) -> IdNumber:
    """Validate a 15- or 18-character number and return its 18-character form
    with the birth date and gender it encodes."""
    number = (raw or "").strip().upper()
    if len(number) == 15:
        if not number.isdigit():
            raise IdNumberError("15 位身份证号码应全部为数字")
        first17 = number[:6] + "19" + number[6:]
        number = first17 + check_character(first17)
    elif len(number) == 18:
        if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
            raise IdNumberError("18 位身份证号码前 17 位应为数字，最后一位为数字或 X")
        if check_character(number[:17]) != number[17]:
            raise IdNumberError("身份证号码校验位不正确，请核对是否录错")
    else:
        raise IdNumberError(f"身份证号码应为 18 位（或旧版 15 位），现为 {len(number)} 位")
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError("身份证号码中的出生日期不存在") from None
    if birth.year < 1900 or birth > datetime.date.today():  # noqa: DTZ011 - a calendar date, no time zone involved
        raise IdNumberError("身份证号码中的出生日期不合理")
    return IdNumber(number=number, birth_date=birth, is_male=int(number[16]) % 2 == 1)


def mask_id_number(number: str | None) -> str:
    """Keep the first 6 and last 4 characters: 110105********1234."""
    return mask_middle(number or "", 6, 4)


def identity_problems(
    id_number: "str | IdNumber", birth_date: datetime.date | None, gender: str | None
) -> dict[str, str]:
    """Field → message for an ID number that is malformed or disagrees with
    the birth date or gender given beside it; empty when all agree. Forms,
    the API and the roster import all check identity through this (the
    import passes the number it has already parsed)."""
    if isinstance(id_number, IdNumber):
        parsed = id_number
    else:
        try:
            parsed = parse_id_number(id_number)
        except IdNumberError as error:
            return {"id_number": str(error)}
    problems = {}
    if birth_date and birth_date != parsed.birth_date:
        problems["birth_date"] = f"与身份证号码不符（身份证为 {parsed.birth_date:%Y-%m-%d}）"
    expected = "male" if parsed.is_male else "female"
    if gender and gender != expected:
        problems["gender"] = f"与身份证号码不符（身份证为{'男' if parsed.is_male else '女'}）"
    return problems
