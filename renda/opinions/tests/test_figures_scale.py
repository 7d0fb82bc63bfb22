"""The figures and registers of opinions on a province's server: a
province's rows are its counties, the county select narrows everything, and
the per-station dimension waits for a county (renda/core/areas.py).

March 2025 in a province (测试省, 99) of two counties, built by `march`:

opinion  place                          station
A        测试县 / 青山镇 / 东河村        东河村代表联络站
B        邻县 / 白沙镇                  白沙镇代表联络站
C        测试省 itself                  —
D        邻县 itself                    —
and a reception at 白沙镇代表联络站 (3 people, 王春燕 on duty).
"""

import datetime
import importlib
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from renda.core.clock import acting_on
from renda.core.models import RegionLevel
from renda.core.tests import factories as f
from renda.core.tests.helpers import assert_pinned_queries, assert_waits_for_a_county, options
from renda.deputies.models import Station
from renda.opinions import figures, registers, services
from renda.opinions.models import CategoryCell, FigureCell, Opinion, Reception
from renda.opinions.tasks import figure_cells_task
from renda.opinions.tests import test_reports
from renda.suggestions.models import Category

MARCH = {"date_from": "2025-03-01", "date_to": "2025-03-31"}
NOTICE = "按联络站分组请先选择县（市、区）"


def _opinion(n: int, region, station=None, day=10) -> Opinion:
    return Opinion.objects.create(
        receipt_code=f"SCALE{n:04d}",
        channel="letter",
        region=region,
        station=station,
        title=f"意见{n}",
        content="内容",
        submitter_name="群众",
        submitter_phone=f"1370000{n:04d}",
        received_at=timezone.make_aware(
            datetime.datetime.combine(datetime.date(2025, 3, day), datetime.time(10))
        ),
        content_digest=f"scale{n}",
    )


@pytest.fixture
def march(world, province):
    baisha = Station.objects.get(name="白沙镇代表联络站")
    reception = Reception.objects.create(
        station=baisha,
        region=province["township"],
        kind="scheduled",
        held_on=datetime.date(2025, 3, 5),
        people_received=3,
        recorded_by=world.user("liaison"),
    )
    reception.deputies.add(world.person)
    return {
        "A": _opinion(1, world.village, world.station),
        "B": _opinion(2, province["township"], baisha),
        "C": _opinion(3, province["region"]),
        "D": _opinion(4, province["other"]),
        "baisha": baisha,
        "reception": reception,
    }


def figures_page(client, **params):
    response = client.get(reverse("opinions:figures"), {**MARCH, **params})
    assert response.status_code == 200
    return response


def rows(response) -> dict:
    """{group key: (label, opinions)} of the page's report."""
    return {
        group.key: (group.label, group.counts["opinions"])
        for group in response.context["report"].groups
    }


def drill(client, **params) -> list[int]:
    response = client.get(reverse("opinions:figures_items"), {**MARCH, **params})
    assert response.status_code == 200, response.content.decode()[:500]
    return sorted(record.pk for record in response.context["page"].object_list)


# --- a province's rows are its counties ----------------------------------------------------------


def test_a_province_breaks_its_figures_down_by_county_with_its_own_line(
    world, province, march, client
):
    client.force_login(province["user"])
    response = figures_page(client)
    report = response.context["report"]
    assert report.dimension == "township" and report.dimension_label == "县（市、区）"
    assert rows(response) == {
        "99": ("测试省（本级）", 1),  # C
        "990121": ("测试县", 1),  # A
        "990122": ("邻县", 2),  # B, D
    }
    baisha = next(group for group in report.groups if group.key == "990122")
    assert (baisha.counts["receptions"], baisha.counts["people"]) == (1, 3)
    assert report.total.counts["opinions"] == 4


def test_a_county_row_drills_down_to_that_countys_records(world, province, march, client):
    client.force_login(province["user"])
    base = {"dimension": "township"}
    m = march
    assert drill(client, **base, figure="opinions", group="990122") == [m["B"].pk, m["D"].pk]
    assert drill(client, **base, figure="opinions", group="990121") == [m["A"].pk]
    assert drill(client, **base, figure="opinions", group="99") == [m["C"].pk]
    assert drill(client, **base, figure="receptions", group="990122") == [m["reception"].pk]
    title = client.get(
        reverse("opinions:figures_items"), {**MARCH, **base, "figure": "opinions", "group": "99"}
    ).context["group_label"]
    assert title == "测试省（本级）"


