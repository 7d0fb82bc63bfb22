"""The registers and the figures of opinions and receptions, checked against
a month counted by hand.

October 2026 in 青山镇 (built by `october` below, each step on its own day):

receptions                          deputies         people  opinions there
R1 10-10 东河村代表联络站 固定接待日   王春燕、张三      8       A, B
R2 10-20 东河村代表联络站 赶集日接待   王春燕            5       E
R3 10-25 青山镇 (no station) 入户走访  张三              3       G
(R0 09-30 at the station, 王春燕, 7 people: September; R9 10-12 龙泉镇.)

opinion  received  channel    place   what became of it
A        10-10     reception  东河村  sorted 10-11, solved on the spot 10-11, answered 10-12
B        10-10     reception  东河村  sorted 10-11, assigned to 县交通运输局 10-12, handled 10-20, answered 10-22
C        10-15     letter     青山镇  sorted and assigned to 青山镇农业服务中心 10-16, not handled: overdue
D        10-18     visit      青山镇  sorted and converted into a suggestion 10-19
E        10-20     reception  东河村  sorted and escalated 10-21, handled 10-28, not answered
F        10-22     hotline    青山镇  sorted and declined 10-23 (社会治理), answered 10-24
G        10-25     household  青山镇  received only (at R3, by 张三)
H        10-26     letter     东河村  sorted and assigned 10-27, returned 10-28, solved 10-29
I        10-28     web        青山镇  merged into C
J        09-28     letter     青山镇  sorted 09-29, assigned to 县交通运输局 10-05 (a transfer of October)
K        10-15     letter     龙泉镇  sorted 10-15, assigned to 龙泉镇村建中心 10-16

A, B and E were collected by 王春燕 at the station. Sorting numbers them in
the order sorted: J 202609-0001; A, B, C, D, E, F, H, K 202610-0001 … 0008.
"""

import contextlib
import datetime
import io
from types import SimpleNamespace
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from renda.core.models import StateChange
from renda.core.tests.helpers import assert_pinned_queries
from renda.opinions import figures, registers, services
from renda.opinions.models import Opinion, Reception
from renda.suggestions.models import Category

OCTOBER = {"date_from": "2026-10-01", "date_to": "2026-10-31"}


def moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


@contextlib.contextmanager
def on(day: datetime.date):
    """Run services as of 10:00 on `day` (they read django.utils.timezone.now)."""
    with mock.patch("django.utils.timezone.now", return_value=moment(day)):
        yield


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def receive(day, **fields) -> Opinion:
    defaults = {"region": None, "title": "", "content": "", "submitter_name": ""}
    with on(day):
        opinion, created = services.opinion_receive(**{**defaults, **fields})
    assert created
    # The field's default reads the real clock: record the day it was collected.
    Opinion.objects.filter(pk=opinion.pk).update(received_at=moment(day))
    opinion.refresh_from_db()
    return opinion


def reception(w, day, *, deputies, people, station=None, region=None, kind="scheduled"):
    with on(day):
        return services.reception_record(
            actor=w.user("liaison"),
            region=region or w.village,
            station=station,
            kind=kind,
            held_on=day,
            deputies=deputies,
            people_received=people,
        )


