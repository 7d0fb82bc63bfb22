"""Figures, registers, official documents and the public disclosure of
replies: the figures against a hand count, every number drilling down to
exactly its items, pinned query counts, the registers' rows, the Word
documents' GB/T 9704 page setup and text, and what the public may see."""

import datetime
import io
import re
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from openpyxl import load_workbook

from renda.core.clock import acting_on
from renda.core.tests.factories import UnitFactory
from renda.core.tests.helpers import assert_pinned_queries
from renda.suggestions import services
from renda.suggestions.figures import figures_report
from renda.suggestions.models import Category, Reply, Suggestion

FEB10 = datetime.date(2025, 2, 10)  # assigned: the reply is due on 10 May 2025
MAR1 = datetime.date(2025, 3, 1)  # assigned: the reply is due on 1 June 2025
APR1 = datetime.date(2025, 4, 1)
MAY1 = datetime.date(2025, 5, 1)
JUN1 = datetime.date(2025, 6, 1)
OCT1 = datetime.date(2025, 10, 1)


# --- building items with the services ----------------------------------------------------


class Builder:
    """Items of 青山镇's congress moved through the workflow by the services,
    each step on the date given."""

    def __init__(self, world):
        self.w = world
        self.clerk = world.user("township")
        self.unit_user = world.user("unit")

    def submit(
        self, title, *, on, occasion="session", category=None, kind="suggestion", co=(), lead=None
    ):
        w = self.w
        with acting_on(on):
            item = services.suggestion_draft(
                entered_by=self.clerk,
                congress=w.township_congress,
                occasion=occasion,
                session=w.session if occasion == "session" else None,
                title=title,
                body=f"{title}。联系人电话 13912345678，身份证号 110105197505010012。",
                lead=lead or w.person,
                co_signers=list(co),
                kind=kind,
                category=category,
            )
            return services.suggestion_submit(suggestion=item, actor=self.clerk)

    def accept(self, item, *, on, kind="suggestion"):
        with acting_on(on):
            services.suggestion_accept(suggestion=item, actor=self.clerk, final_kind=kind)
        return item

    def assign(self, item, unit, *, on, sign=True, co_units=()):
        self.accept(item, on=on)
        with acting_on(on):
            lead = services.suggestion_assign(
                suggestion=item, actor=self.clerk, lead_unit=unit, co_units=co_units
            )
            if sign:
                services.assignment_sign(assignment=lead, actor=self.unit_user)
        return item

    def reply(self, item, unit, reply_class, *, on, text="经研究，已安排实施。"):
        with acting_on(on):
            return services.reply_submit(
                suggestion=item,
                unit=unit,
                actor=self.unit_user,
                reply_class=reply_class,
                text=text,
                commitment="" if reply_class == "A" else "2026年底前完成",
                signed_by="孙立军",
                replied_on=on,
            )

    def evaluate(self, reply, person, rating, *, on):
        with acting_on(on):
            services.evaluation_record(
                reply=reply,
                person=person,
                actor=self.clerk,
                rating=rating,
                comment="进度太慢" if rating == "dissatisfied" else "",
            )