def test_the_page_links_each_county_row_to_its_drill_down(world, province, march, client):
    client.force_login(province["user"])
    html = figures_page(client).content.decode()
    assert "figure=opinions&amp;group=990122" in html
    assert "dimension=township" in html


def test_the_province_workbook_names_the_rows_counties(world, province, march, client):
    client.force_login(province["user"])
    response = client.get(reverse("opinions:figures_xlsx"), MARCH)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A3"].value == "县（市、区）"
    assert [sheet.cell(row, 1).value for row in (4, 5, 6, 7)] == [
        "测试省（本级）",
        "测试县",
        "邻县",
        "合计",
    ]


# --- the county select narrows ----------------------------------------------------------------------


def test_the_county_select_narrows_the_figures_and_offers_its_choices(
    world, province, march, client
):
    client.force_login(province["user"])
    waiting = figures_page(client).content.decode()
    assert_waits_for_a_county(waiting, province, "township", "station")

    picked = figures_page(client, area=province["other"].code, dimension="township")
    html = picked.content.decode()
    assert options(html, "township") == {str(province["township"].pk)}
    assert options(html, "station") == {str(march["baisha"].pk)}
    assert picked.context["report"].dimension_label == "乡镇（街道）"
    assert rows(picked) == {"990122": ("邻县（本级）", 1), "990122101": ("白沙镇", 1)}
    assert picked.context["report"].scope == "邻县"
    assert f"area={province['other'].code}" in html  # the links keep the county
    assert drill(client, area="990122", dimension="township", figure="opinions") == [
        march["B"].pk,
        march["D"].pk,
    ]


def test_a_link_naming_a_township_still_works_without_its_county(world, province, march, client):
    client.force_login(province["user"])
    response = figures_page(client, township=province["township"].pk, dimension="township")
    assert rows(response) == {"990122101": ("白沙镇", 1)}


# --- the station dimension waits for a county ----------------------------------------------------


def test_the_station_dimension_waits_for_a_county(world, province, march, client):
    client.force_login(province["user"])
    for params in ({}, {"dimension": "station"}):
        response = figures_page(client, **params)
        assert response.context["report"].dimension == "township"
        html = response.content.decode()
        assert NOTICE in html
        assert re.search(r'<option value="station"[^>]*disabled', html)

    picked = figures_page(client, area=province["other"].code)
    assert picked.context["report"].dimension == "station"  # the default again
    assert rows(picked) == {
        str(march["baisha"].pk): ("白沙镇代表联络站", 1),
        "none": ("未经联络站", 1),
    }
    assert NOTICE not in picked.content.decode()


def test_a_stations_drill_down_opens_without_a_county(world, province, march, client):
    """A drill-down lists one group: a station's link keeps working."""
    client.force_login(province["user"])
    group = str(march["baisha"].pk)
    assert drill(client, dimension="station", group=group, figure="opinions") == [march["B"].pk]


def test_county_staff_see_no_county_select_and_keep_the_station_dimension(
    world, province, march, client_for
):
    response = figures_page(client_for("county"))
    assert 'data-testid="area-select"' not in response.content.decode()
    assert response.context["report"].dimension == "station"
    assert rows(response) == {str(world.station.pk): ("东河村代表联络站", 1)}
    by_township = figures_page(client_for("county"), dimension="township")
    assert rows(by_township) == {"990121101": ("青山镇", 1)}


# --- bad input -------------------------------------------------------------------------------------


def test_bad_input_never_fails(world, province, march, client):
    client.force_login(province["user"])
    unknown = figures_page(client, area="000000")
    assert unknown.context["area"].waiting and "990122" in rows(unknown)

    bad = figures_page(client, dimension="nothing")
    assert bad.context["report"] is None and "不是可选的分组方式" in bad.content.decode()
    assert client.get(reverse("opinions:figures_xlsx"), {"dimension": "nothing"}).status_code == 400
    items = reverse("opinions:figures_items")
    assert client.get(items, {"figure": "opinions", "dimension": "nothing"}).status_code == 400
    # Not digits; a township, which is no group of counties; longer than a county's code.
    for group in ("abc", "990122101", "99012210"):
        query = {**MARCH, "figure": "opinions", "dimension": "township", "group": group}
        assert client.get(items, query).status_code == 404
    township = {**MARCH, "figure": "opinions", "dimension": "township", "group": "990122101"}
    assert client.get(items, {**township, "area": "990122"}).status_code == 200


