"""The demo county's year of duty performance (2026 up to today), built
through the same services the pages use, with `acting_on` giving each step
its date: sessions, trainings, inspections and surveys organised by the
congresses, groups and stations with their participants' attendance;
deputies' own entries and their checking; a spot check; duty reports to
voters; the county's points scheme; awards; evaluation rounds; a quarterly
score publication and a deputy's correction requests.

The points scheme is adopted last (dated December 2025, in force from
1 January 2026), so the whole year's scores are computed once instead of
after every activity. Skipped when the county already has activities.
"""

import datetime
import io
import random
from collections import Counter, defaultdict

from django.core.files.base import ContentFile
from django.db import transaction

from renda.core.clock import acting_on
from renda.core.models import Body, BodyKind, Region, Rule, Session, User
from renda.core.text import chinese_number
from renda.deputies.models import Group, GroupKind, Level, Mandate, Person, Station, StationKind
from renda.duties import points, services
from renda.duties.models import (
    Activity,
    Attendance,
    DutyKind,
    DutyRecord,
    ItemBasis,
    RecordStatus,
    RoundKind,
    RoundMethod,
    SpotCheckOutcome,
)

D = datetime.date
YEAR = 2026
LAST_DAY = D(2026, 11, 20)  # the demo's history stops a few days before "today"

SCHEME_SOURCE = (
    "《青山县人大常委会关于县乡人大代表履职积分管理的实施办法（试行）》"
    "（青人常发〔2025〕21号，示范县自定，非真实文件）"
)
BANDS = [{"min": 80, "label": "优秀"}, {"min": 60, "label": "合格"}, {"min": 0, "label": "不合格"}]
STARS = [
    {"min": 90, "stars": 5},
    {"min": 80, "stars": 4},
    {"min": 70, "stars": 3},
    {"min": 60, "stars": 2},
    {"min": 50, "stars": 1},
]
P, A = Attendance.PRESENT, Attendance.ABSENT
# (category, [(item, basis, points each, yearly cap, [(duty kind, attendance)])])
SCHEME = [
    (
        "模范遵纪守法",
        [
            ("遵纪守法、廉洁自律基础分", ItemBasis.BASE, 40, None, []),
            ("受到县级以上表彰奖励", ItemBasis.AWARD, 5, 10, []),
            ("被书面告诫", ItemBasis.AWARD, -10, 20, []),
            ("违法违纪受到处理", ItemBasis.AWARD, -20, 40, []),
        ],
    ),
    (
        "人代会期间工作",
        [
            ("出席本级人民代表大会会议", ItemBasis.RECORDS, 10, 10, [(DutyKind.SESSION, P)]),
            ("无故缺席人民代表大会会议", ItemBasis.RECORDS, -10, None, [(DutyKind.SESSION, A)]),
            ("领衔提出议案、建议", ItemBasis.RECORDS, 3, 9, [(DutyKind.SUGGESTION, P)]),
            ("联名提出议案、建议", ItemBasis.RECORDS, 1, 4, [(DutyKind.JOINT_SUGGESTION, P)]),
        ],
    ),
    (
        "闭会期间工作",
        [
            ("参加代表小组活动", ItemBasis.RECORDS, 2, 12, [(DutyKind.GROUP_ACTIVITY, P)]),
            ("无故缺席代表小组活动", ItemBasis.RECORDS, -2, None, [(DutyKind.GROUP_ACTIVITY, A)]),
            ("参加学习培训", ItemBasis.RECORDS, 2, 6, [(DutyKind.TRAINING, P)]),
            (
                "参加视察、调研、执法检查",
                ItemBasis.RECORDS,
                3,
                12,
                [(DutyKind.INSPECTION, P), (DutyKind.SURVEY, P), (DutyKind.LAW_ENFORCEMENT, P)],
            ),
            (
                "无故缺席视察、调研、执法检查",
                ItemBasis.RECORDS,
                -2,
                None,
                [(DutyKind.INSPECTION, A), (DutyKind.SURVEY, A), (DutyKind.LAW_ENFORCEMENT, A)],
            ),
            ("参加工作评议", ItemBasis.RECORDS, 2, 6, [(DutyKind.APPRAISAL, P)]),
            (
                "列席常委会（主席团）会议、参加座谈会",
                ItemBasis.RECORDS,
                2,
                6,
                [(DutyKind.NON_VOTING, P), (DutyKind.MEETING, P)],
            ),
            ("进站接待选民", ItemBasis.RECORDS, 2, 12, [(DutyKind.RECEPTION, P)]),
            ("入户走访选民", ItemBasis.RECORDS, 1, 6, [(DutyKind.HOUSEHOLD_VISIT, P)]),
            ("收集反映社情民意", ItemBasis.RECORDS, 0.5, 5, [(DutyKind.OPINION, P)]),
            ("向选民述职", ItemBasis.RECORDS, 5, 5, [(DutyKind.DUTY_REPORT, P)]),
        ],
    ),
    (
        "其他工作",
        [
            ("化解矛盾纠纷", ItemBasis.RECORDS, 2, 6, [(DutyKind.DISPUTE, P)]),
            (
                "为民办实事、帮扶困难群众",
                ItemBasis.RECORDS,
                2,
                8,
                [(DutyKind.PRACTICAL, P), (DutyKind.POVERTY, P)],
            ),
            ("宣讲政策法规", ItemBasis.RECORDS, 1, 4, [(DutyKind.PUBLICITY, P)]),
            ("其他履职工作", ItemBasis.RECORDS, 1, 3, [(DutyKind.OTHER, P)]),
        ],
    ),
]