@pytest.fixture
def items(world):
    """Twelve items of 青山镇 in every state, besides the world's own
    w.suggestion (handling, 县交通运输局, this year). See the hand count
    in EXPECTED below."""
    w, b = world, Builder(world)
    road = w.category
    school = Category.objects.create(name="教育", order=2)
    county_unit, township_unit = w.county_unit, w.township_unit
    made = {"W0": w.suggestion}

    # A: an A-class reply on time, both authors satisfied: closed.
    a = b.assign(
        b.submit("甲 关于硬化产业路的建议", on=FEB10, category=road, co=[w.county_person]),
        county_unit,
        on=FEB10,
    )
    reply = b.reply(a, county_unit, "A", on=APR1)
    b.evaluate(reply, w.person, "satisfied", on=APR1)
    b.evaluate(reply, w.county_person, "basically", on=APR1)
    made["A"] = a
    # B: a B-class reply after its deadline, accepted: a commitment followed.
    item = b.assign(
        b.submit("乙 关于新建幼儿园的建议", on=FEB10, category=school), township_unit, on=FEB10
    )
    b.evaluate(b.reply(item, township_unit, "B", on=JUN1), w.person, "basically", on=JUN1)
    made["B"] = item
    # C: a C-class reply on time, accepted, its commitment closed later.
    item = b.assign(
        b.submit("丙 关于路灯维修的建议", on=FEB10, category=road), county_unit, on=FEB10
    )
    b.evaluate(b.reply(item, county_unit, "C", on=APR1), w.person, "satisfied", on=APR1)
    with acting_on(OCT1):
        services.commitment_close(suggestion=item, actor=b.clerk, note="路灯已全部修复")
    made["C"] = item
    # D: not satisfied with the reply; re-handling, past its re-handling deadline.
    item = b.assign(
        b.submit("丁 关于桥梁加固的建议", on=FEB10, category=road), county_unit, on=FEB10
    )
    b.evaluate(b.reply(item, county_unit, "B", on=APR1), w.person, "dissatisfied", on=APR1)
    made["D"] = item
    # E: not satisfied, re-handled, then satisfied with the second reply: closed.
    item = b.assign(
        b.submit("戊 关于客运班线的建议", on=FEB10, category=road), county_unit, on=FEB10
    )
    b.evaluate(b.reply(item, county_unit, "A", on=APR1), w.person, "dissatisfied", on=APR1)
    b.evaluate(b.reply(item, county_unit, "A", on=MAY1), w.person, "satisfied", on=MAY1)
    made["E"] = item
    # F: between sessions, answered on time, not yet evaluated; I merged into it.
    f = b.assign(
        b.submit("己 关于校车安全的建议", on=MAR1, occasion="interim", category=school),
        township_unit,
        on=MAR1,
    )
    i = b.submit(
        "辛 关于校车接送的建议", on=MAR1, occasion="interim", category=road, lead=w.county_person
    )
    with acting_on(MAR1):
        services.suggestion_merge(suggestion=i, into=f, actor=b.clerk)
    b.reply(f, township_unit, "A", on=MAY1, text="已为全镇校车加装定位设备。\n每学期开展安全检查。")
    made["F"], made["I"] = f, i
    # G: assigned between sessions, no reply: overdue.
    made["G"] = b.assign(
        b.submit("庚 关于饮水工程的建议", on=MAR1, occasion="interim"), county_unit, on=MAR1
    )
    # H: not accepted.
    item = b.submit("壬 关于个人宅基地纠纷的建议", on=MAR1, occasion="interim", category=road)
    with acting_on(MAR1):
        services.suggestion_reject(suggestion=item, actor=b.clerk, reason_code="personal")
    made["H"] = item
    # J: accepted as a motion, not yet assigned.
    made["J"] = b.accept(
        b.submit("癸 关于制定河道管理办法的议案", on=FEB10, kind="motion"), on=FEB10, kind="motion"
    )
    # K: assigned, then withdrawn.
    item = b.assign(
        b.submit("子 关于集贸市场搬迁的建议", on=FEB10, category=road),
        township_unit,
        on=FEB10,
        sign=False,
    )
    with acting_on(MAR1):
        services.suggestion_withdraw(suggestion=item, actor=b.clerk, reason="代表书面申请撤回")
    made["K"] = item
    # L: submitted, still under review.
    made["L"] = b.submit("丑 关于增设公交站台的建议", on=FEB10, category=school)
    for item in made.values():
        item.refresh_from_db()
    return made


