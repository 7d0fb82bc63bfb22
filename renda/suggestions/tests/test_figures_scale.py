"""The suggestion figures on a province's server: a province's staff see one
row per county (and the province's own 本级 line), pick a county to narrow
every figure and to offer its sessions, units and townships, and group by
unit or session only once a county is picked; county staff see the page as
before (renda/core/areas.py)."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renda.core.clock import acting_on
from renda.core.models import BodyKind, Role
from renda.core.tests import factories as f
from renda.core.tests.helpers import assert_pinned_queries, assert_waits_for_a_county, options
from renda.deputies.tests import factories as d
from renda.suggestions import services
from renda.suggestions.figures import cells_rebuild, figures_report
from renda.suggestions.models import Category, Suggestion
from renda.suggestions.tasks import figure_cells_task
from renda.suggestions.tests.test_reports import APR1, FEB10, JUN1, MAR1, MAY1, Builder


@pytest.fixture
def province(province):
    """The shared province (conftest) with one item of the neighbour's 白沙镇
    besides world's items of 青山镇 and 龙泉镇."""
    township = province["township"]
    clerk = f.UserFactory(username="baisha", role=Role.TOWNSHIP_STAFF, region=township)
    congress = f.BodyFactory(region=township, kind=BodyKind.CONGRESS, name="白沙镇人民代表大会")
    item = services.suggestion_draft(
        entered_by=clerk,
        congress=congress,
        occasion="interim",
        title="关于白沙镇渡口改造的建议",
        body="渡口年久失修，建议改造。",
        lead=d.PersonFactory(name="赵六", region=township),
    )
    services.suggestion_submit(suggestion=item, actor=clerk)
    return {**province, "item": item}


def rows(response) -> dict[str, int]:
    """{row label: 提出} of the figures table."""
    return {group.label: group.counts["submitted"] for group in response.context["report"].groups}


def listed(client, html: str, group: str) -> set[int]:
    """The items behind the 提出 number of one row of the table."""
    row = re.search(rf'<tr data-group="{group}">(.*?)</tr>', html, re.S).group(1)
    link = re.search(r'data-column="submitted"><a class="link-dark" href="([^"]+)"', row)
    page = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    return {int(pk) for pk in re.findall(r'<tr data-item="(\d+)">', page)}


def test_a_province_sees_one_row_per_county_and_a_county_row_opens_its_items(
    world, province, client
):
    client.force_login(province["user"])
    response = client.get(reverse("suggestions:figures"))
    assert response.status_code == 200
    assert response.context["report"].dimension == "region"  # unit waits for a county
    assert rows(response) == {"测试县": 2, "邻县": 1}
    html = response.content.decode()
    assert listed(client, html, world.county.code) == {
        world.suggestion.pk,
        world.other_suggestion.pk,
    }
    assert listed(client, html, province["other"].code) == {province["item"].pk}


def test_the_province_own_items_are_its_own_line(world, province, client):
    clerk = f.UserFactory(username="sheng", role=Role.COUNTY_STAFF, region=province["region"])
    congress = f.BodyFactory(
        region=province["region"], kind=BodyKind.CONGRESS, name="测试省人民代表大会"
    )
    item = services.suggestion_draft(
        entered_by=clerk,
        congress=congress,
        occasion="interim",
        title="关于全省河长制的议案",
        body="建议制定条例。",
        lead=world.person,
    )
    services.suggestion_submit(suggestion=item, actor=clerk)
    client.force_login(province["user"])
    response = client.get(reverse("suggestions:figures"), {"dimension": "region"})
    assert rows(response) == {"测试省（本级）": 1, "测试县": 2, "邻县": 1}
    html = response.content.decode()
    assert listed(client, html, province["region"].code) == {item.pk}


def test_the_county_select_narrows_every_figure_and_offers_its_choices(world, province, client):
    client.force_login(province["user"])
    url = reverse("suggestions:figures")
    before = client.get(url).content.decode()
    assert_waits_for_a_county(before, province, "session", "unit", "region")

    response = client.get(url, {"area": world.county.code, "dimension": "region"})
    assert rows(response) == {"青山镇": 1, "龙泉镇": 1}  # the county broken down by township
    html = response.content.decode()
    assert str(world.session.pk) in options(html, "session")
    assert str(world.county_unit.pk) in options(html, "unit")
    assert world.township.code not in options(html, "area")  # the area select lists counties
    assert str(world.township.pk) in options(html, "region")
    assert f"area={world.county.code}" in response.context["query"]
    assert response.context["report"].title == "议案建议办理情况统计（测试县）"

    neighbour = client.get(url, {"area": province["other"].code, "dimension": "region"})
    assert rows(neighbour) == {"白沙镇": 1}
    assert str(world.session.pk) not in options(neighbour.content.decode(), "session")