LEAVE_REASONS = [
    "因病住院治疗",
    "外出务工未返乡",
    "单位有紧急任务",
    "家中老人生病需照顾",
    "参加县里另一会议",
    "出差在外",
    "农忙抢收",
]
# (kind, title, body name in the county or None for the standing committee, month, day)
COUNTY_ACTIVITIES = [
    (DutyKind.TRAINING, "新修改的《代表法》专题学习会", None, 3, 10),
    (
        DutyKind.INSPECTION,
        "视察全县“四好农村路”建设情况",
        "县人大常委会城乡建设环境保护工作委员会",
        3,
        26,
    ),
    (
        DutyKind.SURVEY,
        "调研全县养老服务体系建设情况",
        "县人大常委会教育科学文化卫生工作委员会",
        4,
        22,
    ),
    (
        DutyKind.LAW_ENFORCEMENT,
        "《中华人民共和国食品安全法》执法检查",
        "县人大常委会法制工作委员会",
        5,
        14,
    ),
    (DutyKind.TRAINING, "青山县2026年人大代表履职能力提升培训班", None, 5, 27),
    (
        DutyKind.INSPECTION,
        "视察县城老旧小区改造项目推进情况",
        "县人大常委会城乡建设环境保护工作委员会",
        6,
        11,
    ),
    (DutyKind.APPRAISAL, "评议县交通运输局工作", "县人大常委会选举联络人事任免工作委员会", 6, 24),
    (DutyKind.SURVEY, "调研县域医共体建设情况", "县人大常委会教育科学文化卫生工作委员会", 7, 9),
    (DutyKind.MEETING, "县人大代表座谈会：听取县政府民生实事项目进展通报", None, 7, 23),
    (DutyKind.SURVEY, "调研全县茶产业发展情况", "县人大常委会农业农村工作委员会", 8, 19),
    (
        DutyKind.LAW_ENFORCEMENT,
        "《中华人民共和国义务教育法》执法检查",
        "县人大常委会教育科学文化卫生工作委员会",
        9,
        16,
    ),
    (DutyKind.INSPECTION, "视察全县秋冬季森林防火工作", "县人大常委会农业农村工作委员会", 10, 28),
    (
        DutyKind.APPRAISAL,
        "评议县卫生健康委员会工作",
        "县人大常委会选举联络人事任免工作委员会",
        11,
        12,
    ),
]
STANDING_MEETINGS = [(2, 26), (4, 28), (6, 25), (8, 27), (10, 29)]
TOWNSHIP_PROJECTS = [
    "集镇污水处理设施建设情况",
    "农村饮水安全巩固提升工程",
    "高标准农田建设项目",
    "和美乡村建设情况",
    "中心小学改扩建工程",
    "敬老院提质改造项目",
    "农村公路安全生命防护工程",
]
TOWNSHIP_OFFICES = ["便民服务中心", "农业综合服务中心", "社会事务办公室", "村镇建设服务中心"]
# (kind, title) — {t} is the township
GROUP_TOPICS = [
    (DutyKind.GROUP_ACTIVITY, "学习新修改的《代表法》和代表履职知识"),
    (DutyKind.GROUP_ACTIVITY, "开展“人大代表活动月”集中活动"),
    (DutyKind.GROUP_ACTIVITY, "听取{t}人民政府上半年工作情况通报"),
    (DutyKind.GROUP_ACTIVITY, "集中联系选民，收集对年度民生实事的意见建议"),
    (DutyKind.GROUP_ACTIVITY, "讨论代表小组年度活动计划"),
    (DutyKind.GROUP_ACTIVITY, "围绕乡村振兴开展专题议政"),
    (DutyKind.GROUP_ACTIVITY, "通报代表建议办理情况并征求代表意见"),
    (DutyKind.INSPECTION, "视察{t}安全生产和防汛备汛工作"),
    (DutyKind.SURVEY, "调研{t}农村人居环境整治情况"),
    (DutyKind.POVERTY, "走访慰问{t}困难群众"),
    (DutyKind.PUBLICITY, "开展“法律进乡村”宣讲活动"),
]
STATION_TOPICS = [
    (DutyKind.PUBLICITY, "代表进站宣讲城乡居民医保参保政策"),
    (DutyKind.PUBLICITY, "代表进站宣讲防范电信网络诈骗知识"),
    (DutyKind.PUBLICITY, "代表进站宣讲惠农补贴政策"),
    (DutyKind.PUBLICITY, "代表进站宣讲《民法典》婚姻家庭编"),
    (DutyKind.POVERTY, "代表走访慰问辖区困难家庭"),
    (DutyKind.RECEPTION, "主题接待日：听取群众对集镇规划的意见"),
]
# (kind, [(title, note)]) — {v} is a village of the deputy's township
ENTRIES = {
    DutyKind.HOUSEHOLD_VISIT: [
        ("走访{v}独居老人", "了解冬季取暖和就医情况，已向村委会反映。"),
        ("入户走访{v}脱贫户", "了解生产生活情况，宣讲防返贫监测政策。"),
        ("走访{v}选民听取村道硬化意见", "收集意见5条，已整理报镇人大主席团。"),
    ],
    DutyKind.DISPUTE: [
        ("调解{v}两户村民宅基地边界纠纷", "到现场听取双方意见，达成书面调解协议。"),
        ("协调化解{v}土地流转租金纠纷", "会同村委会与流转企业协商，租金已于当月付清。"),
        ("调解{v}邻里排水纠纷", "协调改建排水沟，双方满意。"),
    ],
    DutyKind.PRACTICAL: [
        ("协调修复{v}损毁的便民桥", "联系镇村镇建设服务中心，一周内修复通行。"),
        ("帮助{v}争取路灯安装项目", "协调安装太阳能路灯12盏。"),
        ("联系农技站到{v}开展茶园病虫害防治指导", "培训茶农40余人次。"),
    ],
    DutyKind.POVERTY: [
        ("帮扶{v}困难家庭申请临时救助", "协助准备材料，已获批临时救助金。"),
        ("结对帮扶{v}留守儿童", "送去学习用品，与学校老师沟通学习情况。"),
    ],
    DutyKind.PUBLICITY: [
        ("在{v}宣讲惠农补贴政策", "在村民大会上宣讲，发放宣传资料100余份。"),
        ("在{v}宣讲防范电信网络诈骗知识", "结合身边案例讲解，村民参与60余人。"),
    ],
    DutyKind.SURVEY: [("调研{v}村集体经济发展情况", "走访村干部和合作社负责人，形成调研报告。")],
    DutyKind.OTHER: [("参加{v}村务监督委员会会议", "对村级财务公开情况提出意见。")],
}
ENTRY_WEIGHTS = {
    DutyKind.HOUSEHOLD_VISIT: 32,
    DutyKind.DISPUTE: 15,
    DutyKind.PRACTICAL: 20,
    DutyKind.POVERTY: 10,
    DutyKind.PUBLICITY: 12,
    DutyKind.SURVEY: 6,
    DutyKind.OTHER: 5,
}
RETURN_REASONS = [
    "佐证材料不足，请补充现场照片或村委会证明",
    "情况说明过于简单，请写明时间、地点和处理结果",
    "该活动已由代表小组统一登记，请勿重复录入",
]


