"""The figures at a province's scale: a province's rows are its counties
(each opening its own records), the county select narrows every figure, the
organiser table and the registers wait for a county, and the score bands
counted in SQL are those `PointsScheme.band_for` gives each deputy's
`points.score_totals`."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from renda.core.models import RegionLevel
from renda.core.tests import factories as f
from renda.core.tests.helpers import assert_pinned_queries, options
from renda.deputies.models import Station
from renda.duties import figures, points, services
from renda.duties.models import Attendance, DutyKind, ScoreLine
from renda.duties.tests.helpers import serving_deputy

QUERY = {"held_from": "2026-01-01", "held_to": "2026-12-31"}
YEAR = {"held_from": datetime.date(2026, 1, 1), "held_to": datetime.date(2026, 12, 31)}


def test_a_province_breaks_down_by_county_and_a_county_row_opens_its_records(
    world, province, baisha, client
):
    client.force_login(province["user"])
    report = client.get(reverse("duties:figures"), QUERY).context["report"]
    place = next(table for table in report.tables if table.key == "township")
    assert place.label == "县（市、区）"
    assert [(row.key, row.label, row.activities) for row in place.rows] == [
        ("99", "测试省（本级）", 1),
        ("990121", "测试县", 2),
        ("990122", "邻县", 1),
    ]
    assert place.total.activities == report.total.activities == 4

    url = reverse("duties:figures_items")
    county = client.get(
        url, {**QUERY, "figure": "activities", "dimension": "township", "group": "990121"}
    )
    assert county.status_code == 200
    assert {a.title for a in county.context["page"].object_list} == {
        "视察东河村饮水安全工程",
        "调研龙泉镇茶叶产业",
    }
    assert county.context["group_label"] == "测试县"
    assert county.context["dimension_label"] == "县（市、区）"
    own = client.get(
        url, {**QUERY, "figure": "expected", "dimension": "township", "group": "99"}
    ).context
    assert {r.person.name for r in own["page"].object_list} == {"赵六", "王春燕"}
    assert own["group_label"] == "测试省（本级）"


def test_the_county_select_narrows_every_figure_and_its_choices(world, province, baisha, client):
    client.force_login(province["user"])
    url = reverse("duties:figures")
    waiting = client.get(url, QUERY)
    assert options(waiting.content.decode(), "area") == {world.county.code, "990122"}
    assert options(waiting.content.decode(), "region") == set()  # held back

    picked = client.get(url, {**QUERY, "area": "990122"})
    report = picked.context["report"]
    assert report.scope == "邻县"
    assert [(row.key, row.label) for row in report.by_township] == [("990122101", "白沙镇")]
    assert report.total.activities == 1 and report.deputies.serving == 1
    html = picked.content.decode()
    assert options(html, "region") == {str(province["township"].pk)}
    assert "area=990122" in html  # the drill-down and export links keep the county
    items = client.get(
        reverse("duties:figures_items"), {**QUERY, "area": "990122", "figure": "serving"}
    )
    assert [p.name for p in items.context["page"].object_list] == ["赵六"]


def test_the_organiser_table_waits_for_a_county(world, province, baisha, client):
    client.force_login(province["user"])
    url = reverse("duties:figures")
    waiting = client.get(url, QUERY)
    assert waiting.context["report"].by_organiser == []
    assert 'data-testid="by-organiser-waits"' in waiting.content.decode()
    assert "按组织者分组请先选择县（市、区）" in waiting.content.decode()
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("duties:figures_xlsx"), QUERY).content)
    )
    assert book.sheetnames[1:4] == ["按履职类型", "按组织者", "按县（市、区）"]
    assert book["按组织者"]["A1"].value == "按组织者分组请先选择县（市、区）"

    picked = client.get(url, {**QUERY, "area": world.county.code}).context["report"]
    assert {row.label for row in picked.by_organiser} == {"青山镇第一代表小组", "未注明组织者"}
    # A township named by a link is a place in one county: its organisers show.
    named = client.get(url, {**QUERY, "region": province["township"].pk}).context["report"]
    assert [row.label for row in named.by_organiser] == ["白沙镇代表联络站"]


def test_registers_wait_for_a_county(world, province, baisha, client):
    client.force_login(province["user"])
    url = reverse("duties:register", args=["cards"])
    waiting = client.get(url, QUERY)
    assert waiting.status_code == 200 and waiting.context["book"] is None
    assert "登记簿请先选择县（市、区）" in waiting.content.decode()
    assert options(waiting.content.decode(), "station") == set()
    picked = client.get(url, {**QUERY, "area": "990122"})
    assert [row[1] for row in picked.context["book"].rows] == ["赵六"]
    assert options(picked.content.decode(), "station") == {
        str(Station.objects.get(name="白沙镇代表联络站").pk)
    }


def test_county_staff_see_their_townships_as_before(world, province, baisha, client_for):
    response = client_for("county").get(reverse("duties:figures"), QUERY)
    html = response.content.decode()
    assert 'data-testid="area-select"' not in html
    assert options(html, "region") == {str(world.township.pk), str(world.other_township.pk)}
    report = response.context["report"]
    assert [(row.key, row.label) for row in report.by_township] == [
        ("990121101", "青山镇"),
        ("990121102", "龙泉镇"),
    ]
    assert report.by_organiser  # never waits


@pytest.mark.parametrize(
    "params",
    [
        {"area": "000000"},
        {"area": "99"},
        {"area": "abc"},
        {"area": "990122", "region": "999999"},
    ],
)
def test_bad_places_never_give_a_server_error(world, province, client, params):
    client.force_login(province["user"])
    for name in ("duties:figures", "duties:figures_xlsx"):
        assert client.get(reverse(name), {**QUERY, **params}).status_code in (200, 400, 404)


@pytest.mark.parametrize(
    "params",
    [
        {"figure": "activities", "dimension": "place", "group": "99"},
        {"figure": "activities", "dimension": "township", "group": "99%"},
        {"figure": "activities", "dimension": "organiser", "group": "unit:1"},
        {"figure": "band", "group": "优秀", "area": "990122"},  # no scheme governs 邻县
    ],
)
def test_a_bad_drill_down_is_not_found(world, province, client, params):
    client.force_login(province["user"])
    response = client.get(reverse("duties:figures_items"), {**QUERY, **params})
    assert response.status_code == 404


def test_the_province_page_reads_a_fixed_number_of_queries(world, province, baisha, client):
    client.force_login(province["user"])

    def more_counties():
        for n in range(3):
            county = f.RegionFactory(
                code=f"99012{n + 3}",
                name=f"新县{n}",
                level=RegionLevel.COUNTY,
                parent=province["region"],
            )
            township = f.TownshipFactory(code=f"99012{n + 3}101", name=f"新镇{n}", parent=county)
            person = serving_deputy(township, f"新代表{n}")
            services.activity_create(
                actor=province["user"],
                region=township,
                kind=DutyKind.INSPECTION,
                title=f"新县视察{n}",
                held_on=datetime.date(2026, 3, 1 + n),
                participants={person: Attendance.PRESENT},
            )

    def page():
        assert client.get(reverse("duties:figures"), QUERY).status_code == 200

    # Counted live (the cells never built: two queries find none), and
    # whether a points scheme is in force before the bands are counted.
    assert_pinned_queries(page, more_counties, expected=16)


def _line(person, item, month, total):
    ScoreLine.objects.create(
        person=person, item=item, year=2026, month=month, count=1, points=Decimal(total)
    )


def test_bands_counted_in_sql_are_those_score_totals_and_band_for_give(
    world, province, baisha, client
):
    """Over the 10 cap on inspections, under 0, over the scale, without a
    line at all, and 邻县's 赵六 whom no scheme governs."""
    items = world.scheme_items
    ScoreLine.objects.all().delete()
    wang, zhang, li = world.person, world.county_person, world.other_person
    _line(wang, items["base"], 1, 20)
    _line(wang, items["inspection"], 3, 8)
    _line(wang, items["inspection"], 9, 6)  # 14, capped at 10
    _line(wang, items["award"], 10, 48)  # 78: 合格 (82, 优秀, uncapped)
    _line(zhang, items["base"], 1, 20)
    _line(zhang, items["absent"], 9, -30)  # -10 → 0: 不合格 (below every band unclamped)
    _line(li, items["base"], 1, 20)
    _line(li, items["award"], 5, 200)  # 220 → the scale, 100: 优秀
    nobody = serving_deputy(world.other_township, "钱七")  # no line: 0, 不合格
    qian = serving_deputy(world.township, "孙八")
    _line(qian, items["base"], 1, 20)
    _line(qian, items["award"], 6, 45)  # 65: 合格

    serving = [wang, zhang, li, nobody, qian]
    totals = points.score_totals([p.pk for p in serving], 2026)
    expected = {}
    for person in serving:
        band = world.scheme.band_for(totals.get(person.pk, points.ZERO))
        expected.setdefault(band, set()).add(person.name)
    assert expected == {"优秀": {"李四"}, "合格": {"王春燕", "孙八"}, "不合格": {"张三", "钱七"}}

    bands = figures.figures_report(province["user"], filters={**YEAR}).bands
    assert {band.label: band.count for band in bands.bands} == {
        label: len(names) for label, names in expected.items()
    }
    assert bands.unscored == 1  # 赵六

    client.force_login(province["user"])
    url = reverse("duties:figures_items")
    for label, names in expected.items():
        response = client.get(url, {**QUERY, "figure": "band", "group": label})
        page = response.context["page"].object_list
        assert {p.name for p in page} == names, label
        assert {p.score_total for p in page} == {totals.get(p.pk, points.ZERO) for p in page}