def test_the_export_and_the_register_follow_the_picked_county(world, province, client):
    client.force_login(province["user"])
    query = {"area": province["other"].code, "dimension": "region"}
    workbook = client.get(reverse("suggestions:figures_export"), query)
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    labels = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert labels[:2] == ["白沙镇", "合计"]

    year = province["item"].submitted_at.year
    register = client.get(reverse("suggestions:register_print"), {**query, "year": year})
    listed_items = {
        int(pk) for pk in re.findall(r'<tr data-item="(\d+)">', register.content.decode())
    }
    assert listed_items == {province["item"].pk}


def test_a_whole_province_register_waits_for_a_county_or_a_session(world, province, client):
    client.force_login(province["user"])
    response = client.get(reverse("suggestions:register_print"))
    assert response.status_code == 400
    assert "请先选择县（市、区）" in response.content.decode()
    page = client.get(reverse("suggestions:figures")).content.decode()
    assert reverse("suggestions:register_print") not in page
    # One congress's session is at most one county's book.
    session = client.get(reverse("suggestions:register_print"), {"session": world.session.pk})
    assert session.status_code == 200
    assert f'data-item="{world.suggestion.pk}"' in session.content.decode()


@pytest.mark.parametrize(("dimension", "label"), [("unit", "主办单位"), ("session", "会议")])
def test_grouping_by_unit_or_session_waits_for_a_county(world, province, client, dimension, label):
    client.force_login(province["user"])
    url = reverse("suggestions:figures")
    response = client.get(url, {"dimension": dimension})
    assert response.status_code == 200
    assert response.context["report"].dimension == "region"
    html = response.content.decode()
    assert f"按{label}分组请先选择县（市、区）" in html
    assert f'<option value="{dimension}"' not in html  # not offered yet
    drill = client.get(
        reverse("suggestions:figures_items"),
        {"dimension": dimension, "figure": "submitted", "group": str(world.county_unit.pk)},
    )
    assert drill.status_code == 404

    picked = client.get(url, {"dimension": dimension, "area": world.county.code})
    assert picked.context["report"].dimension == dimension
    assert "请先选择县" not in picked.content.decode()
    assert f'<option value="{dimension}" selected' in picked.content.decode()


def test_county_staff_see_townships_and_no_county_select(world, province, client_for):
    response = client_for("county").get(reverse("suggestions:figures"), {"dimension": "region"})
    html = response.content.decode()
    assert 'data-testid="area-select"' not in html
    assert rows(response) == {"青山镇": 1, "龙泉镇": 1}
    assert options(html, "unit") >= {str(world.county_unit.pk)}
    assert response.context["report"].dimension == "region"
    default = client_for("county").get(reverse("suggestions:figures"))
    assert default.context["report"].dimension == "unit"  # as before


@pytest.mark.parametrize(
    "query",
    [
        {"area": "000000"},
        {"area": "99"},
        {"area": "<script>"},
        {"dimension": "x"},
        {"dimension": "region", "area": "990122", "group": "abc", "figure": "submitted"},
        {"dimension": "region", "group": "99999999999999999999", "figure": "submitted"},
        {"dimension": "year", "group": "99999999999999999999", "figure": "submitted"},
    ],
)
def test_bad_input_never_fails(world, province, client, query):
    client.force_login(province["user"])
    for name in ("suggestions:figures", "suggestions:figures_export", "suggestions:figures_items"):
        assert client.get(reverse(name), query).status_code in (200, 400, 404)


def _handled_items(world):
    """Items of 青山镇 in the states the facts tell apart: closed with two
    evaluations, committed, overdue without a reply, not accepted."""
    b = Builder(world)
    closed = b.assign(
        b.submit("甲", on=FEB10, co=[world.county_person]), world.county_unit, on=FEB10
    )
    reply = b.reply(closed, world.county_unit, "A", on=APR1)
    b.evaluate(reply, world.person, "satisfied", on=APR1)
    b.evaluate(reply, world.county_person, "dissatisfied", on=APR1)
    b.evaluate(b.reply(closed, world.county_unit, "A", on=MAY1), world.person, "basically", on=MAY1)
    committed = b.assign(b.submit("乙", on=FEB10), world.township_unit, on=FEB10)
    b.evaluate(
        b.reply(committed, world.township_unit, "B", on=JUN1), world.person, "basically", on=JUN1
    )
    b.assign(b.submit("丙", on=MAR1, occasion="interim"), world.county_unit, on=MAR1)
    rejected = b.submit("丁", on=MAR1, occasion="interim")
    with acting_on(MAR1):
        services.suggestion_reject(suggestion=rejected, actor=b.clerk, reason_code="personal")