class _County:
    """What the demo county already has, read once: accounts, bodies,
    serving deputies by level and township, groups and stations."""

    def __init__(self, county: Region):
        self.county = county
        users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
        self.staff = users["xianrenda"]
        self.township_staff = {"青山镇": users["qingshan"], "龙泉镇": users["longquan"]}
        self.liaison = users["lianluo"]
        self.daibiao = users["daibiao"]
        self.townships = list(county.children.order_by("code"))
        self.villages = defaultdict(list)
        for village in Region.objects.filter(parent__in=self.townships).order_by("code"):
            self.villages[village.parent_id].append(village)
        self.bodies = {b.name: b for b in Body.objects.filter(region__code__startswith=county.code)}
        self.persons = {
            p.pk: p for p in Person.objects.filter(region__code__startswith=county.code)
        }
        self.levels = defaultdict(set)  # person pk -> levels held now
        self.constituency_place = {}  # township deputy -> their constituency's village
        for person_id, level, village in Mandate.objects.filter(
            ended_on__isnull=True, person__region__code__startswith=county.code
        ).values_list("person_id", "level", "constituency__region__name"):
            self.levels[person_id].add(level)
            if level == Level.TOWNSHIP and village:
                self.constituency_place[person_id] = village
        self.by_township = defaultdict(list)
        for person in self.persons.values():
            if self.levels[person.pk]:
                self.by_township[person.region_id].append(person)
        self.demo = Person.objects.get(user=self.daibiao)

    def staff_for(self, region: Region) -> User:
        """The clerk who enters a place's records: its township's, or the county's."""
        if region.pk == self.county.pk:
            return self.staff
        township = region if region.parent_id == self.county.pk else region.parent
        return self.township_staff.get(township.name, self.staff)

    def serving(self, level: str, township=None) -> list[Person]:
        pool = self.by_township[township.pk] if township else self.persons.values()
        return [p for p in pool if level in self.levels[p.pk]]

    def village_of(self, rng, person: Person) -> str:
        place = self.constituency_place.get(person.pk)
        if place:
            return place
        villages = self.villages.get(person.region_id)
        return rng.choice(villages).name if villages else person.region.name