@pytest.fixture
def october(world):
    w = world
    clerk, unit = w.user("township"), w.user("unit")
    governance = Category.objects.create(name="社会治理", order=1)
    m = SimpleNamespace(governance=governance)

    m.r0 = reception(w, d(9, 30), deputies=[w.person], people=7, station=w.station)
    m.r1 = reception(
        w, d(10, 10), deputies=[w.person, w.county_person], people=8, station=w.station
    )
    m.r2 = reception(
        w, d(10, 20), deputies=[w.person], people=5, station=w.station, kind="market_day"
    )
    m.r3 = reception(
        w, d(10, 25), deputies=[w.county_person], people=3, region=w.township, kind="household"
    )
    m.r9 = reception(
        w, d(10, 12), deputies=[w.other_person], people=4, station=w.other_station,
        region=w.other_township,
    )  # fmt: skip

    def sort(opinion, day, category=None, urgency="normal"):
        with on(day):
            services.opinion_sort(
                opinion=opinion, actor=clerk, category=category or w.category, urgency=urgency
            )

    m.J = receive(
        d(9, 28), channel="letter", region=w.township, title="敬老院修缮",
        content="敬老院屋顶漏雨", submitter_name="郑十", submitter_phone="13900000010",
    )  # fmt: skip
    sort(m.J, d(9, 29))
    with on(d(10, 5)):
        services.opinion_assign(opinion=m.J, actor=clerk, unit=w.county_unit)

    station_fields = {"region": w.village, "station": w.station, "collected_by": w.person}
    m.A = receive(
        d(10, 10), channel="reception", reception=m.r1, **station_fields, title="三组路灯不亮",
        content="三组路灯坏了两个月", submitter_name="刘一", submitter_phone="13900000001",
    )  # fmt: skip
    m.B = receive(
        d(10, 10), channel="reception", reception=m.r1, **station_fields, title="村道坑洼",
        content="村道坑洼积水", submitter_name="陈二", submitter_phone="13900000002",
    )  # fmt: skip
    sort(m.A, d(10, 11), urgency="important")
    with on(d(10, 11)):
        services.opinion_solve(opinion=m.A, actor=clerk, result="代表现场联系电工修复")
    with on(d(10, 12)):
        services.opinion_answer(opinion=m.A, actor=clerk, answer="路灯已修复", method="电话")
    sort(m.B, d(10, 11))
    with on(d(10, 12)):
        services.opinion_assign(opinion=m.B, actor=clerk, unit=w.county_unit)
    with on(d(10, 20)):
        services.opinion_handled(opinion=m.B, actor=unit, result="已填平坑洼")
    with on(d(10, 22)):
        services.opinion_answer(opinion=m.B, actor=clerk, answer="已修复，感谢反映", method="电话")

    m.C = receive(
        d(10, 15), channel="letter", region=w.township, title="集镇排水不畅",
        content="集镇下雨积水", submitter_name="张三丰", submitter_phone="13900000003",
    )  # fmt: skip
    sort(m.C, d(10, 16), urgency="urgent")
    with on(d(10, 16)):
        services.opinion_assign(opinion=m.C, actor=clerk, unit=w.township_unit)

    m.K = receive(
        d(10, 15), channel="letter", region=w.other_township, title="龙泉镇路灯",
        content="龙泉镇路灯不亮", submitter_name="冯十一", submitter_phone="13900000011",
    )  # fmt: skip

    m.D = receive(
        d(10, 18), channel="visit", region=w.township, title="建议增设公交站",
        content="镇区到县城公交少", submitter_name="李四海", submitter_phone="13900000004",
    )  # fmt: skip
    sort(m.D, d(10, 19))
    with on(d(10, 19)):
        m.suggestion = services.opinion_convert(
            opinion=m.D,
            actor=clerk,
            congress=w.township_congress,
            lead=w.person,
            title="关于增开镇区至县城公交班次的建议",
            body="镇区到县城公交班次少，建议增开。",
        )

    m.E = receive(
        d(10, 20), channel="reception", reception=m.r2, **station_fields, title="灌溉渠堵塞",
        content="东河村灌溉渠堵塞", submitter_name="王五", submitter_phone="13900000005",
    )  # fmt: skip
    sort(m.E, d(10, 21))
    with on(d(10, 21)):
        services.opinion_escalate(opinion=m.E, actor=clerk, to="县人大常委会")
    with on(d(10, 28)):
        services.opinion_handled(opinion=m.E, actor=clerk, result="已协调水利站清淤")

    m.F = receive(
        d(10, 22), channel="hotline", region=w.township, title="邻里纠纷",
        content="邻居占用通道", submitter_name="赵六", submitter_phone="13900000006",
    )  # fmt: skip
    sort(m.F, d(10, 23), category=governance)
    with on(d(10, 23)):
        services.opinion_decline(opinion=m.F, actor=clerk, reason="属民事纠纷，已引导调解")
    with on(d(10, 24)):
        services.opinion_answer(
            opinion=m.F, actor=clerk, answer="请通过村调委会调解", method="当面"
        )

    m.G = receive(
        d(10, 25), channel="household", region=w.township, reception=m.r3,
        collected_by=w.county_person, title="低保咨询", content="咨询低保政策",
        submitter_name="孙七", submitter_phone="13900000007",
    )  # fmt: skip

    m.H = receive(
        d(10, 26), channel="letter", region=w.village, title="路灯线路老化",
        content="线路老化存在隐患", submitter_name="周八", submitter_phone="13900000008",
    )  # fmt: skip
    sort(m.H, d(10, 27))
    with on(d(10, 27)):
        services.opinion_assign(opinion=m.H, actor=clerk, unit=w.county_unit)
    with on(d(10, 28)):
        services.opinion_unit_return(opinion=m.H, actor=unit, reason="不属本单位职责")
    with on(d(10, 29)):
        services.opinion_solve(opinion=m.H, actor=clerk, result="镇村干部更换线路")

    m.I = receive(
        d(10, 28), channel="web", region=w.township, title="集镇排水问题",
        content="集镇排水沟堵了", submitter_name="吴九", submitter_phone="13900000009",
    )  # fmt: skip
    with on(d(10, 28)):
        services.opinion_merge(opinion=m.I, into=m.C, actor=clerk)

    other = w.user("other_township")
    with on(d(10, 15)):
        services.opinion_sort(opinion=m.K, actor=other, category=w.category, urgency="normal")
    with on(d(10, 16)):
        services.opinion_assign(opinion=m.K, actor=other, unit=w.other_unit)

    for name in "ABCDEFGHIJK":
        getattr(m, name).refresh_from_db()
    m.suggestion.refresh_from_db()
    return m


