import pytest

from renda.core.params import MAX_ID, as_id, as_year, next_url


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


@pytest.mark.parametrize(
    ("posted", "expected"),
    [
        ("/duties/queue/?page=2", "/duties/queue/?page=2"),
        ("https://example.com/", "/home/"),
        ("//example.com/", "/home/"),
        ("javascript:alert(1)", "/home/"),
        ("", "/home/"),
    ],
)
def test_the_way_back_stays_on_this_site(posted, expected, rf):
    assert next_url(rf.post("/", {"next": posted}), "/home/") == expected