USERNAMES = ["xianrenda", "qingshan", "longquan", "lianluo", "daibiao"]


def _day(rng, month: int, first: int = 1, last: int = 28) -> datetime.date:
    return min(D(YEAR, month, rng.randint(first, last)), LAST_DAY)


def _attendance(rng, people, *, present=0.86, leave=0.10) -> dict:
    result = {}
    for person in people:
        draw = rng.random()
        if draw < present:
            result[person] = Attendance.PRESENT
        elif draw < present + leave:
            result[person] = (Attendance.LEAVE, rng.choice(LEAVE_REASONS))
        else:
            result[person] = Attendance.ABSENT
    return result


def _activity(actor, region, kind, title, day, participants, **fields) -> Activity | None:
    if not participants or day > LAST_DAY:
        return None
    with acting_on(day):
        return services.activity_create(
            actor=actor,
            region=region,
            kind=kind,
            title=title,
            held_on=day,
            participants=participants,
            **fields,
        )


# --- activities ------------------------------------------------------------------------


def _sessions(rng, c: _County) -> None:
    """Each congress's 2026 session, attended by its deputies."""
    for session in Session.objects.filter(
        term__body__region__code__startswith=c.county.code,
        term__body__kind=BodyKind.CONGRESS,
        opened_on__year=YEAR,
    ).select_related("term__body__region"):
        body, region = session.term.body, session.term.body.region
        county_level = region.pk == c.county.pk
        people = c.serving(Level.COUNTY) if county_level else c.serving(Level.TOWNSHIP, region)
        _activity(
            c.staff if county_level else c.staff_for(region),
            region,
            DutyKind.SESSION,
            f"{region.name}{session.term.label}人民代表大会"
            f"第{chinese_number(session.number)}次会议",
            session.opened_on,
            _attendance(rng, people, present=0.95, leave=0.04),
            place=session.place,
            organiser_body=body,
        )


def _county_activities(rng, c: _County) -> None:
    standing = c.bodies["青山县人大常委会"]
    county_people = c.serving(Level.COUNTY)
    for kind, title, body_name, month, day in COUNTY_ACTIVITIES:
        if kind == DutyKind.TRAINING:
            people = county_people
        else:
            people = rng.sample(county_people, rng.randint(12, 22))
        _activity(
            c.staff,
            c.county,
            kind,
            title,
            D(YEAR, month, day),
            _attendance(rng, people, present=0.88, leave=0.09),
            place="青山县人大常委会会议室" if kind != DutyKind.INSPECTION else "",
            organiser_body=c.bodies.get(body_name) or standing,
        )
    for index, (month, day) in enumerate(STANDING_MEETINGS, start=31):
        _activity(
            c.staff,
            c.county,
            DutyKind.NON_VOTING,
            f"列席青山县第十八届人大常委会第{chinese_number(index)}次会议",
            D(YEAR, month, day),
            dict.fromkeys(rng.sample(county_people, 4), Attendance.PRESENT),
            place="青山县人大常委会会议室",
            organiser_body=standing,
        )