# {group: {figure or rate: value}} counted by hand from the fixture above, for
# the 青山镇 clerk (who sees w.suggestion and the twelve items, not 龙泉镇's).
COUNTY_UNIT = {  # W0, A, C, D, E, G
    "submitted": 6, "motions": 0, "suggestions": 6, "not_accepted": 0, "merged": 0,
    "assigned": 6, "answered": 4, "answer_rate": Decimal("66.7"),
    "closed": 3, "close_rate": Decimal("50.0"), "committed": 0, "implemented": 3,
    "implement_rate": Decimal("100.0"), "evaluations": 5, "satisfied": 4,
    "satisfaction_rate": Decimal("80.0"), "deadlines_done": 4, "on_time": 4,
    "on_time_rate": Decimal("100.0"), "overdue": 2,
}  # fmt: skip
TOWNSHIP_UNIT = {  # B, F, K (withdrawn)
    "submitted": 3, "motions": 0, "suggestions": 3, "not_accepted": 0, "merged": 0,
    "assigned": 2, "answered": 2, "answer_rate": Decimal("100.0"),
    "closed": 0, "close_rate": Decimal("0.0"), "committed": 1, "implemented": 0,
    "implement_rate": Decimal("0.0"), "evaluations": 1, "satisfied": 1,
    "satisfaction_rate": Decimal("100.0"), "deadlines_done": 2, "on_time": 1,
    "on_time_rate": Decimal("50.0"), "overdue": 0,
}  # fmt: skip
NOT_ASSIGNED = {  # H (not accepted), I (merged), J (motion), L (under review)
    "submitted": 4, "motions": 1, "suggestions": 0, "not_accepted": 1, "merged": 1,
    "assigned": 0, "answered": 0, "answer_rate": None,
    "closed": 0, "close_rate": None, "committed": 0, "implemented": 0,
    "implement_rate": None, "evaluations": 0, "satisfied": 0,
    "satisfaction_rate": None, "deadlines_done": 0, "on_time": 0,
    "on_time_rate": None, "overdue": 0,
}  # fmt: skip
TOTAL = {
    "submitted": 13, "motions": 1, "suggestions": 9, "not_accepted": 1, "merged": 1,
    "assigned": 8, "answered": 6, "answer_rate": Decimal("75.0"),
    "closed": 3, "close_rate": Decimal("37.5"), "committed": 1, "implemented": 3,
    "implement_rate": Decimal("75.0"), "evaluations": 6, "satisfied": 5,
    "satisfaction_rate": Decimal("83.3"), "deadlines_done": 6, "on_time": 5,
    "on_time_rate": Decimal("83.3"), "overdue": 2,
}  # fmt: skip


def _values(group) -> dict:
    return {**group.counts, **group.rates}


def _subset(values: dict, expected: dict) -> dict:
    return {key: values[key] for key in expected}


def _clerk_report(world, **kwargs):
    scope = Suggestion.objects.visible_to(world.user("township"))
    return figures_report(scope, filters=kwargs.pop("filters", {}), dimension="unit", **kwargs)


# --- figures ---------------------------------------------------------------------------


def test_the_figures_equal_a_hand_count(world, items):
    report = _clerk_report(world)
    groups = {group.label: group for group in report.groups}
    assert list(groups) == ["县交通运输局", "青山镇农业服务中心", "未交办"]
    assert _subset(_values(groups["县交通运输局"]), COUNTY_UNIT) == COUNTY_UNIT
    assert _subset(_values(groups["青山镇农业服务中心"]), TOWNSHIP_UNIT) == TOWNSHIP_UNIT
    assert _subset(_values(groups["未交办"]), NOT_ASSIGNED) == NOT_ASSIGNED
    assert _subset(_values(report.total), TOTAL) == TOTAL


def _cell(html: str, group: str, column: str) -> tuple[str, str]:
    """(link, text) of one number of the figures table."""
    row = re.search(rf'<tr[^>]*data-group="{group}">(.*?)</tr>', html, re.S).group(1)
    cell = re.search(
        rf'data-column="{column}"><a class="link-dark" href="([^"]+)">([^<]+)</a>', row
    )
    return cell.group(1).replace("&amp;", "&"), cell.group(2)


def test_the_page_shows_the_hand_count_and_explains_each_rate(world, items, client_for):
    client = client_for("township")
    response = client.get(reverse("suggestions:figures"))
    assert response.status_code == 200
    html = response.content.decode()
    unit = str(world.county_unit.pk)
    assert _cell(html, unit, "answered")[1] == "4"
    assert _cell(html, unit, "answer_rate")[1] == "66.7%"
    assert _cell(html, "none", "answer_rate")[1] == "—"
    assert _cell(html, "", "satisfaction_rate")[1] == "83.3%"
    assert _cell(html, "", "submitted")[1] == "13"
    for term in ("答复率", "办结率", "落实率", "满意率", "按期答复率"):
        assert term in html
    assert "只计各件最新一次答复的评价" in html
    assert 'id="figures-chart"' in html