def rows_of(kind, user, **filters):
    form = registers.PeriodQueryForm(filters, user=user)
    assert form.is_valid(), form.errors
    return registers.register(kind, user=user, filters=form.filters()).rows


def township_october(world):
    return {"township": world.township.pk, **OCTOBER}


# --- the registers, counted by hand ---------------------------------------------------------


def test_the_fixture_numbers_opinions_in_the_order_they_were_sorted(october):
    m = october
    assert [m.J.number, m.A.number, m.B.number, m.C.number, m.D.number] == [
        "202609-0001",
        "202610-0001",
        "202610-0002",
        "202610-0003",
        "202610-0004",
    ]
    assert [m.E.number, m.F.number, m.H.number, m.K.number] == [
        "202610-0005",
        "202610-0006",
        "202610-0007",
        "202610-0008",
    ]
    # 15 working days (the rule), the National Day holiday skipped.
    assert (m.J.due_on, m.B.due_on, m.C.due_on) == (d(10, 27), d(11, 2), d(11, 6))


def test_the_ledger_of_october_lists_every_opinion_of_the_township_received_in_it(october, world):
    m = october
    rows = rows_of("ledger", world.user("township"), **township_october(world))
    suggestion = f"转为代表建议（{m.suggestion.number}）"
    road, governance = "道路交通", "社会治理"
    assert rows == [
        [1, "202610-0001", "2026-10-10", "接待日", "刘一", "13900000001", "东河村",
         "三组路灯不亮：三组路灯坏了两个月", road, "重要", "当场解决；已答复群众", "2026-10-12"],
        [2, "202610-0002", "2026-10-10", "接待日", "陈二", "13900000002", "东河村",
         "村道坑洼：村道坑洼积水", road, "一般", "交县交通运输局办理；已答复群众", "2026-10-22"],
        [3, "202610-0003", "2026-10-15", "来信", "张三丰", "13900000003", "青山镇",
         "集镇排水不畅：集镇下雨积水", road, "紧急", "交青山镇农业服务中心办理", ""],
        [4, "202610-0004", "2026-10-18", "来访", "李四海", "13900000004", "青山镇",
         "建议增设公交站：镇区到县城公交少", road, "一般", suggestion, ""],
        [5, "202610-0005", "2026-10-20", "接待日", "王五", "13900000005", "东河村",
         "灌溉渠堵塞：东河村灌溉渠堵塞", road, "一般", "上报县人大常委会；已办理待回复", ""],
        [6, "202610-0006", "2026-10-22", "热线电话", "赵六", "13900000006", "青山镇",
         "邻里纠纷：邻居占用通道", governance, "一般", "不予受理；已答复群众", "2026-10-24"],
        [7, "", "2026-10-25", "入户走访", "孙七", "13900000007", "青山镇",
         "低保咨询：咨询低保政策", "", "一般", "已收集待整理", ""],
        [8, "202610-0007", "2026-10-26", "来信", "周八", "13900000008", "东河村",
         "路灯线路老化：线路老化存在隐患", road, "一般", "当场解决", ""],
        [9, "", "2026-10-28", "网上留言", "吴九", "13900000009", "青山镇",
         "集镇排水问题：集镇排水沟堵了", "", "一般", "归并至202610-0003", ""],
    ]  # fmt: skip


