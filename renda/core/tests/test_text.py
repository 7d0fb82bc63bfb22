import pytest

from renda.core.text import chinese_number, mask_middle


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (18, "十八"),
        (20, "二十"),
        (45, "四十五"),
        (99, "九十九"),
    ],
)
def test_chinese_number_writes_term_and_session_numbers(number, written):
    assert chinese_number(number) == written


def test_mask_middle_keeps_only_the_ends():
    assert mask_middle("13812345678", 3, 4) == "138****5678"
    assert mask_middle("12", 3, 4) == "**"
    assert mask_middle("", 3, 4) == ""