def _township_activities(rng, c: _County) -> None:
    for township in c.townships:
        presidium = c.bodies.get(f"{township.name}人大主席团")
        if presidium is None:  # streets have a working committee and no congress
            continue
        people = c.serving(Level.TOWNSHIP, township)
        actor = c.staff_for(township)
        _activity(
            actor,
            township,
            DutyKind.TRAINING,
            f"{township.name}人大代表履职学习培训会",
            _day(rng, 3),
            _attendance(rng, people, present=0.9, leave=0.08),
            place=f"{township.name}人民政府会议室",
            organiser_body=presidium,
        )
        for project in rng.sample(TOWNSHIP_PROJECTS, 2):
            _activity(
                actor,
                township,
                DutyKind.INSPECTION,
                f"视察{township.name}{project}",
                _day(rng, rng.randint(4, 10)),
                _attendance(rng, rng.sample(people, min(len(people), rng.randint(10, 18)))),
                organiser_body=presidium,
            )
        _activity(
            actor,
            township,
            DutyKind.APPRAISAL,
            f"评议{township.name}{rng.choice(TOWNSHIP_OFFICES)}工作",
            _day(rng, 9),
            _attendance(rng, rng.sample(people, min(len(people), 15))),
            place=f"{township.name}人民政府会议室",
            organiser_body=presidium,
        )


