"""Structure statistics (结构比例): the figures against a hand count, the same
numbers on the page, in the Excel export and from the command, guideline
checks read from rules, a pinned query count, scope and bad input."""

import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from renda.core.tests.factories import RegionFactory, RuleFactory, TownshipFactory
from renda.core.tests.helpers import assert_pinned_queries
from renda.deputies.models import Person
from renda.deputies.structure import born_by, structure_report
from renda.deputies.tests.factories import MandateFactory, PersonFactory

ON = datetime.date(2026, 7, 1)
ELECTED = datetime.date(2021, 11, 20)

# 24 county deputies of 白石乡 serving on 1 July 2026 (第十八届):
# (gender, birth date, party, occupation, education, ethnicity, re-elected)
SERVING = [
    ("female", "1990-07-02", "cpc", "farmer", "senior", "汉族", False),  # 35 tomorrow 36
    ("male", "1990-07-01", "cpc", "worker", "college", "汉族", True),  # 36 today
    ("female", "1970-07-01", "cpc_probationary", "technician", "bachelor", "回族", False),  # 56
    ("male", "1970-07-02", "democratic", "official", "postgraduate", "汉族", True),  # 55
    ("male", "1995-03-10", "masses", "farmer", "junior", "汉族", False),
    ("female", "1980-01-01", "cpc", "official", "bachelor", "汉族", True),
    ("male", "1965-05-05", "cpc", "official", "bachelor", "汉族", True),
    ("male", "1975-08-08", "non_party", "enterprise", "college", "苗族", False),
    ("female", "1985-12-12", "cpc", "technician", "postgraduate", "汉族", False),
    ("male", "1960-02-29", "cpc", "farmer", "primary", "汉族", True),
    ("female", "1998-06-30", "masses", "worker", "senior", "回族", False),
    ("male", "1978-04-04", "cpc", "intellectual", "bachelor", "汉族", False),
    ("male", "1972-09-09", "cpc", "farmer", "junior", "汉族", True),
    ("female", "1988-10-10", "cpc_probationary", "individual", "senior", "汉族", False),
    ("male", "1969-11-11", "cpc", "official", "college", "汉族", True),
    ("female", "1992-01-20", "democratic", "technician", "bachelor", "汉族", False),
    ("male", "1983-03-03", "cpc", "worker", "senior", "苗族", False),
    ("male", "1966-06-06", "masses", "farmer", "primary", "汉族", False),
    ("female", "1977-07-07", "cpc", "official", "postgraduate", "汉族", True),
    ("male", "1991-09-19", "cpc", "military", "college", "汉族", False),
    ("male", "1974-04-14", "cpc", "enterprise", "bachelor", "汉族", True),
    ("female", "1986-08-18", "non_party", "other", "college", "汉族", False),
    ("male", "1958-12-25", "cpc", "religious", "junior", "藏族", False),
    ("female", "1982-02-02", "cpc", "farmer", "senior", "汉族", True),
]

# Counted by hand from the table above: {row key: (count, percent of 24)}.
EXPECTED = {
    "age": {"young": (5, "20.83"), "middle": (13, "54.17"), "old": (6, "25.00")},
    "party": {
        "cpc": (15, "62.50"),
        "cpc_probationary": (2, "8.33"),
        "democratic": (2, "8.33"),
        "non_party": (2, "8.33"),
        "masses": (3, "12.50"),
        "party_members": (17, "70.83"),
    },
    "occupation": {
        "worker": (3, "12.50"),
        "farmer": (6, "25.00"),
        "technician": (3, "12.50"),
        "official": (5, "20.83"),
        "enterprise": (2, "8.33"),
        "individual": (1, "4.17"),
        "intellectual": (1, "4.17"),
        "military": (1, "4.17"),
        "religious": (1, "4.17"),
        "other": (1, "4.17"),
    },
    "gender": {"male": (14, "58.33"), "female": (10, "41.67")},
    "education": {
        "primary": (2, "8.33"),
        "junior": (3, "12.50"),
        "senior": (5, "20.83"),
        "college": (5, "20.83"),
        "bachelor": (6, "25.00"),
        "postgraduate": (3, "12.50"),
    },
    "ethnicity": {
        "汉族": (19, "79.17"),
        "回族": (2, "8.33"),
        "苗族": (2, "8.33"),
        "藏族": (1, "4.17"),
        "minorities": (5, "20.83"),
    },
    "reelection": {"reelected": (10, "41.67"), "new": (14, "58.33")},
}


def _person(region, gender, birth, party, occupation, education, ethnicity):
    return PersonFactory(
        region=region,
        gender=gender,
        birth_date=datetime.date.fromisoformat(birth),
        party=party,
        occupation=occupation,
        education=education,
        ethnicity=ethnicity,
    )


