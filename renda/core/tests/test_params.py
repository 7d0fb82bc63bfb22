import pytest

from renda.core.params import MAX_ID, as_id, as_year


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        (12, 12),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 5000, None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("１２", None),
        ("1e3", None),
        ("", None),
        (None, None),
    ],
)
def test_an_id_is_ascii_digits_that_fit_the_database(value, expected):
    assert as_id(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026", 2026),
        ("2000", 2000),
        ("1999", None),
        ("2028", None),
        ("２０２６", None),
        ("", None),
    ],
)
def test_a_year_is_four_digits_from_2000_to_the_latest(value, expected):
    assert as_year(value, latest=2027) == expected