def _group_activities(rng, c: _County) -> None:
    serving = {pk for pk, levels in c.levels.items() if levels}
    groups = (
        Group.objects.filter(region__code__startswith=c.county.code)
        .select_related("region")
        .prefetch_related("members")
        .order_by("pk")
    )
    for group in groups:
        members = [c.persons[m.pk] for m in group.members.all() if m.pk in serving]
        if not members:
            continue
        actor = c.staff_for(group.region)
        if group.kind == GroupKind.TOPIC:
            if rng.random() < 0.6:
                _activity(
                    actor,
                    group.region,
                    DutyKind.SURVEY,
                    group.survey_topic or f"{group.name}专题调研",
                    _day(rng, rng.randint(4, 10)),
                    _attendance(rng, rng.sample(members, max(1, len(members) * 2 // 3))),
                    organiser_group=group,
                )
            continue
        months = sorted(rng.sample(range(2, 12), rng.randint(4, 6)))
        for month, (kind, title) in zip(months, rng.sample(GROUP_TOPICS, len(months)), strict=True):
            _activity(
                actor,
                group.region,
                kind,
                title.format(t=group.region.name),
                _day(rng, month),
                _attendance(rng, members),
                place=f"{group.region.name}人大代表之家",
                organiser_group=group,
            )


def _station_activities(rng, c: _County) -> None:
    stations = (
        Station.objects.filter(region__code__startswith=c.county.code)
        .select_related("region")
        .prefetch_related("resident_deputies", "liaison_officers")
        .order_by("pk")
    )
    for station in stations:
        residents = [c.persons[p.pk] for p in station.resident_deputies.all()]
        liaison = next(iter(station.liaison_officers.all()), None)
        for kind, title in rng.sample(STATION_TOPICS, 2 if station.kind == StationKind.HOME else 1):
            _activity(
                liaison or c.staff_for(station.region),
                station.region,
                kind,
                title,
                _day(rng, rng.randint(3, 11)),
                _attendance(rng, residents, present=0.9, leave=0.1),
                place=station.name,
                organiser_station=station,
            )


# --- deputies' own entries, spot check, duty reports --------------------------------------


def _photo(rng, name: str) -> ContentFile:
    """A small stand-in for a photo taken on the spot."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 360), (rng.randint(150, 220), rng.randint(170, 220), 200))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randint(0, 400), rng.randint(0, 280)
        draw.rectangle((x, y, x + 80, y + 60), fill=(rng.randint(60, 160), 120, 90))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return ContentFile(buffer.getvalue(), name=name)


def _entry(rng, c: _County, person, day, *, actor=None, kind=None, photo=None, fate=None):
    """One own entry and what the office did with it: verified, returned
    (sometimes mended and verified), or still pending."""
    kind = kind or rng.choices(list(ENTRY_WEIGHTS), weights=list(ENTRY_WEIGHTS.values()))[0]
    title, note = rng.choice(ENTRIES[kind])
    clerk = c.staff_for(person.region)
    with acting_on(day):
        record = services.entry_submit(
            actor=actor or clerk,
            person=person,
            kind=kind,
            occurred_on=day,
            title=title.format(v=c.village_of(rng, person)),
            note=note,
            photo=photo,
        )
    checked_on = day + datetime.timedelta(days=rng.randint(2, 12))
    if fate is None:
        # The office checks within days, recent ones not all yet.
        recent = day >= D(YEAR, 10, 20)
        weights = [55, 35, 5, 5] if recent else [88, 0, 6, 6]
        fate = rng.choices(["verified", "pending", "returned", "mended"], weights=weights)[0]
        if checked_on > LAST_DAY:
            fate = "pending"
    if fate == "pending":
        return record
    with acting_on(checked_on):
        if fate == "verified":
            services.entry_verify(record=record, actor=clerk)
            return record
        services.entry_return(record=record, actor=clerk, reason=rng.choice(RETURN_REASONS))
    if fate == "mended":
        with acting_on(checked_on + datetime.timedelta(days=2)):
            services.entry_resubmit(
                record=record,
                actor=actor or clerk,
                kind=record.kind,
                occurred_on=record.occurred_on,
                title=record.title,
                note=f"{record.note}村委会已出具证明。",
            )
        with acting_on(checked_on + datetime.timedelta(days=5)):
            services.entry_verify(record=record, actor=clerk, comment="补充材料后核实")
    return record


def _own_entries(rng, c: _County) -> None:
    """Most deputies hand in paper forms the office enters; the demo deputy
    王春燕 records her own on her phone."""
    demo = c.demo
    for month, day, kind, fate, with_photo in [
        (3, 12, DutyKind.HOUSEHOLD_VISIT, "verified", False),
        (5, 20, DutyKind.DISPUTE, "verified", True),
        (7, 8, DutyKind.PRACTICAL, "verified", True),
        (9, 18, DutyKind.POVERTY, "verified", False),
        (10, 21, DutyKind.PUBLICITY, "returned", False),
        (11, 15, DutyKind.HOUSEHOLD_VISIT, "pending", True),
    ]:
        _entry(
            rng,
            c,
            demo,
            D(YEAR, month, day),
            actor=c.daibiao,
            kind=kind,
            fate=fate,
            photo=_photo(rng, f"现场照片{month:02d}{day:02d}.jpg") if with_photo else None,
        )
    pool = [p for p in c.persons.values() if c.levels[p.pk] and p.pk != demo.pk]
    for person in rng.sample(sorted(pool, key=lambda p: p.pk), 170):
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            _entry(rng, c, person, _day(rng, rng.randint(2, 11)))


def _spot_check(rng, c: _County) -> None:
    with acting_on(D(YEAR, 10, 15)):
        check = services.spot_check_draw(
            actor=c.staff,
            region=c.county,
            period_from=D(YEAR, 7, 1),
            period_to=D(YEAR, 9, 30),
            share_percent=10,
            rng=rng,
        )
    items = list(check.items.select_related("record__person__region").order_by("pk"))
    concluded = items[:-2]  # the last two are still being checked
    untrue = next(i for i in concluded if i.record.person_id != c.demo.pk)
    with acting_on(D(YEAR, 10, 28)):
        for item in concluded:
            if item is untrue:
                services.spot_check_conclude(
                    item=item,
                    actor=c.staff,
                    outcome=SpotCheckOutcome.NOT_CONFIRMED,
                    comment="经电话回访当事村民，代表未参与该事项，记录不属实",
                )
            else:
                services.spot_check_conclude(
                    item=item, actor=c.staff, outcome=SpotCheckOutcome.CONFIRMED
                )


def _duty_reports(rng, c: _County) -> None:
    """About three in ten township deputies report to their voters."""
    township_people = sorted(c.serving(Level.TOWNSHIP), key=lambda p: p.pk)
    reporting = {c.demo, *rng.sample(township_people, len(township_people) * 3 // 10)}
    for person in sorted(reporting, key=lambda p: p.pk):
        village = c.village_of(rng, person)
        day = D(YEAR, 7, 16) if person == c.demo else _day(rng, rng.randint(5, 11))
        attendees = rng.randint(25, 60)
        dissatisfied = rng.choice([0, 0, 0, 1, 1, 2])
        basically = rng.randint(1, max(1, attendees // 8))
        with acting_on(day):
            services.duty_report_record(
                actor=c.staff_for(person.region),
                person=person,
                reported_on=day,
                audience=f"{village}选区选民代表",
                place=f"{village}村委会",
                attendees=attendees,
                satisfied=attendees - basically - dissatisfied - rng.randint(0, 2),
                basically_satisfied=basically,
                dissatisfied=dissatisfied,
                summary="报告一年来参加代表小组活动、联系选民、提出建议和为民办实事的情况，"
                "现场听取选民意见并接受评议。",
            )


# --- the points scheme and what follows from it -------------------------------------------


def _scheme(c: _County) -> dict:
    """The county's scheme, adopted in December 2025 for 2026; returns its
    items by name. Adopted before its start, it computes nothing until the
    one recompute below."""
    with acting_on(D(2025, 12, 26)):
        scheme = services.scheme_create(
            actor=c.staff,
            region=c.county,
            name="青山县人大代表履职积分管理办法（2026年版）",
            effective_from=D(YEAR, 1, 1),
            source=SCHEME_SOURCE,
            bands=BANDS,
            stars=STARS,
        )
        items = {}
        for order, (category_name, lines) in enumerate(SCHEME, start=1):
            category = services.scheme_category_add(
                actor=c.staff, scheme=scheme, name=category_name, order=order
            )
            for index, (name, basis, each, cap, kinds) in enumerate(lines, start=1):
                items[name] = services.scheme_item_save(
                    actor=c.staff,
                    category=category,
                    name=name,
                    basis=basis,
                    points_each=each,
                    cap=cap,
                    kinds=kinds,
                    order=index,
                )
    points.score_recompute(year=YEAR, region=c.county)
    return items


def _awards(rng, c: _County, items: dict) -> None:
    county_people = sorted(c.serving(Level.COUNTY), key=lambda p: p.pk)
    with acting_on(D(YEAR, 3, 5)):
        for person in rng.sample(county_people, 8):
            services.points_award(
                actor=c.staff,
                person=person,
                item=items["受到县级以上表彰奖励"],
                awarded_on=D(YEAR, 3, 5),
                points_given=5,
                reason="被评为青山县2025年度优秀人大代表",
            )
    absences = Counter(
        DutyRecord.objects.filter(
            kind=DutyKind.GROUP_ACTIVITY,
            attendance=Attendance.ABSENT,
            person__region__code__startswith=c.county.code,
        )
        .exclude(person=c.demo)
        .values_list("person_id", flat=True)
    )
    # The first deputy (by id) who missed two group activities.
    repeat = min((pk for pk, n in absences.items() if n >= 2), default=None)
    if repeat is not None:
        person = c.persons[repeat]
        with acting_on(D(YEAR, 8, 20)):
            services.points_award(
                actor=c.staff_for(person.region),
                person=person,
                item=items["被书面告诫"],
                awarded_on=D(YEAR, 8, 20),
                points_given=-10,
                reason="无故两次不参加代表小组活动，经人大主席团会议研究给予书面告诫",
            )


def _corrections(c: _County, items: dict) -> None:
    """王春燕 asks twice: a missed law-enforcement inspection (found on the
    sign-in sheet and added) and a returned entry (still open)."""
    activity = Activity.objects.get(title="《中华人民共和国义务教育法》执法检查")
    with acting_on(D(YEAR, 10, 9)):
        correction = services.correction_request(
            actor=c.daibiao,
            person=c.demo,
            year=YEAR,
            item=items["参加视察、调研、执法检查"],
            reason="9月16日我随县人大常委会参加了义务教育法执法检查，积分明细中没有这一次，请核实。",
        )
    with acting_on(D(YEAR, 10, 13)):
        participants = {
            r.person: (r.attendance, r.leave_reason)
            for r in activity.records.select_related("person")
        }
        services.activity_update(
            activity=activity,
            actor=c.staff,
            kind=activity.kind,
            title=activity.title,
            held_on=activity.held_on,
            place=activity.place,
            content=activity.content,
            organiser_body=activity.organiser_body,
            participants={**participants, c.demo: (Attendance.PRESENT, "")},
        )
        services.correction_answer(
            correction=correction,
            actor=c.staff,
            accept=True,
            answer="经核对签到表，您参加了该次执法检查，已补录履职记录，积分已重新计算。",
        )
    returned = DutyRecord.objects.get(
        person=c.demo, status=RecordStatus.RETURNED, kind=DutyKind.PUBLICITY
    )
    with acting_on(D(YEAR, 11, 3)):
        services.correction_request(
            actor=c.daibiao,
            person=c.demo,
            year=YEAR,
            record=returned,
            reason="这次宣讲有村委会出具的证明和签到表，请重新核实。",
        )


# --- evaluations and publication ----------------------------------------------------------


def _voter_round(rng, c: _County, station, quarter: int, *, publish: bool) -> None:
    start = D(YEAR, 3 * quarter - 2, 1)
    end = D(YEAR, 3 * quarter + 1, 1) - datetime.timedelta(days=1)
    actor = c.staff_for(station.region)
    with acting_on(end):
        evaluation = services.round_create(
            actor=actor,
            region=station.region,
            kind=RoundKind.VOTER,
            method=RoundMethod.SCORE,
            title=f"{station.name}{YEAR}年第{chinese_number(quarter)}季度选民评议",
            period_from=start,
            period_to=end,
            station=station,
        )
    with acting_on(end + datetime.timedelta(days=8)):
        for person in sorted(station.resident_deputies.all(), key=lambda p: p.pk):
            services.evaluation_enter(
                round=evaluation,
                actor=actor,
                subject=person,
                voters=rng.randint(18, 60),
                value=round(rng.uniform(80, 98), 1),
            )
        services.round_close(round=evaluation, actor=actor, publish=publish)


def _rounds(rng, c: _County) -> None:
    qingshan = next(t for t in c.townships if t.name == "青山镇")
    home = Station.objects.get(name="青山镇人大代表之家")
    # The demo deputy sits in her township's home of deputies, so she takes
    # part in its peer review.
    home.resident_deputies.add(c.demo)
    stations = list(
        Station.objects.filter(region__code__startswith=c.county.code)
        .select_related("region__parent")
        .prefetch_related("resident_deputies")
        .order_by("pk")
    )
    for station in stations:
        township = (
            station.region if station.region.parent_id == c.county.pk else station.region.parent
        )
        if township == qingshan:
            _voter_round(rng, c, station, 2, publish=True)
        # 龙泉镇 keeps its third-quarter results to itself.
        _voter_round(rng, c, station, 3, publish=township.name != "龙泉镇")

    clerk = c.staff_for(qingshan)
    with acting_on(D(YEAR, 1, 20)):
        yearly = services.round_create(
            actor=clerk,
            region=qingshan,
            kind=RoundKind.YEARLY,
            method=RoundMethod.SCORE,
            title="青山镇2025年度人大代表履职考评",
            period_from=D(2025, 1, 1),
            period_to=D(2025, 12, 31),
        )
        for person in services.round_subjects(yearly).order_by("pk"):
            services.evaluation_enter(
                round=yearly,
                actor=clerk,
                subject=person,
                voters=35,  # the presidium, group leaders and voters' representatives
                value=round(rng.uniform(68, 97), 1),
                comment="",
            )
        services.round_close(round=yearly, actor=clerk, publish=True)

    with acting_on(D(YEAR, 11, 2)):
        peer = services.round_create(
            actor=clerk,
            region=qingshan,
            kind=RoundKind.PEER,
            method=RoundMethod.STARS,
            title="青山镇人大代表之家11月代表互评",
            period_from=D(YEAR, 11, 1),
            period_to=D(YEAR, 11, 30),
            station=home,
        )
    peers = [p for p in home.resident_deputies.all().order_by("pk") if p != c.demo]
    with acting_on(D(YEAR, 11, 18)):
        for person, stars in zip(peers[:4], [5, 4, 4, 5], strict=False):
            services.evaluation_enter(
                round=peer,
                actor=c.daibiao,
                evaluator=c.demo,
                subject=person,
                value=stars,
                comment="积极进站接待选民，反映问题及时",
            )


def _publication(c: _County) -> None:
    with acting_on(D(YEAR, 10, 12)):
        services.score_publish(
            actor=c.staff,
            region=c.county,
            year=YEAR,
            title="青山县2026年第三季度人大代表履职积分公示",
            as_of=D(YEAR, 9, 30),
        )


@transaction.atomic
def seed_duties(rng: random.Random) -> None:
    county = Region.objects.get(code="990121")
    Rule.objects.get_or_create(
        key="duties.own_entry_years_back",
        region=county,
        effective_from=datetime.date(2021, 11, 1),
        defaults={
            "value": 1,
            "source": "青山县人大代表履职档案管理办法（示范）第八条：代表可补记本年度和上一年度的履职情况",
        },
    )
    if Activity.objects.filter(region__code__startswith=county.code).exists():
        return
    c = _County(county)
    _sessions(rng, c)
    _county_activities(rng, c)
    _township_activities(rng, c)
    _group_activities(rng, c)
    _station_activities(rng, c)
    _own_entries(rng, c)
    _spot_check(rng, c)
    _duty_reports(rng, c)
    items = _scheme(c)
    _awards(rng, c, items)
    _corrections(c, items)
    _rounds(rng, c)
    _publication(c)