@pytest.fixture
def baishi(world):
    """白石乡 with the 24 serving county deputies above and mandates that
    must not be counted."""
    township = TownshipFactory(code="990121103", name="白石乡", parent=world.county)
    people = []
    for index, (gender, birth, party, occupation, education, ethnicity, reelected) in enumerate(
        SERVING
    ):
        person = _person(township, gender, birth, party, occupation, education, ethnicity)
        ended = {"ended_on": ON, "end_reason": "resigned"} if index == 22 else {}
        elected = ON if index == 21 else ELECTED  # elected on the day: counted
        MandateFactory(
            person=person, level="county", elected_on=elected, reelected=reelected, **ended
        )
        people.append(person)
    # Also a township deputy: counted once, at the county level only.
    MandateFactory(person=people[1], level="township")

    def excluded(region=township, **mandate):
        person = _person(region, "female", "1999-01-01", "cpc", "official", "senior", "壮族")
        MandateFactory(person=person, **{"level": "county", "reelected": True, **mandate})

    excluded(ended_on=ON - datetime.timedelta(days=1), end_reason="resigned")  # ended before
    excluded(elected_on=ON + datetime.timedelta(days=1))  # not yet elected
    excluded(term_label="第十七届", elected_on=datetime.date(2016, 11, 20))  # another term
    excluded(level="township")  # another level
    excluded(region=world.other_township)  # another township
    return township


def _as_expected(report):
    return {
        dimension.key: {row.key: (row.count, str(row.percent)) for row in dimension.rows}
        for dimension in report.dimensions
    }


def test_the_figures_equal_a_hand_count(baishi):
    """Counts and percentages by every dimension match the hand count to 0.01
    percentage points; ended, future, other-term, other-level and
    other-township mandates are left out and a double mandate counts once."""
    report = structure_report(region=baishi, level="county", term_number=18, on=ON)
    assert report.total == 24
    assert _as_expected(report) == EXPECTED
    assert report.title == "白石乡县人大代表（第十八届）结构比例（2026年7月1日）"
    assert report.checks == []  # no guideline rule in force: nothing to check


def test_a_county_counts_every_township_in_it(baishi, world):
    """The county's figures take in 白石乡's 24, 青山镇's 张三 (world) and the
    龙泉镇 deputy that 白石乡's figures leave out."""
    report = structure_report(region=world.county, level="county", term_number=18, on=ON)
    assert report.total == 26


def test_age_bands_agree_with_person_age_on_every_boundary():
    """The SQL thresholds give the same band as Person.age_on, also around
    29 February."""
    days = [datetime.date(2024, 2, 28) + datetime.timedelta(days=n) for n in range(4)]
    days += [datetime.date(2026, 2, 28), datetime.date(2026, 3, 1), ON]
    for on in days:
        for years in (36, 56):
            cutoff = born_by(on, years)
            one_day = datetime.timedelta(days=1)
            births = [cutoff - one_day, cutoff, cutoff + one_day]
            births += [datetime.date(1968, 2, 29), datetime.date(1988, 2, 29)]
            for birth in births:
                age = Person(birth_date=birth).age_on(on)
                assert (birth <= cutoff) == (age >= years), (on, birth)


@pytest.fixture
def guideline_rules(world, baishi):
    RuleFactory(
        key="deputies.structure.party_member_share_min",
        region=world.county,
        value=0.6,
        source="测试县代表选举工作指导意见第三条",
    )
    RuleFactory(
        key="deputies.structure.reelected_share_min",
        region=world.county,
        value=0.3333,
        source="测试县代表选举工作指导意见第四条",
    )
    # 白石乡's own, stricter rule wins over the county's.
    RuleFactory(
        key="deputies.structure.reelected_share_min",
        region=baishi,
        value=0.5,
        source="白石乡换届选举实施方案第五条",
    )
    RuleFactory(
        key="deputies.structure.official_share_max",
        region=None,
        value=0.2,
        source="全国换届选举工作通知",
    )
    RuleFactory(
        key="deputies.structure.worker_farmer_technician_share_min",
        region=world.county,
        value=0.5,
        source="测试县代表选举工作指导意见第五条",
    )
    # Expired before the date: no female-share check is shown.
    RuleFactory(
        key="deputies.structure.female_share_min",
        region=world.county,
        value=0.3,
        effective_to=datetime.date(2025, 12, 31),
        source="旧文件",
    )