def _listed(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200
    return {int(pk) for pk in re.findall(r'<tr data-item="(\d+)">', response.content.decode())}


@pytest.mark.parametrize(
    ("group", "column", "expected"),
    [
        ("county", "answered", {"A", "C", "D", "E"}),
        ("township", "answered", {"B", "F"}),
        ("township", "assigned", {"B", "F"}),
        ("none", "submitted", {"H", "I", "J", "L"}),
        ("", "motions", {"J"}),
        ("", "closed", {"A", "C", "E"}),
        ("", "implemented", {"A", "C", "E"}),
        ("", "committed", {"B"}),
        ("", "overdue", {"D", "G"}),
        ("", "satisfied", {"A", "B", "C", "E"}),
        ("", "evaluations", {"A", "B", "C", "D", "E"}),
        ("", "on_time", {"A", "C", "D", "E", "F"}),
        ("county", "close_rate", {"W0", "A", "C", "D", "E", "G"}),
        ("", "implement_rate", {"A", "B", "C", "E"}),
    ],
)
def test_every_number_drills_down_to_exactly_its_items(
    world, items, client_for, group, column, expected
):
    client = client_for("township")
    html = client.get(reverse("suggestions:figures")).content.decode()
    group_key = {
        "county": str(world.county_unit.pk),
        "township": str(world.township_unit.pk),
    }.get(group, group)
    link, _text = _cell(html, group_key, column)
    assert _listed(client, link) == {items[name].pk for name in expected}


def test_a_rate_lists_its_denominator_and_marks_the_numerator(world, items, client_for):
    client = client_for("township")
    url = reverse("suggestions:figures_items") + (
        f"?dimension=unit&figure=answer_rate&group={world.county_unit.pk}"
    )
    html = client.get(url).content.decode()
    counted = dict(re.findall(r'<tr data-item="(\d+)">.*?data-counted="(\d)"', html, re.S))
    answered = {items[name].pk for name in ("A", "C", "D", "E")}
    assert {int(pk) for pk, flag in counted.items() if flag == "1"} == answered
    assert len(counted) == 6
    assert "交办共 6 件，其中已答复 4 件" in html


def test_filters_narrow_the_figures(world, items):
    by_year = _clerk_report(world, filters={"year": 2025})
    assert by_year.total.counts["submitted"] == 12  # all but w.suggestion
    interim = _clerk_report(world, filters={"session": None, "category": world.category})
    assert interim.total.counts["submitted"] == 8  # W0, A, C, D, E, H, I, K
    unit = _clerk_report(world, filters={"unit": world.township_unit})
    assert [group.label for group in unit.groups] == ["青山镇农业服务中心"]
    assert unit.total.counts["assigned"] == 2
    session = _clerk_report(world, filters={"session": world.session})
    assert session.total.counts["submitted"] == 9  # all but F, G, H, I


def test_figures_group_by_year_session_category_and_region(world, items):
    scope = Suggestion.objects.visible_to(world.user("township"))

    def labels(dimension):
        report = figures_report(scope, filters={}, dimension=dimension, place=world.township)
        return {group.label: group.counts["submitted"] for group in report.groups}

    this_year = timezone.localdate().year
    assert labels("year") == {"2025年": 12, f"{this_year}年": 1}
    assert labels("session") == {str(world.session): 9, "闭会期间": 4}
    assert labels("category") == {"道路交通": 8, "教育": 3, "未分类": 2}
    assert labels("region") == {"青山镇": 13}


def test_county_staff_count_every_township(world, items):
    scope = Suggestion.objects.visible_to(world.user("county"))
    report = figures_report(scope, filters={}, dimension="region", place=world.county)
    assert {group.label: group.counts["submitted"] for group in report.groups} == {
        "青山镇": 13,
        "龙泉镇": 1,
    }


def test_the_export_has_the_same_numbers_as_the_page(world, items, client_for):
    response = client_for("township").get(reverse("suggestions:figures_export"))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    header = rows["主办单位"]
    county = dict(zip(header, rows["县交通运输局"], strict=True))
    assert county["已答复"] == 4
    assert county["答复率（%）"] == 66.7
    total = dict(zip(header, rows["合计"], strict=True))
    assert total["满意率（%）"] == 83.3
    assert total["当前逾期"] == 2
    assert "口径说明" in rows


def _more_items(world, count=4):
    """More items in new groups (a new unit and category) and states."""
    b = Builder(world)
    unit = UnitFactory(name="县教育局", region=world.county)
    category = Category.objects.create(name="水利", order=3)

    def add():
        for n in range(count):
            item = b.assign(
                b.submit(f"关于水利设施{n}的建议", on=FEB10, category=category), unit, on=FEB10
            )
            reply = b.reply(item, unit, "A", on=APR1)
            b.evaluate(reply, world.person, "satisfied", on=APR1)
        b.submit("关于新增站点的建议", on=MAR1, occasion="interim")

    return add


def test_the_year_select_runs_from_the_latest_submission_back_to_the_first(
    world, items, client_for
):
    client = client_for("county")
    latest = client.get(reverse("suggestions:figures")).context["years"][0]
    assert latest >= 2025
    Suggestion.objects.filter(pk=Suggestion.objects.exclude(submitted_at=None).first().pk).update(
        # 17:00 UTC on 31 December 2022 is already 2023 in Beijing.
        submitted_at=datetime.datetime(2023, 1, 1, 1, 0, tzinfo=timezone.get_current_timezone())
    )
    years = client.get(reverse("suggestions:figures")).context["years"]
    assert years == list(range(latest, 2022, -1))


def test_the_page_query_count_does_not_grow_with_items(world, items, client_for):
    client = client_for("township")

    def load():
        assert client.get(reverse("suggestions:figures")).status_code == 200

    assert_pinned_queries(load, _more_items(world), expected=11)


def test_the_drill_down_query_count_does_not_grow_with_items(world, items, client_for):
    client = client_for("township")
    url = reverse("suggestions:figures_items") + "?figure=answer_rate&group="

    def load():
        assert client.get(url).status_code == 200

    # One of them reads the reply-class rules for every row's label.
    assert_pinned_queries(load, _more_items(world), expected=7)


def test_a_filter_outside_the_users_scope_is_not_found(world, client_for):
    client = client_for("township")
    for query in (
        {"session": world.other_session.pk},
        {"region": world.other_township.pk},
        {"unit": world.other_unit.pk},
    ):
        assert client.get(reverse("suggestions:figures"), query).status_code == 404
        assert client.get(reverse("suggestions:register_print"), query).status_code == 404


def test_bad_input_gets_a_chinese_message_naming_the_field(world, client_for):
    client = client_for("township")
    response = client.get(reverse("suggestions:figures"), {"year": "去年", "dimension": "x"})
    html = response.content.decode()
    assert "提出年度：提出年度应为四位数字" in html
    assert "分组：“x”不是可选的分组方式" in html
    unknown = client.get(reverse("suggestions:figures_items"), {"figure": "nonsense"})
    assert unknown.status_code == 404


def test_deputies_units_and_the_public_are_refused_the_figures(world, client_for):
    for role in ("deputy", "liaison", "unit", "public"):
        assert client_for(role).get(reverse("suggestions:figures")).status_code == 403


# --- registers ---------------------------------------------------------------------------


def test_the_register_of_a_year_has_one_row_per_item(world, items, client_for):
    response = client_for("township").get(reverse("suggestions:register_xlsx"), {"year": 2025})
    assert response.status_code == 200
    assert quote("2025年代表议案建议批评和意见记录簿.xlsx") in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "2025年代表议案建议批评和意见记录簿"
    header = [cell.value for cell in sheet[3]]
    rows = [
        dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=4, values_only=True)
    ]
    assert len(rows) == 12
    assert {row["编号"] for row in rows} == {
        item.number for name, item in items.items() if name != "W0"
    }
    a = next(row for row in rows if row["编号"] == items["A"].number)
    assert a["领衔代表"] == "王春燕"
    assert a["附议代表"] == "张三"
    assert a["案由"] == "甲 关于硬化产业路的建议"
    assert a["类别"] == "道路交通"
    assert a["审查结果"] == "作为建议办理"
    assert a["主办单位"] == "县交通运输局"
    assert a["答复日期"] == "2025-04-01"
    assert a["答复类别"] == "A类"
    assert a["代表评价"] == "王春燕：满意；张三：基本满意"
    assert a["办理状态"] == "已办结"
    e = next(row for row in rows if row["编号"] == items["E"].number)
    assert e["答复日期"] == "第1次 2025-04-01；第2次 2025-05-01"
    i = next(row for row in rows if row["编号"] == items["I"].number)
    assert i["审查结果"] == f"并入 {items['F'].number}"
    h = next(row for row in rows if row["编号"] == items["H"].number)
    assert h["审查结果"].startswith("不予立案（涉及代表本人或亲属个人问题")


