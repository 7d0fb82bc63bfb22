"""ID numbers per GB 11643-1999: checksum, legacy 15-digit numbers, birth date and gender."""

import datetime

import pytest

from renda.deputies.idcard import IdNumberError, check_character, mask_id_number, parse_id_number


def test_the_standards_example_number_is_valid():
    # The example in GB 11643-1999: 11010519491231002X, a woman born 1949-12-31.
    parsed = parse_id_number("11010519491231002x")
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.is_male is False


def test_a_wrong_check_character_is_refused():
    with pytest.raises(IdNumberError, match="校验位"):
        parse_id_number("110105194912310021")


def test_a_15_digit_legacy_number_becomes_18_characters():
    parsed = parse_id_number("110105491231002")
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.is_male is False  # sequence 002 is even


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "应为 18 位"),
        ("1101051949123", "现为 13 位"),
        ("11010519491331002X", "出生日期不存在"),
        ("1101051949123100AX", "前 17 位"),
    ],
)
def test_malformed_numbers_get_a_chinese_reason(raw, message):
    number = raw
    if len(raw) == 18 and raw[:17].isdigit():
        number = raw[:17] + check_character(raw[:17])
    with pytest.raises(IdNumberError, match=message):
        parse_id_number(number)


def test_masking_keeps_the_region_and_the_last_four():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number(None) == ""