def test_the_county_ledger_adds_the_other_township_and_a_station_narrows_it(october, world):
    m = october
    county = rows_of("ledger", world.user("county"), **OCTOBER)
    assert len(county) == 10 and county[3][1] == m.K.number  # K (10-15) after C
    at_station = rows_of("ledger", world.user("county"), station=world.station.pk, **OCTOBER)
    assert [row[4] for row in at_station] == ["刘一", "陈二", "王五"]


def test_the_transfer_register_lists_transfers_made_in_the_month(october, world):
    """J was received in September and assigned in October; H was assigned
    and returned, then solved: it no longer stands as a transfer."""
    m = october
    rows = rows_of("transfer", world.user("township"), **township_october(world))
    assert rows == [
        [1, "202609-0001", "敬老院修缮", "郑十", "13900000010", "交办", "县交通运输局",
         "2026-10-05", "2026-10-27", "已交办", "", ""],
        [2, "202610-0002", "村道坑洼", "陈二", "13900000002", "交办", "县交通运输局",
         "2026-10-12", "2026-11-02", "已填平坑洼", "已修复，感谢反映", "2026-10-22"],
        [3, "202610-0003", "集镇排水不畅", "张三丰", "13900000003", "交办", "青山镇农业服务中心",
         "2026-10-16", "2026-11-06", "已交办", "", ""],
        [4, "202610-0004", "建议增设公交站", "李四海", "13900000004", "转为代表建议",
         f"代表建议{m.suggestion.number}：关于增开镇区至县城公交班次的建议", "2026-10-19", "",
         "已转为代表建议", "", ""],
        [5, "202610-0005", "灌溉渠堵塞", "王五", "13900000005", "上报", "县人大常委会",
         "2026-10-21", "", "已协调水利站清淤", "", ""],
    ]  # fmt: skip


def test_the_letters_register_lists_letters_and_visits(october, world):
    m = october
    rows = rows_of("letters", world.user("township"), **township_october(world))
    assert rows == [
        [1, "202610-0003", "2026-10-15", "来信", "张三丰", "13900000003", "青山镇",
         "集镇排水不畅：集镇下雨积水", "道路交通", "交青山镇农业服务中心办理", ""],
        [2, "202610-0004", "2026-10-18", "来访", "李四海", "13900000004", "青山镇",
         "建议增设公交站：镇区到县城公交少", "道路交通", f"转为代表建议（{m.suggestion.number}）", ""],
        [3, "202610-0007", "2026-10-26", "来信", "周八", "13900000008", "东河村",
         "路灯线路老化：线路老化存在隐患", "道路交通", "当场解决", ""],
    ]  # fmt: skip


def test_the_receptions_register_lists_deputies_people_and_opinions(october, world):
    rows = rows_of("receptions", world.user("liaison"), **township_october(world))
    assert rows == [
        [1, "2026-10-10", "东河村代表联络站", "固定接待日", "王春燕、张三", 2, 8, 2,
         "三组路灯不亮；村道坑洼", ""],
        [2, "2026-10-20", "东河村代表联络站", "赶集日接待", "王春燕", 1, 5, 1, "灌溉渠堵塞", ""],
        [3, "2026-10-25", "青山镇", "入户走访", "张三", 1, 3, 1, "低保咨询", ""],
    ]  # fmt: skip