# --- the registers ---------------------------------------------------------------------------------


def test_a_province_register_waits_for_a_county_and_offers_only_its_townships(
    world, province, march, client
):
    """A register lists every record of its place: a province's month would
    be thousands of rows, so it waits for a county (or a township or station)."""
    client.force_login(province["user"])
    url = reverse("opinions:register", args=["ledger"])
    waiting = client.get(url, MARCH)
    assert waiting.status_code == 200
    html = waiting.content.decode()
    assert_waits_for_a_county(html, province, "township")
    assert waiting.context["book"] is None and "请先选择县（市、区）再查看登记簿" in html
    export = client.get(reverse("opinions:register_xlsx", args=["ledger"]), MARCH)
    assert export.status_code == 400

    picked = client.get(url, {**MARCH, "area": province["other"].code})
    assert options(picked.content.decode(), "township") == {str(province["township"].pk)}
    assert [row[1:2] + row[6:7] for row in picked.context["book"].rows] == [
        [march["B"].number, "白沙镇"],
        [march["D"].number, "邻县"],
    ]
    assert picked.context["book"].scope == "邻县"
    assert f"area={province['other'].code}" in picked.context["query"]

    township = client.get(url, {**MARCH, "township": province["township"].pk})
    assert [row[6] for row in township.context["book"].rows] == ["白沙镇"]


def test_county_staff_registers_do_not_wait(world, province, march, client_for):
    response = client_for("county").get(reverse("opinions:register", args=["ledger"]), MARCH)
    assert [row[6] for row in response.context["book"].rows] == ["东河村"]


# --- cost -------------------------------------------------------------------------------------------


def _ten_more_in_each_county(world, province, march):
    for n in range(10):
        _opinion(100 + n, province["township"], march["baisha"], day=n + 1)
        _opinion(200 + n, world.township, day=n + 1)


def test_the_province_page_makes_the_same_queries_however_many_rows(world, province, march, client):
    client.force_login(province["user"])

    def page():
        figures_page(client)

    def more():
        _ten_more_in_each_county(world, province, march)

    # session, user, the user's region, the counties (area select); receptions
    # grouped, opinions grouped, county labels, by channel and category. No
    # township or station choices until a county is picked. Never built, the
    # cells cost two queries more (none in the period, none at all).
    assert_pinned_queries(page, more, expected=10)


def test_the_outcome_index_matches_the_outcome_query():
    """Migration 0002 indexes the moves `registers.with_outcome` reads."""
    migration = importlib.import_module(
        "renda.opinions.migrations.0002_statechange_opinion_outcome"
    )
    assert [str(state) for state in registers.OUTCOME_STATES] == migration.OUTCOME_STATES


# --- above a county: the cells ----------------------------------------------------------------------

# The month counted by hand in 测试县 (test_reports), here within the province.
october = test_reports.october
LATER = datetime.date(2026, 11, 10)  # C, J and K are past their time limits by then