def test_the_printable_register_of_a_session_lists_its_items(world, items, client_for):
    response = client_for("township").get(
        reverse("suggestions:register_print"), {"session": world.session.pk}
    )
    html = response.content.decode()
    assert f"{world.session}代表议案建议批评和意见记录簿" in html
    listed = {int(pk) for pk in re.findall(r'<tr data-item="(\d+)">', html)}
    assert listed == {items[name].pk for name in ("W0", "A", "B", "C", "D", "E", "J", "K", "L")}
    assert "print.css" in html


@pytest.mark.parametrize("url_name", ["suggestions:register_print", "suggestions:register_xlsx"])
def test_register_query_count_does_not_grow_with_items(world, items, client_for, url_name):
    client = client_for("township")

    def load():
        assert client.get(reverse(url_name), {"year": 2025}).status_code == 200

    # One of them reads the reply-class rules for every row's label.
    assert_pinned_queries(load, _more_items(world), expected=9)


def test_the_card_holds_every_handling_fact_and_the_timeline(world, items, client_for):
    client = client_for("township")
    item = items["E"]
    html = client.get(reverse("suggestions:card_print", args=[item.pk])).content.decode()
    assert "代表建议办理情况登记卡" in html
    for text in (
        item.number,
        "戊 关于客运班线的建议",
        "县交通运输局",
        "测试依据第一条",  # the rule behind the reply deadline
        "第2次",
        "王春燕：不满意（进度太慢）",
        "王春燕：满意",
        "重新办理",  # the timeline
        "已办结",
    ):
        assert text in html, text
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("suggestions:card_xlsx", args=[item.pk])).content)
    ).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "代表建议办理情况登记卡" in cells
    assert item.number in cells
    assert "流转记录" in cells
    assert "重新办理" in cells