def test_the_deeds_register_lists_what_was_solved_or_handled_in_the_month(october, world):
    rows = rows_of("deeds", world.user("township"), **township_october(world))
    assert rows == [
        [1, "2026-10-11", "王春燕", "刘一", "13900000001", "东河村", "三组路灯不亮",
         "当场解决", "代表现场联系电工修复", "已答复（2026-10-12）"],
        [2, "2026-10-20", "王春燕", "陈二", "13900000002", "东河村", "村道坑洼",
         "交县交通运输局办理", "已填平坑洼", "已答复（2026-10-22）"],
        [3, "2026-10-28", "王春燕", "王五", "13900000005", "东河村", "灌溉渠堵塞",
         "上报县人大常委会", "已协调水利站清淤", "待答复"],
        [4, "2026-10-29", "", "周八", "13900000008", "东河村", "路灯线路老化",
         "当场解决", "镇村干部更换线路", "待答复"],
    ]  # fmt: skip


def test_a_period_selects_by_the_registers_own_date(october, world):
    clerk = world.user("township")
    late = {"township": world.township.pk, "date_from": "2026-10-20", "date_to": "2026-10-28"}
    assert [row[4] for row in rows_of("ledger", clerk, **late)] == [
        "王五", "赵六", "孙七", "周八", "吴九",
    ]  # fmt: skip
    assert [row[3] for row in rows_of("deeds", clerk, **late)] == ["陈二", "王五"]
    september = {"date_from": "2026-09-01", "date_to": "2026-09-30"}
    assert [row[1] for row in rows_of("receptions", clerk, **september)] == ["2026-09-30"]
    assert rows_of("transfer", clerk, **september) == []


# --- privacy -------------------------------------------------------------------------------


def test_a_deputy_reads_the_register_with_names_and_phones_masked(october, world, client_for):
    rows = rows_of("ledger", world.user("deputy"), **township_october(world))
    assert [row[4:6] for row in rows[:2]] == [["刘*", "139****0001"], ["陈*", "139****0002"]]
    page = client_for("deputy").get(
        reverse("opinions:register", args=["ledger"]), township_october(world)
    )
    html = page.content.decode()
    assert "13900000001" not in html and "139****0001" in html
    assert 'data-testid="masked-note"' in html


def test_a_liaison_officer_reads_unmasked_only_what_their_station_collected(october, world):
    rows = rows_of("ledger", world.user("liaison"), **township_october(world))
    people = {row[4] for row in rows}
    assert {"刘一", "陈二", "王五"} <= people  # collected at 东河村代表联络站
    assert "张*" in people and "张三丰" not in people  # a letter to the township


def test_the_privacy_rule_lets_the_assigned_unit_read_the_person(october, world):
    unit = registers.submitters(world.user("unit"))
    assert unit(october.B).full and not unit(october.C).full
    assert not registers.submitters(world.user("other_unit"))(october.B).full


# --- pages, workbook, scope ----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(registers.KINDS))
def test_every_register_prints_and_exports_the_same_rows(kind, october, world, client_for):
    client = client_for("township")
    query = township_october(world)
    page = client.get(reverse("opinions:register", args=[kind]), query)
    assert page.status_code == 200
    assert registers.KINDS[kind].title in page.content.decode()
    export = client.get(reverse("opinions:register_xlsx", args=[kind]), query)
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["A1"].value == registers.KINDS[kind].title
    header = [cell.value for cell in sheet[3]]
    assert header == [column.label for column in registers.KINDS[kind].columns]
    expected = rows_of(kind, world.user("township"), **query)
    written = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
    assert written == [[None if value == "" else value for value in row] for row in expected]


def test_an_unknown_register_is_not_found(world, client_for):
    response = client_for("county").get(reverse("opinions:register", args=["diary"]))
    assert response.status_code == 404


def test_a_township_clerk_sees_only_their_township_and_is_refused_another(
    october, world, client_for
):
    rows = rows_of("ledger", world.user("other_township"), **OCTOBER)
    assert [row[4] for row in rows] == ["冯十一"]
    refused = client_for("other_township").get(
        reverse("opinions:register", args=["ledger"]), township_october(world)
    )
    assert refused.status_code == 404
    station = client_for("other_township").get(
        reverse("opinions:figures"), {"station": world.station.pk, **OCTOBER}
    )
    assert station.status_code == 404