@pytest.fixture
def neighbour(world, province, october):
    """Records of 邻县 and of the province itself in September and October
    2026, in outcomes, channels and categories 测试县's October does not
    have alone: a category of its own (水利, ordered first), an overdue
    assignment, a solved and answered opinion, a declined one of the
    province's own line, two left uncategorised (one received just after
    midnight on the first of the month); and a reception there."""
    clerk = province["user"]
    water = Category.objects.create(name="水利", order=0)
    baisha = Station.objects.get(name="白沙镇代表联络站")
    reception = test_reports.reception(
        world, datetime.date(2026, 10, 5), deputies=[world.person, world.other_person], people=6,
        station=baisha, region=province["township"],
    )  # fmt: skip

    def receive(n, day, region, **fields):
        return test_reports.receive(
            day, region=region, title=f"邻县意见{n}", content="内容", submitter_name="群众",
            submitter_phone=f"1380000{n:04d}", **fields,
        )  # fmt: skip

    def sort(opinion, day, category):
        with test_reports.on(day):
            services.opinion_sort(opinion=opinion, actor=clerk, category=category, urgency="normal")

    assigned = receive(1, datetime.date(2026, 10, 8), province["township"], channel="hotline")
    sort(assigned, datetime.date(2026, 10, 8), october.governance)
    with test_reports.on(datetime.date(2026, 10, 9)):
        services.opinion_assign(opinion=assigned, actor=clerk, unit=world.county_unit)
    solved = receive(
        2, datetime.date(2026, 10, 9), province["township"], channel="station", station=baisha
    )
    sort(solved, datetime.date(2026, 10, 9), water)
    with test_reports.on(datetime.date(2026, 10, 10)):
        services.opinion_solve(opinion=solved, actor=clerk, result="现场协调解决")
    with test_reports.on(datetime.date(2026, 10, 11)):
        services.opinion_answer(opinion=solved, actor=clerk, answer="已解决", method="电话")
    receive(3, datetime.date(2026, 10, 20), province["other"], channel="web")
    # Half past midnight on October 1st here is still September in UTC: its
    # month is the local one, as the live figures' days are.
    midnight = receive(5, datetime.date(2026, 10, 1), province["other"], channel="letter")
    at = timezone.make_aware(
        datetime.datetime.combine(datetime.date(2026, 10, 1), datetime.time(0, 30))
    )
    Opinion.objects.filter(pk=midnight.pk).update(received_at=at)
    declined = receive(4, datetime.date(2026, 9, 15), province["region"], channel="visit")
    sort(declined, datetime.date(2026, 9, 15), world.category)
    with test_reports.on(datetime.date(2026, 9, 16)):
        services.opinion_decline(opinion=declined, actor=clerk, reason="不属人大职责")
    return {"reception": reception, "water": water}


def report_of(user, dimension, date_from, date_to, *, from_cells, on=None, **filters):
    data = {"dimension": dimension, "date_from": date_from, "date_to": date_to, **filters}
    form = figures.FigureQueryForm(data, user=user)
    assert form.is_valid(), form.errors
    return figures.figures_report(
        user, filters=form.filters(), dimension=dimension, on=on, from_cells=from_cells
    )


def shown(report) -> dict:
    """Everything a report shows: the rows, the total and both breakdowns."""
    return {
        "rows": [(g.key, g.label, g.counts) for g in [*report.groups, report.total]],
        "channels": [(row.key, row.count) for row in report.channels],
        "categories": [(row.key, row.label, row.count) for row in report.categories],
    }


@pytest.mark.parametrize("dimension", ["township", "month"])
@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [
        ("2026-10-01", "2026-10-31"),
        ("2026-09-01", "2026-10-31"),
        ("2025-03-01", "2026-12-31"),  # March 2025 too, and months with nothing
        ("2025-04-01", "2026-08-31"),  # nothing at all
    ],
)
def test_the_cells_add_up_to_what_the_records_count(
    world, province, march, neighbour, dimension, date_from, date_to
):
    """A province's figures from the cells equal the live count, row by row,
    figure by figure, with the same channels and categories in the same
    order; 逾期未办结 as of the day the cells were built."""
    with acting_on(LATER):
        built = figures.cells_rebuild()
    assert built == FigureCell.objects.count() + CategoryCell.objects.count()
    assert FigureCell.objects.count() > 0
    user = province["user"]
    summed = report_of(user, dimension, date_from, date_to, from_cells=True)
    counted = report_of(user, dimension, date_from, date_to, from_cells=False, on=LATER)
    assert summed.as_of.date() == LATER and counted.as_of is None
    assert summed.on == LATER and "统计截至 2026年11月10日" in summed.as_of_note
    assert shown(summed) == shown(counted)
    if date_to == "2026-10-31":  # what the comparison compares
        total = counted.total.counts
        assert total["opinions"] >= 14  # 测试县's ten of October, the neighbour's four
        assert total["overdue"] >= 2  # C and the neighbour's assignment, at least
        assert total["deputy_times"] >= 2 + 1 + 1 + 2
        assert {row[0] for row in shown(counted)["categories"]} >= {
            str(neighbour["water"].pk),
            "none",
        }