@pytest.mark.parametrize("dimension", ["unit", "session", "year", "category"])
def test_a_province_counts_as_a_county_does(world, province, dimension):
    """Above a county the figures are counted per combination of facts, for
    a county item by item (see figures._counted): the same figures."""
    _handled_items(world)
    scope = Suggestion.objects.visible_to(province["user"])

    def counted(place):
        report = figures_report(
            scope, filters={"area": world.county}, dimension=dimension, place=place
        )
        return {group.key: group.counts for group in [*report.groups, report.total]}

    wide = counted(province["region"])
    assert wide == counted(world.county)
    total = wide[""]
    assert (total["submitted"], total["assigned"], total["answered"]) == (6, 5, 2)
    assert (total["evaluations"], total["satisfied"], total["not_accepted"]) == (2, 2, 1)


def test_the_province_page_query_count_does_not_grow_with_items(world, province, client):
    client.force_login(province["user"])

    def load():
        assert client.get(reverse("suggestions:figures")).status_code == 200

    # session, user, the user's region, the counties; categories, the first and the last year (no
    # sessions, units or regions before a county is picked); the figures
    # (two queries above a county) and the rows' labels. Never built, the
    # cells cost two queries more (none under these filters, none at all).
    assert_pinned_queries(load, lambda: _handled_items(world), expected=12)


def test_the_province_page_reads_the_cells_in_one_query(world, province, client):
    client.force_login(province["user"])

    def load():
        assert client.get(reverse("suggestions:figures")).status_code == 200

    def grow():
        _handled_items(world)
        cells_rebuild()

    cells_rebuild()
    # As above, the cells (one query) instead of the figures' two.
    assert_pinned_queries(load, grow, expected=9)


CELL_CASES = [
    ("region", {}),
    ("year", {}),
    ("category", {}),
    ("region", {"year": FEB10.year}),
    ("category", {"year": FEB10.year + 1}),  # no cell: no item that year
]


@pytest.mark.parametrize(("dimension", "filters"), CELL_CASES)
def test_the_cells_add_up_to_what_the_items_count(world, province, dimension, filters):
    _handled_items(world)
    later = JUN1.replace(month=12)  # 丙 has been waiting for its reply since the summer
    with acting_on(later):
        cells_rebuild()
    category = Suggestion.objects.exclude(category=None).values_list("category", flat=True)[:1]
    scope = Suggestion.objects.visible_to(province["user"])
    cases = [filters, {**filters, "category": Category.objects.get(pk=category[0])}]
    overdue = []
    for case in cases:
        counted, summed = (
            figures_report(
                scope, filters=case, dimension=dimension, place=province["region"], on=later,
                cells_for=reader,
            )
            for reader in (None, province["user"])
        )  # fmt: skip
        assert summed.as_of is not None and counted.as_of is None
        assert [(g.key, g.counts) for g in [*summed.groups, summed.total]] == [
            (g.key, g.counts) for g in [*counted.groups, counted.total]
        ]
        overdue.append(counted.total.counts["overdue"])
    assert overdue[0] or filters  # 当前逾期 is in the cells too


def test_the_province_page_says_how_old_its_figures_are_and_a_county_is_live(
    world, province, client
):
    client.force_login(province["user"])
    url = reverse("suggestions:figures")
    figure_cells_task.call_local()
    before = client.get(url, {"dimension": "region"})
    assert rows(before) == {"测试县": 2, "邻县": 1}
    assert "统计截至" in before.content.decode()

    clerk = f.UserFactory(role=Role.COUNTY_STAFF, region=province["other"])
    item = services.suggestion_draft(
        entered_by=clerk,
        congress=province["item"].congress,
        occasion="interim",
        title="关于白沙镇码头照明的建议",
        body="码头夜间无照明。",
        lead=d.PersonFactory(region=province["township"]),
    )
    services.suggestion_submit(suggestion=item, actor=clerk)
    assert rows(client.get(url, {"dimension": "region"})) == {"测试县": 2, "邻县": 1}
    county = client.get(url, {"area": province["other"].code, "dimension": "region"})
    assert rows(county) == {"白沙镇": 2}  # a county is counted now
    assert "统计截至" not in county.content.decode()
    # and the number opens the items as they are now
    assert listed(client, county.content.decode(), province["township"].code) == {
        province["item"].pk,
        item.pk,
    }

    figure_cells_task.call_local()
    assert rows(client.get(url, {"dimension": "region"})) == {"测试县": 2, "邻县": 2}
    workbook = client.get(reverse("suggestions:figures_export"))
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet["A2"].value.startswith("分组：所属人大　统计截至")
