"""The figures page counts the world's activities, records, deputies, duty
reports and score bands in SQL, and every number opens the list behind it."""

import datetime
import io

import openpyxl
from django.urls import reverse

from renda.duties import figures

JAN_TO_SEPTEMBER = {"held_from": datetime.date(2026, 1, 1), "held_to": datetime.date(2026, 9, 30)}
QUERY = {"held_from": "2026-01-01", "held_to": "2026-09-30"}


def _report(world, role):
    return figures.figures_report(world.user(role), filters={**JAN_TO_SEPTEMBER})


def test_the_township_figures_on_the_world(world):
    """青山镇, January to September: the inspection (王春燕 present, 张三
    absent) and 王春燕's duty report; 张三 did nothing he was present at."""
    report = _report(world, "township")
    total = report.total
    assert (total.activities, total.person_times, total.leave, total.absent) == (1, 1, 0, 1)
    assert (total.expected, total.rate, total.records) == (2, "50%", 3)
    by_kind = {row.key: (row.activities, row.person_times, row.records) for row in report.by_kind}
    assert by_kind == {"inspection": (1, 1, 2), "duty_report": (0, 0, 1)}
    assert [(row.label, row.activities) for row in report.by_organiser] == [
        ("青山镇第一代表小组", 1)
    ]
    assert [(row.key, row.label) for row in report.by_township] == [("990121101", "青山镇")]
    assert [(row.key, row.person_times) for row in report.by_month] == [("2026-09", 1)]
    deputies = report.deputies
    assert (deputies.serving, deputies.idle, deputies.reported, deputies.reports) == (2, 1, 1, 1)
    assert (deputies.reported_share, deputies.satisfaction) == ("50%", "97.5%")
    assert report.bands.year == 2026
    assert [(band.label, band.count) for band in report.bands.bands] == [
        ("优秀", 0),
        ("合格", 0),
        ("不合格", 2),
    ]


def test_the_county_sees_both_townships(world):
    report = _report(world, "county")
    assert [(row.label, row.activities, row.person_times) for row in report.by_township] == [
        ("青山镇", 1, 1),
        ("龙泉镇", 1, 1),
    ]
    assert (report.deputies.serving, report.deputies.idle, report.deputies.reported) == (3, 1, 1)


DRILL_DOWNS = [
    ({"figure": "idle"}, ["张三"]),
    (
        {"figure": "activities", "dimension": "kind", "group": "inspection"},
        ["视察东河村饮水安全工程"],
    ),
    ({"figure": "absent", "dimension": "month", "group": "2026-09"}, ["张三"]),
    ({"figure": "person_times", "dimension": "township", "group": "990121101"}, ["王春燕"]),
    (
        {"figure": "records", "dimension": "kind", "group": "duty_report"},
        ["向东河村选区选民代表述职"],
    ),
    ({"figure": "band", "group": "不合格"}, ["王春燕", "张三"]),
    ({"figure": "reports"}, ["东河村选区选民代表"]),
]


def test_every_number_opens_the_list_behind_it(world, client_for):
    client = client_for("township")
    for params, expected in DRILL_DOWNS:
        response = client.get(reverse("duties:figures_items"), {**QUERY, **params})
        assert response.status_code == 200, params
        html = response.content.decode()
        assert all(text in html for text in expected), params
        assert f"共 {len(expected)} 条" in html, params


def test_a_number_that_cannot_exist_is_not_found(world, client_for):
    client = client_for("township")
    url = reverse("duties:figures_items")
    assert client.get(url, {**QUERY, "figure": "nonsense"}).status_code == 404
    assert (
        client.get(
            url, {**QUERY, "figure": "activities", "dimension": "month", "group": "x"}
        ).status_code
        == 404
    )
    assert client.get(url, {**QUERY, "figure": "band", "group": "特等"}).status_code == 404


def test_the_page_links_its_numbers_and_exports_them(world, client_for):
    client = client_for("township")
    page = client.get(reverse("duties:figures"), {**QUERY, "region": world.township.pk})
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 名代表中 1 名已述职（50%）" in html and "97.5%" in html
    assert f"{reverse('duties:figures_items')}?region={world.township.pk}" in html
    assert 'id="chart-kind"' in html and "chart-kind-data" in html
    workbook = client.get(reverse("duties:figures_xlsx"), QUERY)
    book = openpyxl.load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames == [
        "概况",
        "按履职类型",
        "按组织者",
        "按乡镇（街道）",
        "按月份",
        "积分等次",
    ]
    overview = {row[0]: row[1] for row in book["概况"].iter_rows(min_row=3, values_only=True)}
    assert overview["活动（次）"] == 1 and overview["无履职记录的代表（人）"] == 1
    assert overview["述职满意率"] == "97.5%"
    bad = client.get(
        reverse("duties:figures"), {"held_from": "2026-09-30", "held_to": "2026-01-01"}
    )
    assert "截止日期：截止日期不能早于起始日期" in bad.content.decode()