def test_the_cells_keep_the_province_apart_from_its_neighbours(world, province, march):
    """Another province's records are in cells of their own: a province's
    staff add up their own region's only."""
    elsewhere = f.RegionFactory(code="98", name="外省", level=RegionLevel.PROVINCE)
    _opinion(900, elsewhere)
    figures.cells_rebuild()
    summed = report_of(province["user"], "township", **MARCH, from_cells=True)
    assert summed.as_of is not None
    assert [(g.key, g.counts["opinions"]) for g in summed.groups] == [
        ("99", 1),
        ("990121", 1),
        ("990122", 2),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_from": "2025-03-02", "date_to": "2025-03-31"}, 5),  # not whole months
        ({**MARCH, "area": "990122", "dimension": "station"}, 3),
        ({**MARCH, "area": "990122", "dimension": "township"}, 3),
        ({**MARCH, "township": "白沙镇", "dimension": "township"}, 2),
    ],
)
def test_what_the_cells_do_not_keep_is_counted_live(
    world, province, march, client, params, expected
):
    """A part of a month, a county, a township or a station: counted from the
    records, so a record entered after the last build is in the figures."""
    figures.cells_rebuild()
    _opinion(5, province["township"], march["baisha"], day=20)
    if "township" in params:
        params = {**params, "township": province["township"].pk}
    client.force_login(province["user"])
    response = figures_page(client, **params)
    report = response.context["report"]
    assert report.as_of is None and 'data-testid="as-of"' not in response.content.decode()
    assert report.total.counts["opinions"] == expected


def test_the_province_page_says_how_old_its_figures_are_and_a_county_stays_live(
    world, province, march, client
):
    client.force_login(province["user"])
    figure_cells_task.call_local()
    before = figures_page(client)
    assert rows(before) == {
        "99": ("测试省（本级）", 1),
        "990121": ("测试县", 1),
        "990122": ("邻县", 2),
    }
    html = before.content.decode()
    assert re.search(r'data-testid="as-of">统计截至 \d{4}年', html)
    assert "点开数字列出的是当前的接待活动和意见" in html

    added = _opinion(5, province["township"], march["baisha"], day=20)
    assert rows(figures_page(client))["990122"] == ("邻县", 2)  # the cells of the last build
    county = figures_page(client, area="990122", dimension="township")
    assert rows(county)["990122101"] == ("白沙镇", 2)  # a county is counted now
    assert 'data-testid="as-of"' not in county.content.decode()
    # and the province's number opens the records as they are now
    assert drill(client, dimension="township", figure="opinions", group="990122") == [
        march["B"].pk,
        march["D"].pk,
        added.pk,
    ]

    figure_cells_task.call_local()
    assert rows(figures_page(client))["990122"] == ("邻县", 3)
    assert figures_page(client).context["report"].total.counts["opinions"] == 5
    workbook = client.get(reverse("opinions:figures_xlsx"), MARCH)
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet["A2"].value.startswith(
        "统计期间：2025年03月01日至2025年03月31日　分组：县（市、区）　统计截至"
    )
    assert [sheet.cell(row, 2).value for row in (4, 5, 6, 7)] == [0, 0, 1, 1]  # receptions


def test_the_province_page_reads_the_cells_in_fewer_queries(world, province, march, client):
    client.force_login(province["user"])

    def page():
        figures_page(client)

    def more():
        _ten_more_in_each_county(world, province, march)
        figures.cells_rebuild()

    figures.cells_rebuild()
    # session, user, the user's region, the counties (area select); the
    # figures' cells (the figures and the channels), the categories' cells
    # and the county labels.
    assert_pinned_queries(page, more, expected=7)


def test_a_province_lists_every_reception_and_picks_a_county_for_its_stations(
    world, province, march, client
):
    client.force_login(province["user"])
    url = reverse("opinions:reception_list")
    waiting = client.get(url)
    assert {world.reception.pk, march["reception"].pk} <= {r.pk for r in waiting.context["page"]}
    assert_waits_for_a_county(waiting.content.decode(), province, "station")
    picked = client.get(url, {"area": "990122"})
    assert [r.pk for r in picked.context["page"]] == [march["reception"].pk]
    assert options(picked.content.decode(), "station") == {str(march["baisha"].pk)}