@pytest.mark.parametrize("url_name", ["suggestions:card_print", "suggestions:card_xlsx"])
def test_card_query_count_does_not_grow_with_the_items_history(world, client_for, url_name):
    client = client_for("township")
    item = world.suggestion
    b = Builder(world)
    today = timezone.localdate()
    first = b.reply(item, world.county_unit, "B", on=today)
    b.evaluate(first, world.person, "dissatisfied", on=today)

    def load():
        assert client.get(reverse(url_name, args=[item.pk])).status_code == 200

    def add_history():
        for step in ("plan", "consult", "progress"):
            services.consultation_record(
                suggestion=item,
                unit=world.county_unit,
                actor=b.unit_user,
                step=step,
                held_on=today,
                content="研究办理方案",
            )
        second = b.reply(item, world.county_unit, "A", on=today)
        b.evaluate(second, world.person, "satisfied", on=today)
        b.evaluate(second, world.county_person, "satisfied", on=today)

    # One of them reads the reply-class rules for every reply's label.
    assert_pinned_queries(load, add_history, expected=14)


# --- official documents -------------------------------------------------------------------


def _docx(response):
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    return Document(io.BytesIO(response.content))


def _page_setup_is_gbt_9704(document):
    for section in document.sections:
        assert round(section.page_width.mm) == 210
        assert round(section.page_height.mm) == 297
        assert round(section.top_margin.mm) == 37
        assert round(section.bottom_margin.mm) == 35
        assert round(section.left_margin.mm) == 28
        assert round(section.right_margin.mm) == 26
        footer = section.footer.paragraphs[0]
        assert footer.text.startswith("— ") and footer.text.endswith(" —")
        assert "PAGE" in footer._p.xml
        assert footer.alignment == WD_ALIGN_PARAGRAPH.RIGHT
        assert section.even_page_footer.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT
        assert footer.runs[0].font.size == Pt(14)
    normal = document.styles["Normal"]
    assert normal.font.size == Pt(16)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert 28 <= normal.paragraph_format.line_spacing.pt <= 29


