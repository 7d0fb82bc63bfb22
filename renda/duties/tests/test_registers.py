"""The duty registers are views over activities and records: for a month
they equal a count by hand, the printable page and the workbook agree, and
each reads a fixed number of queries whatever its number of rows."""

import datetime
import io

import openpyxl
from django.urls import reverse
from django.utils import timezone

from renda.core.tests.helpers import count_queries
from renda.deputies.tests import factories as d
from renda.duties import registers, services
from renda.duties.models import Attendance, DutyKind

OCTOBER = {"held_from": datetime.date(2026, 10, 1), "held_to": datetime.date(2026, 10, 31)}


def _deputy(world, name):
    person = d.PersonFactory(name=name, region=world.township)
    d.MandateFactory(person=person, elected_on=datetime.date(2021, 11, 1))
    return person


def _october(world):
    """赵六 joins 青山镇; in October a group activity (王春燕 present, 张三 on
    leave, 赵六 absent) and a training at the station (王春燕 and 赵六
    present), 赵六's duty report; outside the month or the township, a
    September activity and one in 龙泉镇."""
    clerk = world.user("township")
    zhao = _deputy(world, "赵六")
    services.activity_create(
        actor=clerk,
        region=world.township,
        kind=DutyKind.GROUP_ACTIVITY,
        title="代表小组学习交流",
        held_on=datetime.date(2026, 10, 12),
        place="镇人大活动室",
        organiser_group=world.group,
        content="学习代表法，交流履职体会。",
        participants={
            world.person: Attendance.PRESENT,
            world.county_person: (Attendance.LEAVE, "生病"),
            zhao: Attendance.ABSENT,
        },
    )
    services.activity_create(
        actor=clerk,
        region=world.village,
        kind=DutyKind.TRAINING,
        title="代表履职培训",
        held_on=datetime.date(2026, 10, 20),
        organiser_station=world.station,
        participants={world.person: Attendance.PRESENT, zhao: Attendance.PRESENT},
    )
    services.activity_create(
        actor=clerk,
        region=world.township,
        kind=DutyKind.SURVEY,
        title="九月调研",
        held_on=datetime.date(2026, 9, 30),
        participants={world.person: Attendance.PRESENT},
    )
    services.activity_create(
        actor=world.user("other_township"),
        region=world.other_township,
        kind=DutyKind.SURVEY,
        title="龙泉镇十月调研",
        held_on=datetime.date(2026, 10, 15),
        participants={world.other_person: Attendance.PRESENT},
    )
    services.duty_report_record(
        actor=clerk,
        person=zhao,
        reported_on=datetime.date(2026, 10, 28),
        audience="东河村三组选民",
        attendees=20,
        satisfied=18,
        basically_satisfied=1,
        dissatisfied=1,
    )
    return zhao


def _book(world, kind, role="township", **place):
    return registers.register(kind, user=world.user(role), filters={**OCTOBER, **place})


def test_the_october_registers_equal_a_count_by_hand(world):
    _october(world)

    attendance = _book(world, "attendance").rows
    assert [row[1:] for row in attendance] == [
        [
            "2026-10-12",
            "代表小组学习交流",
            "代表小组活动",
            "青山镇第一代表小组",
            3,
            1,
            "王春燕",
            "张三（生病）",
            "赵六",
            "33%",
        ],
        [
            "2026-10-20",
            "代表履职培训",
            "学习培训",
            "东河村代表联络站",
            2,
            2,
            "王春燕、赵六",
            "",
            "",
            "100%",
        ],
    ]

    activities = _book(world, "activities").rows
    assert [(row[1], row[2], row[5], row[6], row[7]) for row in activities] == [
        ("2026-10-12", "镇人大活动室", "代表小组学习交流", 1, "学习代表法，交流履职体会。"),
        ("2026-10-20", "", "代表履职培训", 2, ""),
    ]

    # Her verified own entry counts; her pending one (15 October) does not.
    chronicle = _book(world, "chronicle").rows
    assert [(row[1], row[3], row[4], row[7]) for row in chronicle] == [
        ("王春燕", "2026-10-02", "入户走访", "出席"),
        ("王春燕", "2026-10-12", "代表小组活动", "出席"),
        ("王春燕", "2026-10-20", "学习培训", "出席"),
        ("张三", "2026-10-12", "代表小组活动", "请假（生病）"),
        ("赵六", "2026-10-12", "代表小组活动", "缺席"),
        ("赵六", "2026-10-20", "学习培训", "出席"),
        ("赵六", "2026-10-28", "向选民述职", "出席"),
    ]
    assert "本人填报，已核实：了解冬季取暖困难。" in chronicle[0][8]
    assert chronicle[1][8] == "履职活动（组织：青山镇第一代表小组）"

    cards = {row[1]: row for row in _book(world, "cards").rows}
    assert set(cards) == {"王春燕", "张三", "赵六"}
    assert cards["王春燕"][4:7] == [
        "代表小组活动1次；学习培训1次；入户走访1次",
        3,
        "出席2、请假0、缺席0（出勤率100%）",
    ]
    assert cards["赵六"][5:7] == [3, "出席1、请假0、缺席1（出勤率50%）"]
    assert cards["赵六"][11] == "2026-10-28向东河村三组选民述职（20人参加，满意率95%）"
    assert cards["张三"][11] == "未述职"

    # A group's register holds its own activities and its members.
    by_group = _book(world, "attendance", group=world.group)
    assert [row[2] for row in by_group.rows] == ["代表小组学习交流"]
    assert {row[1] for row in _book(world, "cards", group=world.group).rows} == {"王春燕", "张三"}
    assert {row[1] for row in _book(world, "cards", station=world.station).rows} == {"王春燕"}
    # The county sees 龙泉镇's activity too; 龙泉镇's clerk only that one.
    assert len(_book(world, "activities", role="county").rows) == 3
    assert [row[5] for row in _book(world, "activities", role="other_township").rows] == [
        "龙泉镇十月调研"
    ]