def test_guideline_checks_read_the_rule_in_force_and_flag_pass_or_fail(guideline_rules, baishi):
    """Each rule in force gives a check with threshold, actual share, verdict
    and the rule's source; a share exactly at the floor passes."""
    report = structure_report(region=baishi, level="county", term_number=18, on=ON)
    checks = {check.key.rsplit(".", 1)[1]: check for check in report.checks}
    assert set(checks) == {
        "party_member_share_min",
        "reelected_share_min",
        "official_share_max",
        "worker_farmer_technician_share_min",
    }
    summary = {
        key: (check.threshold, check.actual, check.passed, check.source)
        for key, check in checks.items()
    }
    assert summary == {
        "party_member_share_min": (
            Decimal("60.00"),
            Decimal("70.83"),
            True,
            "测试县代表选举工作指导意见第三条",
        ),
        "reelected_share_min": (
            Decimal("50.00"),
            Decimal("41.67"),
            False,
            "白石乡换届选举实施方案第五条",
        ),
        "official_share_max": (Decimal("20.00"), Decimal("20.83"), False, "全国换届选举工作通知"),
        "worker_farmer_technician_share_min": (
            Decimal("50.00"),
            Decimal("50.00"),
            True,
            "测试县代表选举工作指导意见第五条",
        ),
    }


def test_a_rule_whose_value_is_not_a_share_is_shown_as_unjudged(world, baishi):
    RuleFactory(
        key="deputies.structure.female_share_min",
        region=world.county,
        value="很多",
        source="某文件",
    )
    (check,) = structure_report(region=baishi, level="county", term_number=18, on=ON).checks
    assert check.passed is None
    assert "不是 0 至 1 之间的比例" in check.verdict


def _page_rows(html: str) -> dict:
    """{dimension: {row key: (count, percent)}} read back from the page's tables."""
    result = {}
    for key, body in re.findall(r'data-dimension="(\w+)">(.*?)</table>', html, re.S):
        rows = re.findall(
            r'<tr data-key="([^"]*)"[^>]*><td>[^<]*</td><td class="text-end">(\d+)</td>'
            r'<td class="text-end">([\d.]+)%</td>',
            body,
        )
        result[key] = {row: (int(count), pct) for row, count, pct in rows}
    return result


def _query(region):
    return {"region": region.code, "level": "county", "term": "18", "on": "2026-07-01"}


def test_page_export_and_command_give_the_same_numbers(guideline_rules, baishi, client_for):
    client = client_for("county")
    response = client.get(reverse("deputies:structure"), _query(baishi))
    html = response.content.decode()
    assert response.status_code == 200
    assert _page_rows(html) == EXPECTED
    assert 'data-testid="total">24<' in html

    out = io.StringIO()
    call_command(
        "structure_report",
        "--region=990121103",
        "--level=county",
        "--term=18",
        "--date=2026-07-01",
        "--format=json",
        stdout=out,
    )
    data = json.loads(out.getvalue())
    assert data["total"] == 24
    from_command = {
        dimension["key"]: {
            row["key"]: (row["count"], f"{row['percent']:.2f}") for row in dimension["rows"]
        }
        for dimension in data["dimensions"]
    }
    assert from_command == EXPECTED
    assert {check["key"]: check["passed"] for check in data["checks"]} == {
        check.key: check.passed for check in response.context["report"].checks
    }

    export = client.get(reverse("deputies:structure_export"), _query(baishi))
    assert export.status_code == 200
    assert "attachment" in export["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["A1"].value == "白石乡县人大代表（第十八届）结构比例（2026年7月1日）"
    cells = {(row[0], row[1]): (row[2], row[3]) for row in sheet.iter_rows(values_only=True)}
    for dimension in response.context["report"].dimensions:
        for row in dimension.rows:
            assert cells[(dimension.title, row.label)] == (row.count, float(row.percent))


def test_the_page_flags_checks_and_cites_each_rule(guideline_rules, baishi, client_for):
    html = client_for("county").get(reverse("deputies:structure"), _query(baishi)).content.decode()
    party = re.search(
        r'data-check="deputies.structure.party_member_share_min">(.*?)</tr>', html, re.S
    )
    reelected = re.search(
        r'data-check="deputies.structure.reelected_share_min">(.*?)</tr>', html, re.S
    )
    assert 'data-verdict="pass"' in party.group(1)
    assert "不低于 60.00%" in party.group(1)
    assert "70.83%" in party.group(1)
    assert "测试县代表选举工作指导意见第三条" in party.group(1)
    assert 'data-verdict="fail"' in reelected.group(1)
    assert "白石乡换届选举实施方案第五条" in reelected.group(1)
    assert "female_share_min" not in html  # expired rule: no check


def test_the_command_prints_a_table_and_accepts_the_level_label(baishi):
    out = io.StringIO()
    call_command(
        "structure_report",
        region="990121103",
        level="县人大代表",
        term="18",
        date="2026-07-01",
        stdout=out,
    )
    text = out.getvalue()
    assert "在任代表：24 名" in text
    assert re.search(r"党员合计\s+17\s+70.83%", text)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"region": "990199"}, "区划：区划代码“990199”不存在"),
        ({"level": "village"}, "代表层级：“village”不是可选的代表层级"),
        ({"term": "十八"}, "届次：届次应为 1 至 99 之间的整数"),
        ({"date": "2026-02-30"}, "统计日期：统计日期应写成“年-月-日”"),
    ],
)
def test_the_command_refuses_bad_options_in_chinese(world, options, message):
    arguments = {"region": "990121", "level": "county", "term": "18", **options}
    with pytest.raises(CommandError, match=message):
        call_command("structure_report", **arguments, stdout=io.StringIO())