def test_a_bad_period_is_explained_by_field(world, client_for):
    client = client_for("county")
    page = client.get(
        reverse("opinions:register", args=["ledger"]),
        {"date_from": "2026-10-31", "date_to": "2026-10-01"},
    )
    assert page.status_code == 200
    assert "截止日期：截止日期不能早于起始日期" in page.content.decode()
    export = client.get(reverse("opinions:register_xlsx", args=["ledger"]), {"date_from": "十月"})
    assert export.status_code == 400
    assert "起始日期" in export.content.decode()


def test_the_period_defaults_to_this_month(world):
    form = registers.PeriodQueryForm({}, user=world.user("county"))
    assert form.is_valid()
    today = timezone.localdate()
    assert form.cleaned_data["date_from"] == today.replace(day=1)
    assert form.cleaned_data["date_to"].month == today.month
    assert (form.cleaned_data["date_to"] + datetime.timedelta(days=1)).day == 1


# --- figures ---------------------------------------------------------------------------------


def report(user, dimension="station", **filters):
    form = figures.FigureQueryForm({**filters, "dimension": dimension}, user=user)
    assert form.is_valid(), form.errors
    return figures.figures_report(user, filters=form.filters(), dimension=dimension)


ZERO = dict.fromkeys(figures.COLUMNS, 0)


def test_the_figures_of_october_by_station_equal_the_hand_count(october, world):
    result = report(world.user("township"), **township_october(world))
    by_group = {group.label: group.counts for group in result.groups}
    assert list(by_group) == ["东河村代表联络站", "未经联络站"]
    assert by_group["东河村代表联络站"] == {
        **ZERO,
        "receptions": 2,  # R1, R2
        "deputy_times": 3,  # 2 + 1
        "people": 13,  # 8 + 5
        "opinions": 3,  # A, B, E
        "solved": 1,  # A
        "assigned": 1,  # B
        "escalated": 1,  # E
        "deeds": 3,  # A, B, E
        "answered": 2,  # A, B
    }
    assert by_group["未经联络站"] == {
        **ZERO,
        "receptions": 1,  # R3
        "deputy_times": 1,
        "people": 3,
        "opinions": 6,  # C, D, F, G, H, I
        "solved": 1,  # H, after the unit returned it
        "assigned": 1,  # C
        "converted": 1,  # D
        "declined": 1,  # F
        "merged": 1,  # I
        "deeds": 1,  # H
        "answered": 1,  # F
        "overdue": 1,  # C, due 2026-11-06
    }
    assert result.total.counts == {
        "receptions": 3,
        "deputy_times": 4,
        "people": 16,
        "opinions": 9,
        "solved": 2,
        "assigned": 2,
        "escalated": 1,
        "converted": 1,
        "declined": 1,
        "merged": 1,
        "deeds": 4,
        "answered": 3,
        "overdue": 1,
    }
    assert [(row.label, row.count) for row in result.channels if row.count] == [
        ("接待日", 3), ("入户走访", 1), ("热线电话", 1), ("来信", 2), ("来访", 1), ("网上留言", 1),
    ]  # fmt: skip
    assert [(row.label, row.count) for row in result.categories] == [
        ("道路交通", 6), ("社会治理", 1), ("未分类", 2),
    ]  # fmt: skip