def _title(document, text):
    paragraph = next(p for p in document.paragraphs if p.text == text)
    assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.runs[0]
    assert run.font.size == Pt(22)
    assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    return paragraph


def test_the_assignment_notice_is_a_gbt_9704_document(world, client_for):
    item = world.suggestion
    response = client_for("township").get(reverse("suggestions:notice_docx", args=[item.pk]))
    document = _docx(response)
    _page_setup_is_gbt_9704(document)
    _title(document, "关于交办代表建议的通知")
    texts = [p.text for p in document.paragraphs]
    assert "县交通运输局：" in texts
    body = "\n".join(texts)
    deadline = item.deadlines.get(kind="reply")
    assert f"第{item.number}号" in body
    assert "《关于修缮东河村通组公路的建议》" in body
    assert "王春燕代表领衔，张三代表联名" in body
    due = deadline.due_on
    assert f"于{due.year}年{due.month}月{due.day}日前将办理结果书面答复代表" in body
    assert deadline.explanation in body
    assert "依据测试依据第一条" in body
    opening = next(p for p in document.paragraphs if p.text.startswith("在"))
    assert opening.paragraph_format.first_line_indent == Pt(32)
    issuer, date = document.paragraphs[-2], document.paragraphs[-1]
    assert issuer.text == "青山镇人民代表大会主席团"
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    today = timezone.localdate()
    assert date.text == f"{today.year}年{today.month}月{today.day}日"
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''" + quote(f"交办通知_{item.number}_县交通运输局.docx")
    )


def test_the_notice_names_co_units_and_their_deadline(world):
    b = Builder(world)
    item = b.assign(
        b.submit("关于修建文化广场的建议", on=FEB10, co=[world.county_person]),
        world.county_unit,
        on=FEB10,
        co_units=[world.township_unit],
    )
    from renda.suggestions.documents import notice_document

    text = "\n".join(p.text for p in Document(io.BytesIO(notice_document(item))).paragraphs)
    assert "交由你单位主办，青山镇农业服务中心协办" in text
    assert "协办单位应于2025年3月10日前向你单位书面提出协办意见" in text


def test_a_co_unit_cannot_download_the_notice(world, client_for):
    b = Builder(world)
    item = b.assign(
        b.submit("关于修建文化广场的建议", on=FEB10),
        world.township_unit,
        on=FEB10,
        co_units=[world.county_unit],
    )
    response = client_for("unit").get(reverse("suggestions:notice_docx", args=[item.pk]))
    assert response.status_code == 403


def test_the_reply_letter_has_one_letter_per_author(world, items, client_for):
    reply = items["A"].replies.get()
    document = _docx(client_for("township").get(reverse("suggestions:reply_docx", args=[reply.pk])))
    assert len(document.sections) == 2  # each letter starts a new page, numbered from 1
    _page_setup_is_gbt_9704(document)
    _title(document, "县交通运输局")
    texts = [p.text for p in document.paragraphs]
    assert "王春燕代表：" in texts
    assert "张三代表：" in texts
    assert f"关于对第{items['A'].number}号代表建议的答复" in texts
    assert "您领衔提出的《甲 关于硬化产业路的建议》收悉。现答复如下：" in texts
    assert "您联名提出的《甲 关于硬化产业路的建议》收悉。现答复如下：" in texts
    assert texts.count("经研究，已安排实施。") == 2
    assert texts.count("2025年4月1日") == 2
    assert "签发人：孙立军" in texts
    assert "A类" in texts