def test_the_page_defaults_to_the_users_region_county_level_and_latest_term(world, client_for):
    MandateFactory(
        person=PersonFactory(region=world.township), level="county", term_label="第十九届"
    )
    response = client_for("township").get(reverse("deputies:structure"))
    report = response.context["report"]
    assert response.status_code == 200
    assert (report.region, report.level, report.term_number) == (world.township, "county", 19)
    assert response.context["terms"] == [19, 18]


def test_page_query_count_does_not_grow_with_deputies(guideline_rules, baishi, client_for):
    client = client_for("county")

    def load():
        assert client.get(reverse("deputies:structure"), _query(baishi)).status_code == 200

    def add_deputies():
        for n in range(40):
            MandateFactory(
                person=PersonFactory(region=baishi, ethnicity="满族" if n % 2 else "汉族"),
                level="county",
            )

    # session, user, user's region, regions to choose from, the asked region,
    # term numbers, the aggregate, ethnicities, 5 guideline rules
    assert_pinned_queries(load, add_deputies, expected=13)


def test_export_query_count_does_not_grow_with_deputies(baishi, client_for):
    client = client_for("county")

    def load():
        assert client.get(reverse("deputies:structure_export"), _query(baishi)).status_code == 200

    def add_deputies():
        MandateFactory.create_batch(40, person__region=baishi, level="county")

    assert_pinned_queries(load, add_deputies, expected=13)


def test_township_staff_are_refused_another_township(world, client_for):
    query = {"region": world.other_township.code, "level": "township"}
    assert client_for("township").get(reverse("deputies:structure"), query).status_code == 404
    assert (
        client_for("township").get(reverse("deputies:structure_export"), query).status_code == 404
    )
    assert client_for("county").get(reverse("deputies:structure"), query).status_code == 200


def test_township_select_offers_only_the_users_own_township(world, client_for):
    html = client_for("township").get(reverse("deputies:structure")).content.decode()
    assert world.township.code in html
    assert world.other_township.code not in html
    assert f'value="{world.county.code}"' not in html


def test_deputies_and_units_are_refused(world, client_for):
    for role in ("deputy", "liaison", "unit", "public"):
        assert client_for(role).get(reverse("deputies:structure")).status_code == 403, role


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"region": "123456"}, "区划：区划代码“123456”不存在，或不是县（区）、乡镇（街道）"),
        ({"region": "990121101201"}, "区划：区划代码“990121101201”不存在"),  # a village
        ({"term": "abc"}, "届次：届次应为 1 至 99 之间的整数"),
        ({"term": "0"}, "届次：届次应为 1 至 99 之间的整数"),
        ({"on": "2026-13-01"}, "统计日期：统计日期应写成“年-月-日”"),
        ({"on": "0001-01-01"}, "统计日期：统计日期应在 1950 年至 2100 年之间"),
        ({"level": "mayor"}, "代表层级：“mayor”不是可选的代表层级"),
    ],
)
def test_bad_input_gets_a_chinese_message_naming_the_field(world, client_for, query, message):
    client = client_for("county")
    response = client.get(reverse("deputies:structure"), query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["report"] is None
    export = client.get(reverse("deputies:structure_export"), query)
    assert export.status_code == 400
    assert message in export.content.decode()


def test_a_level_with_no_terms_asks_for_the_term(world, client_for):
    response = client_for("county").get(reverse("deputies:structure"), {"level": "national"})
    assert response.status_code == 200
    assert "届次：测试县还没有全国人大代表的届次记录，请填写届次" in response.content.decode()


def test_a_region_with_no_deputies_reports_zero_without_dividing_by_zero(world, client_for):
    empty = RegionFactory(code="990122", name="空县")
    RuleFactory(key="deputies.structure.female_share_min", region=None, value=0.3)
    report = structure_report(region=empty, level="county", term_number=18, on=ON)
    assert report.total == 0
    assert all(row.percent == Decimal("0.00") for d in report.dimensions for row in d.rows)
    assert report.checks[0].passed is None