def test_the_county_figures_by_township_and_by_month(october, world):
    county = world.user("county")
    by_township = report(county, "township", **OCTOBER)
    counts = {group.label: group.counts for group in by_township.groups}
    assert list(counts) == ["青山镇", "龙泉镇"]
    assert (counts["青山镇"]["opinions"], counts["龙泉镇"]["opinions"]) == (9, 1)
    assert (counts["龙泉镇"]["receptions"], counts["龙泉镇"]["people"]) == (1, 4)
    assert counts["龙泉镇"]["assigned"] == 1 and counts["龙泉镇"]["overdue"] == 1  # K, 11-06

    by_month = report(
        county, "month", township=world.township.pk, date_from="2026-09-01", date_to="2026-10-31"
    )
    months = {group.label: group.counts for group in by_month.groups}
    assert list(months) == ["2026年9月", "2026年10月"]
    # R0 and J (assigned 10-05, due 10-27, still with the unit: overdue).
    assert months["2026年9月"] == {
        **ZERO, "receptions": 1, "deputy_times": 1, "people": 7, "opinions": 1, "assigned": 1,
        "overdue": 1,
    }  # fmt: skip
    assert months["2026年10月"]["opinions"] == 9 and months["2026年10月"]["people"] == 16


def drill(client, **params):
    response = client.get(reverse("opinions:figures_items"), params)
    assert response.status_code == 200, response.content.decode()[:500]
    return [record.pk for record in response.context["page"].object_list]


def test_each_number_drills_down_to_exactly_the_records_behind_it(october, world, client_for):
    m = october
    client = client_for("township")
    base = {**township_october(world), "dimension": "station"}
    station = str(world.station.pk)
    assert drill(client, **base, figure="opinions", group=station) == [m.A.pk, m.B.pk, m.E.pk]
    assert drill(client, **base, figure="solved") == [m.A.pk, m.H.pk]
    assert drill(client, **base, figure="overdue", group="none") == [m.C.pk]
    assert drill(client, **base, figure="deeds") == [m.A.pk, m.B.pk, m.E.pk, m.H.pk]
    assert drill(client, **base, figure="answered") == [m.A.pk, m.B.pk, m.F.pk]
    assert drill(client, **base, figure="deputy_times", group=station) == [m.r1.pk, m.r2.pk]
    assert drill(client, **base, figure="opinions", channel="letter") == [m.C.pk, m.H.pk]
    assert drill(client, **base, figure="opinions", category="none") == [m.G.pk, m.I.pk]
    assert drill(client, **base, figure="opinions", category=str(m.governance.pk)) == [m.F.pk]
    month = {**base, "dimension": "month"}
    assert drill(client, **month, figure="receptions", group="2026-10") == [
        m.r1.pk, m.r2.pk, m.r3.pk,
    ]  # fmt: skip
    page = client.get(
        reverse("opinions:figures_items"), {**base, "figure": "people", "group": station}
    )
    assert "合计 13 人次" in page.content.decode()


def test_every_number_on_the_page_links_to_its_drill_down(october, world, client_for):
    """The page's numbers, followed, list as many records as they say."""
    client = client_for("county")
    query = {**township_october(world), "dimension": "township"}
    page = client.get(reverse("opinions:figures"), query).content.decode()
    assert page.count(reverse("opinions:figures_items") + "?") == (
        (1 + 1) * len(figures.COLUMNS) + len(Opinion._meta.get_field("channel").choices) + 3
    )
    result = report(world.user("county"), "township", **township_october(world))
    for group in [*result.groups, result.total]:
        for key in figures.COLUMNS:
            source, records = figures.figure_items(
                world.user("county"),
                key,
                filters=result.filters,
                dimension="township",
                group=group.key,
            )
            expected = figures.items_sum(records, key)
            assert (records.count() if expected is None else expected) == group.counts[key], key


def test_a_bad_figure_or_group_is_not_found(world, client_for):
    client = client_for("county")
    url = reverse("opinions:figures_items")
    assert client.get(url, {"figure": "nothing"}).status_code == 404
    assert (
        client.get(url, {"figure": "opinions", "group": "x", "dimension": "month"}).status_code
        == 404
    )
    assert client.get(url, {"figure": "receptions", "channel": "letter"}).status_code == 404