def test_one_letter_for_one_person_and_for_the_author_of_a_merged_item(world, items, client_for):
    reply = items["F"].replies.get()
    url = reverse("suggestions:reply_docx", args=[reply.pk])
    document = _docx(client_for("township").get(url, {"person": world.county_person.pk}))
    texts = [p.text for p in document.paragraphs]
    assert len(document.sections) == 1
    assert "张三代表：" in texts
    assert "王春燕代表：" not in texts
    assert (
        "您提出的《辛 关于校车接送的建议》已与《己 关于校车安全的建议》并案办理。现答复如下："
        in texts
    )
    # Each line of the reply is its own paragraph.
    assert "已为全镇校车加装定位设备。" in texts and "每学期开展安全检查。" in texts
    assert client_for("township").get(url, {"person": world.other_person.pk}).status_code == 404


def test_an_author_downloads_only_their_own_letter(world, items, client_for):
    reply = items["A"].replies.get()
    response = client_for("deputy").get(reverse("suggestions:reply_docx", args=[reply.pk]))
    texts = [p.text for p in _docx(response).paragraphs]
    assert "王春燕代表：" in texts
    assert "张三代表：" not in texts
    assert quote("答复函") in response["Content-Disposition"]


def test_a_unit_cannot_download_another_units_reply_letter(world, items, client_for):
    # B was answered by 青山镇农业服务中心; the `unit` user is the county bureau.
    reply = items["B"].replies.get()
    response = client_for("unit").get(reverse("suggestions:reply_docx", args=[reply.pk]))
    assert response.status_code in (403, 404)


# --- public disclosure -----------------------------------------------------------------------


@pytest.fixture
def published(world, items):
    """A published and an unpublished answered item, with phone numbers
    recorded for the author and the unit that must never show."""
    world.person.mobile = "13812345678"
    world.person.public_phone = "13887654321"
    world.person.save()
    world.county_unit.office_phone = "0571-88886666"
    world.county_unit.save()
    reply = items["A"].replies.get()
    Reply.objects.filter(pk=reply.pk).update(public_text="已完成产业路硬化 3.2 公里。")
    services.suggestion_publish(suggestion=items["A"], actor=world.user("township"), published=True)
    return items["A"], items["E"]


def test_the_public_reads_a_published_reply_without_personal_details(world, published, client_for):
    item, _unpublished = published
    for role in ("anonymous", "public"):
        response = client_for(role).get(reverse("suggestions:public_detail", args=[item.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        for text in (item.number, item.title, "道路交通", "王春燕", "张三", "县交通运输局", "A类"):
            assert text in html, text
        assert "已完成产业路硬化 3.2 公里。" in html  # the public text, not the reply's own
        assert "经研究，已安排实施。" not in html
        assert "13912345678" not in html  # in the item's body
        assert "110105197505010012" not in html
        assert not re.search(r"1[3-9]\d{9}", html), "a mobile number is shown"
        assert "0571-88886666" not in html


def test_an_unpublished_item_is_not_found_publicly(world, published, client_for):
    _item, unpublished = published
    for role in ("anonymous", "public", "county"):
        response = client_for(role).get(reverse("suggestions:public_detail", args=[unpublished.pk]))
        assert response.status_code == 404


def test_the_public_list_shows_only_published_items_and_searches(world, published, client_for):
    item, unpublished = published
    client = client_for("anonymous")
    html = client.get(reverse("suggestions:public_list")).content.decode()
    listed = {int(pk) for pk in re.findall(r'data-item="(\d+)"', html)}
    assert listed == {item.pk}
    assert unpublished.title not in html
    assert not re.search(r"1[3-9]\d{9}", html)
    found = client.get(reverse("suggestions:public_list"), {"q": "产业路"}).content.decode()
    assert item.title in found
    missing = client.get(reverse("suggestions:public_list"), {"q": "客运"}).content.decode()
    assert item.title not in missing and "没有找到相关的公开答复" in missing


def test_the_public_list_query_count_does_not_grow_with_items(world, published, client_for):
    client = client_for("anonymous")

    def load():
        assert client.get(reverse("suggestions:public_list")).status_code == 200

    def publish_more():
        b = Builder(world)
        for n in range(5):
            item = b.assign(b.submit(f"关于村道{n}的建议", on=FEB10), world.county_unit, on=FEB10)
            b.reply(item, world.county_unit, "A", on=APR1)
            services.suggestion_publish(suggestion=item, actor=b.clerk, published=True)

    assert_pinned_queries(load, publish_more, expected=2)