def test_cards_count_suggestions_receptions_and_opinions(world):
    """The world's suggestion (led by 王春燕, co-signed by 张三) and collected
    opinion of today, and its reception of 3 November 2026: the period runs
    from the reception's month to today."""
    filters = {"held_from": world.reception.held_on.replace(day=1), "held_to": timezone.localdate()}
    rows = registers.register("cards", user=world.user("township"), filters=filters).rows
    cards = {row[1]: row for row in rows}
    assert cards["王春燕"][7:11] == [1, 0, 1, 1]
    assert cards["张三"][7:11] == [0, 1, 0, 0]


def test_the_page_and_the_workbook_show_the_same_register(world, client_for):
    _october(world)
    client = client_for("liaison")
    query = {"held_from": "2026-10-01", "held_to": "2026-10-31"}
    page = client.get(reverse("duties:register", args=["attendance"]), query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "代表活动考勤登记簿" in html and "张三（生病）" in html
    workbook = client.get(reverse("duties:register_xlsx", args=["attendance"]), query)
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[2] for row in rows] == ["代表小组学习交流", "代表履职培训"]
    assert rows[0][8] == "张三（生病）"


def test_a_bad_period_gets_a_message_naming_the_field(world, client_for):
    client = client_for("township")
    url = reverse("duties:register", args=["chronicle"])
    response = client.get(url, {"held_from": "2026-10-31", "held_to": "2026-10-01"})
    assert "截止日期：截止日期不能早于起始日期" in response.content.decode()
    response = client.get(url, {"held_from": "10/01/2026"})
    assert "起始日期：请按 2026-11-01 的格式填写" in response.content.decode()
    assert client.get(reverse("duties:register", args=["nonsense"])).status_code == 404


def test_registers_read_a_fixed_number_of_queries_however_many_rows(world, client_for):
    client = client_for("township")
    query = {"held_from": "2026-10-01", "held_to": "2026-10-31"}

    def counts():
        result = {}
        for kind in registers.KINDS:
            url = reverse("duties:register", args=[kind])
            result[kind] = count_queries(lambda url=url: client.get(url, query))
        return result

    _october(world)
    before = counts()
    for i in range(3):
        zhou = _deputy(world, f"周{i}")
        services.activity_create(
            actor=world.user("township"),
            region=world.township,
            kind=DutyKind.INSPECTION,
            title=f"十月视察{i}",
            held_on=datetime.date(2026, 10, 5 + i),
            organiser_station=world.station,
            participants={
                zhou: Attendance.PRESENT,
                world.person: Attendance.PRESENT,
                world.county_person: (Attendance.LEAVE, "开会"),
            },
        )
        services.duty_report_record(
            actor=world.user("township"),
            person=zhou,
            reported_on=datetime.date(2026, 10, 25),
            audience="选民",
            attendees=5,
            satisfied=5,
        )
    assert counts() == before == {"chronicle": 8, "attendance": 8, "activities": 7, "cards": 13}