def test_the_figures_workbook_has_the_table_and_the_breakdowns(october, world, client_for):
    response = client_for("county").get(
        reverse("opinions:figures_xlsx"), {**township_october(world), "dimension": "station"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    rows = [
        row[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)] for row in rows
    ]
    assert rows[2] == ["联络站"] + [figures.FIGURE[key].label for key in figures.COLUMNS]
    assert rows[5] == ["合计", 3, 4, 16, 9, 2, 2, 1, 1, 1, 1, 4, 3, 1]
    assert ["合计", 9] in rows and ["未分类", 2] in rows


def test_the_figures_page_draws_charts_with_the_vendored_echarts(october, world, client_for):
    html = client_for("county").get(reverse("opinions:figures"), OCTOBER).content.decode()
    assert "vendor/echarts-5.6.0/echarts.min.js" in html
    assert 'id="chart-opinions-data"' in html and "rendaBarChart" in html


# --- pinned query counts ------------------------------------------------------------------------


def _more_rows(world, count=40):
    """`count` receptions, each with two deputies and an opinion that was
    sorted and assigned, written in bulk on 2026-10-05."""
    start = Opinion.objects.count()
    receptions = Reception.objects.bulk_create(
        Reception(
            station=world.station,
            region=world.village,
            kind="scheduled",
            held_on=d(10, 5),
            people_received=2,
            recorded_by=world.user("liaison"),
        )
        for _ in range(count)
    )
    through = Reception.deputies.through
    through.objects.bulk_create(
        through(reception=reception, person=person)
        for reception in receptions
        for person in (world.person, world.county_person)
    )
    opinions = Opinion.objects.bulk_create(
        Opinion(
            receipt_code=f"BULK{n:04d}",
            channel="reception",
            reception=reception,
            station=world.station,
            region=world.village,
            category=world.category,
            collected_by=world.person,
            title=f"批量意见{n}",
            content="内容",
            submitter_name="群众",
            submitter_phone=f"1370000{n:04d}",
            received_at=moment(d(10, 5)),
            status="assigned",
            unit=world.county_unit,
            due_on=d(10, 9),
            number=f"202610-9{n:03d}",
            content_digest=f"bulk{n}",
        )
        for n, reception in enumerate(receptions, start=start)
    )
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(Opinion)
    StateChange.objects.bulk_create(
        StateChange(
            content_type=kind,
            object_id=opinion.pk,
            event=event,
            from_state=before,
            to_state=after,
            at=moment(d(10, 5)),
        )
        for opinion in opinions
        for event, before, after in (
            ("sorted", "received", "sorted"),
            ("assigned", "sorted", "assigned"),
        )
    )


@pytest.mark.parametrize("kind", list(registers.KINDS))
@pytest.mark.parametrize("role", ["township", "liaison"])
def test_register_pages_make_the_same_queries_however_many_rows(
    kind, role, october, world, client_for
):
    client = client_for(role)
    url = reverse("opinions:register", args=[kind])

    def load():
        assert client.get(url, township_october(world)).status_code == 200

    # session, user, the user's region (scope), the township chosen, the
    # rows (receptions: + deputies + opinions), township and station choices
    # listed; a liaison officer's stations (the privacy rule) where names show.
    expected = 9 if kind == "receptions" else 7 + (role == "liaison")
    assert_pinned_queries(load, lambda: _more_rows(world), expected=expected)


def test_register_exports_make_the_same_queries_however_many_rows(october, world, client_for):
    client = client_for("county")
    url = reverse("opinions:register_xlsx", args=["ledger"])

    def load():
        assert client.get(url, OCTOBER).status_code == 200

    # session, user, the user's region (scope label and privacy), the rows.
    assert_pinned_queries(load, lambda: _more_rows(world), expected=4)


def test_the_figures_page_and_drill_down_make_the_same_queries_however_many_rows(
    october, world, client_for
):
    client = client_for("county")

    def page():
        assert client.get(reverse("opinions:figures"), OCTOBER).status_code == 200

    # session, user, the user's region; receptions grouped, opinions grouped,
    # station labels, by channel and category (one query); township and
    # station choices.
    assert_pinned_queries(page, lambda: _more_rows(world, 10), expected=9)

    def items():
        response = client.get(reverse("opinions:figures_items"), {**OCTOBER, "figure": "assigned"})
        assert response.status_code == 200

    # session, user, the user's region (scope and privacy); count, the page,
    # the page's places (a query of their own: see figures.figure_items).
    assert_pinned_queries(items, lambda: _more_rows(world, 10), expected=6)
