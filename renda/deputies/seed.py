"""The demo county's deputies: ≈1,500 people holding county and township
mandates (a few higher ones), constituencies, area and topic groups,
≈40 stations with reception schedules, standards checklists with
assessments, and contact links with visits. Built with bulk inserts from a
fixed random seed; skipped when the county already has deputies."""

import datetime
import random

from django.db import transaction

from renda.core.models import BodyKind, Region, RegionLevel, Rule, Term, User
from renda.core.text import chinese_number
from renda.deputies.idcard import check_character
from renda.deputies.models import (
    Assessment,
    AssessmentResult,
    Checklist,
    ChecklistItem,
    Constituency,
    ContactKind,
    ContactLink,
    ContactVisit,
    Education,
    Group,
    GroupKind,
    GroupMembership,
    Level,
    Mandate,
    MemberRole,
    Occupation,
    Party,
    Person,
    ReceptionSchedule,
    ScheduleKind,
    Station,
    StationKind,
    TargetCategory,
)
from renda.deputies.names import pinyin_keys

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红娥玲芬建国志文斌辉春梅海燕林波宁云飞鹏浩宇欣怡佳琪晓东立新永福德胜金凤成龙小红秋菊冬梅家兴发贵"
ETHNIC_MINORITIES = ["苗族", "土家族", "侗族", "回族", "彝族"]
TOPICS = ["产业发展", "工业经济", "城镇建设", "民生事业", "乡村振兴"]
POSTS = {
    Occupation.FARMER: [
        "{village}村民",
        "{village}种植大户",
        "{village}养殖专业户",
        "{village}党支部书记",
        "{village}村委会主任",
    ],
    Occupation.WORKER: [
        "青山水泥厂工人",
        "县供电公司电工",
        "青山食品厂车间主任",
        "县自来水公司维修工",
    ],
    Occupation.TECHNICIAN: [
        "县人民医院医生",
        "{township}中心小学教师",
        "县农技站农艺师",
        "{township}卫生院护士",
    ],
    Occupation.OFFICIAL: [
        "{township}党委书记",
        "{township}人民政府镇长",
        "{township}人大主席",
        "县人大常委会副主任",
        "县发展和改革局局长",
    ],
    Occupation.ENTERPRISE: [
        "青山茶业有限公司董事长",
        "青山竹木制品厂厂长",
        "{township}农民专业合作社理事长",
    ],
    Occupation.INDIVIDUAL: ["{township}个体工商户", "{township}农家乐经营户"],
    Occupation.INTELLECTUAL: ["青山中学教师", "县文化馆干部"],
}
OCCUPATION_WEIGHTS = {
    Occupation.FARMER: 34,
    Occupation.WORKER: 12,
    Occupation.TECHNICIAN: 14,
    Occupation.OFFICIAL: 22,
    Occupation.ENTERPRISE: 8,
    Occupation.INDIVIDUAL: 6,
    Occupation.INTELLECTUAL: 4,
}
EDUCATION_BY_OCCUPATION = {
    Occupation.FARMER: [Education.PRIMARY, Education.JUNIOR, Education.JUNIOR, Education.SENIOR],
    Occupation.WORKER: [Education.JUNIOR, Education.SENIOR, Education.SENIOR, Education.COLLEGE],
    Occupation.OFFICIAL: [
        Education.BACHELOR,
        Education.BACHELOR,
        Education.POSTGRADUATE,
        Education.COLLEGE,
    ],
}
COMMITMENTS = [
    "每月到联络站接待选民不少于一次，收集的意见一周内反馈。",
    "推动本村产业路硬化，带动群众发展茶叶种植。",
    "每年走访联系选民不少于两次，及时反映群众诉求。",
    "关注农村饮水安全，督促解决自来水入户问题。",
    "帮扶困难户发展生产，每季度上门走访一次。",
]
CHECKLISTS = [
    (
        "七有",
        "province",
        "示范省人大常委会关于加强代表之家建设的意见（示范）",
        ["有场所", "有牌子", "有制度", "有计划", "有记录", "有档案", "有保障"],
    ),
    (
        "五有",
        "county",
        "青山县代表联络站规范化建设标准（示范）",
        ["有固定场所", "有工作制度", "有活动计划", "有活动记录", "有工作台账"],
    ),
    (
        "九有",
        "county",
        "青山县代表之家提档升级方案（示范）",
        ["有场所", "有标识", "有制度", "有计划", "有活动", "有记录", "有档案", "有经费", "有成效"],
    ),
]
CONTACT_RULES = [
    ("contacts.leader_deputy.links_min", 3, "双联一诺制度：每名领导联系代表 3 至 5 名（示范）"),
    ("contacts.leader_deputy.links_max", 5, "双联一诺制度：每名领导联系代表 3 至 5 名（示范）"),
    ("contacts.deputy_household.links_min", 3, "代表结对帮扶办法：每名代表帮扶 3 至 5 户（示范）"),
    ("contacts.deputy_household.links_max", 5, "代表结对帮扶办法：每名代表帮扶 3 至 5 户（示范）"),
    (
        "contacts.deputy_voter.visits_per_year_min",
        2,
        "代表联系选民制度：每年联系选民不少于 2 次（示范）",
    ),
    (
        "deputies.structure.female_share_min",
        0.25,
        "青山县换届选举工作实施方案（示范）：妇女代表比例一般不低于 25%",
    ),
]


def _id_number(rng, birth: datetime.date, male: bool, used: set) -> str:
    while True:
        seq = rng.randint(0, 99) * 10 + (
            rng.choice([1, 3, 5, 7, 9]) if male else rng.choice([0, 2, 4, 6, 8])
        )
        first17 = f"990121{birth:%Y%m%d}{seq:03d}"
        if first17 not in used:
            used.add(first17)
            return first17 + check_character(first17)


def _person(rng, region: Region, villages: list, used: set, on: datetime.date) -> Person:
    male = rng.random() > 0.31
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
    birth = on - datetime.timedelta(days=rng.randint(27 * 365, 64 * 365))
    occupation = rng.choices(list(OCCUPATION_WEIGHTS), weights=OCCUPATION_WEIGHTS.values())[0]
    education = rng.choice(
        EDUCATION_BY_OCCUPATION.get(
            occupation, [Education.SENIOR, Education.COLLEGE, Education.BACHELOR]
        )
    )
    party = rng.choices(
        [Party.CPC, Party.CPC_PROBATIONARY, Party.DEMOCRATIC, Party.NON_PARTY, Party.MASSES],
        weights=[62, 2, 3, 5, 28],
    )[0]
    if occupation == Occupation.OFFICIAL:
        party = Party.CPC
    village = rng.choice(villages).name if villages else region.name
    post = rng.choice(POSTS[occupation]).format(village=village, township=region.name)
    pinyin, initials = pinyin_keys(name)
    return Person(
        name=name,
        name_pinyin=pinyin,
        name_initials=initials,
        id_number=_id_number(rng, birth, male, used),
        gender="male" if male else "female",
        birth_date=birth,
        ethnicity=rng.choice(ETHNIC_MINORITIES) if rng.random() < 0.08 else "汉族",
        party=party,
        occupation=occupation,
        education=education,
        unit_and_post=post,
        mobile=f"1{rng.choice([3, 5, 7, 8, 9])}{rng.randint(0, 999999999):09d}",
        public_phone=f"0799-{rng.randint(6400000, 6499999)}" if rng.random() < 0.3 else "",
        commitments=rng.choice(COMMITMENTS),
        region=region,
    )


@transaction.atomic
def seed_deputies(rng: random.Random) -> None:
    county = Region.objects.get(code="990121")
    if Person.objects.filter(region__code__startswith=county.code).exists():
        return
    today = datetime.date(2026, 11, 1)
    townships = list(county.children.order_by("code"))
    villages = {t.pk: list(t.children.all()) for t in townships}
    county_term = Term.objects.get(body__region=county, body__kind=BodyKind.CONGRESS, number=18)
    township_terms = {
        t.body.region_id: t
        for t in Term.objects.filter(
            body__region__in=townships, body__kind=BodyKind.CONGRESS, number=18
        ).select_related("body")
    }
    used: set = set()

    # County constituencies: each township elects 1-3 deputies per constituency.
    people, mandates = [], []
    county_constituencies = []
    number = 0
    for township in townships:
        seats_here = rng.randint(10, 22)
        while seats_here > 0:
            number += 1
            seats = min(seats_here, rng.choice([1, 2, 2, 3]))
            seats_here -= seats
            county_constituencies.append(
                Constituency(
                    term=county_term,
                    number=number,
                    name=f"第{number}选区（{township.name}）",
                    region=township,
                    seats=seats,
                )
            )
    Constituency.objects.bulk_create(county_constituencies)
    for constituency in county_constituencies:
        for _ in range(constituency.seats):
            person = _person(
                rng, constituency.region, villages[constituency.region_id], used, today
            )
            people.append(person)
            mandates.append((person, Level.COUNTY, county_term, constituency))

    # Township congresses: constituencies by village, 45 + population-based seats.
    for township in townships:
        term = township_terms.get(township.pk)
        if term is None:  # streets have a working committee, not a congress
            continue
        village_list = villages[township.pk]
        seats_total = 45 + rng.randint(40, 90)
        constituencies = []
        for index in range(1, seats_total + 1):
            if seats_total <= 0:
                break
            seats = min(seats_total, rng.choice([1, 2, 3]))
            seats_total -= seats
            village = village_list[(index - 1) % len(village_list)]
            constituencies.append(
                Constituency(
                    term=term,
                    number=index,
                    name=f"第{index}选区（{village.name}）",
                    region=village,
                    seats=seats,
                )
            )
        Constituency.objects.bulk_create(constituencies)
        for constituency in constituencies:
            for _ in range(constituency.seats):
                person = _person(rng, township, village_list, used, today)
                people.append(person)
                mandates.append((person, Level.TOWNSHIP, term, constituency))

    # The demo deputy account is one of 青山镇's township deputies.
    qingshan = next(t for t in townships if t.name == "青山镇")
    demo = next(
        p for p, level, *_ in mandates if level == Level.TOWNSHIP and p.region_id == qingshan.pk
    )
    demo.name, demo.gender = "王春燕", "female"
    demo.name_pinyin, demo.name_initials = pinyin_keys(demo.name)
    first17 = demo.id_number[:16] + "2"
    demo.id_number = first17 + check_character(first17)
    demo.user = User.objects.filter(username="daibiao").first()

    Person.objects.bulk_create(people)
    mandate_rows = [
        Mandate(
            person=person,
            level=level,
            term=term,
            term_label=term.label,
            constituency=constituency,
            elected_on=term.started_on,
            reelected=rng.random() < 0.42,
        )
        for person, level, term, constituency in mandates
    ]
    # Some county deputies also sit in their township congress (dual mandates),
    # and a few hold higher mandates.
    county_people = [p for p, level, *_ in mandates if level == Level.COUNTY]
    for person in rng.sample(county_people, 60):
        term = township_terms.get(person.region_id)
        if term:
            mandate_rows.append(
                Mandate(
                    person=person,
                    level=Level.TOWNSHIP,
                    term=term,
                    term_label="第十八届",
                    elected_on=term.started_on,
                )
            )
    for person, level, label, unit in [
        (county_people[0], Level.NATIONAL, "第十四届", "示范省人大"),
        (county_people[1], Level.PROVINCIAL, "第十四届", "示范市人大"),
        (county_people[2], Level.PROVINCIAL, "第十四届", "示范市人大"),
        (county_people[3], Level.MUNICIPAL, "第八届", "青山县人大"),
        (county_people[4], Level.MUNICIPAL, "第八届", "青山县人大"),
        (county_people[5], Level.MUNICIPAL, "第八届", "青山县人大"),
    ]:
        mandate_rows.append(
            Mandate(
                person=person,
                level=level,
                term_label=label,
                electoral_unit=unit,
                elected_on=datetime.date(2022, 1, 20),
            )
        )
    # A handful of mandates have ended during the term.
    for mandate in rng.sample(mandate_rows[:1200], 12):
        mandate.ended_on = datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28))
        mandate.end_reason = rng.choice(["resigned", "moved", "died", "terminated"])
    Mandate.objects.bulk_create(mandate_rows)

    _seed_groups(rng, townships, people)
    stations = _seed_stations(rng, townships, villages, people)
    _seed_checklists(rng, county, stations)
    _seed_contacts(rng, county, people, county_people, today)


def _seed_groups(rng, townships, people):
    memberships = []
    by_township = {}
    for person in people:
        by_township.setdefault(person.region_id, []).append(person)
    for township in townships:
        members = list(dict.fromkeys(by_township.get(township.pk, [])))
        rng.shuffle(members)
        area_count = max(2, len(members) // 25)
        area_groups = Group.objects.bulk_create(
            [
                Group(
                    kind=GroupKind.AREA,
                    name=f"{township.name}第{chinese_number(i)}代表小组",
                    region=township,
                    liaison_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                )
                for i in range(1, area_count + 1)
            ]
        )
        topic_groups = Group.objects.bulk_create(
            [
                Group(
                    kind=GroupKind.TOPIC,
                    name=f"{township.name}{topic}课题组",
                    region=township,
                    topic=topic,
                    survey_topic=f"关于{township.name}{topic}情况的调研",
                )
                for topic in TOPICS
            ]
        )
        for index, person in enumerate(members):
            area = area_groups[index % area_count]
            topic = topic_groups[index % len(topic_groups)]
            role = (
                MemberRole.LEADER
                if index < area_count
                else (MemberRole.DEPUTY_LEADER if index < 2 * area_count else MemberRole.MEMBER)
            )
            memberships.append(
                GroupMembership(group=area, person=person, group_kind=GroupKind.AREA, role=role)
            )
            topic_role = MemberRole.LEADER if index < len(topic_groups) else MemberRole.MEMBER
            memberships.append(
                GroupMembership(
                    group=topic, person=person, group_kind=GroupKind.TOPIC, role=topic_role
                )
            )
    GroupMembership.objects.bulk_create(memberships)


def _seed_stations(rng, townships, villages, people):
    liaison = User.objects.filter(username="lianluo").first()
    stations = []
    for township in townships:
        if township.level == RegionLevel.STREET:
            stations.append(
                Station(
                    kind=StationKind.STUDIO,
                    name=f"{township.name}人大代表工作室",
                    region=township,
                    address=f"{township.name}办事处二楼",
                )
            )
            stations.append(
                Station(
                    kind=StationKind.CONTACT_ROOM,
                    name=f"{township.name}联系群众工作室",
                    region=rng.choice(villages[township.pk]),
                    address="社区服务中心一楼",
                )
            )
            continue
        stations.append(
            Station(
                kind=StationKind.HOME,
                name=f"{township.name}人大代表之家",
                region=township,
                address=f"{township.name}人民政府院内",
                opened_on=datetime.date(2019, 6, 1),
            )
        )
        for village in rng.sample(villages[township.pk], 2):
            stations.append(
                Station(
                    kind=StationKind.LIAISON_STATION,
                    name=f"{village.name}人大代表联络站",
                    region=village,
                    address=f"{village.name}村委会",
                )
            )
    for station in stations:
        station.phone = f"0799-{rng.randint(6500000, 6599999)}"
        station.equipment = "会议桌椅、代表履职档案柜、意见箱、公示栏、电脑一台"
        station.rules = "代表进站接待制度；群众意见收集、交办、反馈制度；代表履职登记制度"
    Station.objects.bulk_create(stations)

    by_region = {}
    for person in people:
        by_region.setdefault(person.region_id, []).append(person)
    through = Station.resident_deputies.through
    residents = []
    schedules = []
    for station in stations:
        township_id = (
            station.region.parent_id
            if station.region.level in (RegionLevel.VILLAGE, RegionLevel.COMMUNITY)
            else station.region_id
        )
        pool = list(dict.fromkeys(by_region.get(township_id, [])))
        for person in rng.sample(pool, min(len(pool), rng.randint(5, 12))):
            residents.append(through(station_id=station.pk, person_id=person.pk))
        if station.kind == StationKind.HOME:
            schedules.append(
                ReceptionSchedule(
                    station=station, kind=ScheduleKind.WEEKLY, weekday=1, note="每周二选民接待日"
                )
            )
            schedules.append(
                ReceptionSchedule(
                    station=station, kind=ScheduleKind.FIRST_WEEKEND, note="每月首个周末集中活动日"
                )
            )
        elif station.kind == StationKind.LIAISON_STATION and rng.random() < 0.5:
            schedules.append(
                ReceptionSchedule(
                    station=station,
                    kind=ScheduleKind.MARKET_DIGITS,
                    day_digits=rng.choice([[3, 6, 9], [1, 4, 7], [2, 5, 8]]),
                    note="赶集日接待",
                )
            )
        else:
            schedules.append(
                ReceptionSchedule(
                    station=station,
                    kind=ScheduleKind.WEEKLY,
                    weekday=rng.choice([1, 3]),
                    note="固定接待日",
                )
            )
    through.objects.bulk_create(residents, ignore_conflicts=True)
    ReceptionSchedule.objects.bulk_create(schedules)
    if liaison:
        home = next(s for s in stations if s.name == "青山镇人大代表之家")
        home.liaison_officers.add(liaison)
    return stations


def _seed_checklists(rng, county, stations):
    regions = {"province": county.parent.parent, "county": county}
    checklists = []
    for name, level, source, items in CHECKLISTS:
        checklist = Checklist.objects.create(name=name, region=regions[level], source=source)
        ChecklistItem.objects.bulk_create(
            ChecklistItem(checklist=checklist, order=i, title=t)
            for i, t in enumerate(items, start=1)
        )
        checklists.append(checklist)
    assessor = User.objects.filter(username="xianrenda").first()
    results = []
    for station in stations:
        checklist = checklists[0] if station.kind == StationKind.HOME else checklists[1]
        assessment = Assessment.objects.create(
            station=station,
            checklist=checklist,
            assessed_on=datetime.date(2026, rng.randint(3, 10), rng.randint(1, 28)),
            assessor=assessor,
            note="年度规范化建设检查",
        )
        for item in checklist.items.all():
            results.append(
                AssessmentResult(assessment=assessment, item=item, met=rng.random() < 0.82, note="")
            )
    AssessmentResult.objects.bulk_create(results)


def _seed_contacts(rng, county, people, county_people, today):
    since = datetime.date(2021, 1, 1)
    for key, value, source in CONTACT_RULES:
        Rule.objects.get_or_create(
            key=key,
            region=county,
            effective_from=since,
            defaults={"value": value, "source": source},
        )
    links = []
    leaders = [p for p in county_people if "县人大常委会副主任" in p.unit_and_post][
        :6
    ] or county_people[:6]
    others = [p for p in people if p not in leaders]
    for leader in leaders:
        for deputy in rng.sample(others, rng.randint(2, 5)):
            links.append(
                ContactLink(
                    kind=ContactKind.LEADER_DEPUTY,
                    linker=leader,
                    linker_title="县人大常委会副主任",
                    deputy=deputy,
                    started_on=datetime.date(2022, 3, 1),
                )
            )
    for deputy in rng.sample(people, 48):
        for _ in range(rng.randint(2, 5)):
            links.append(
                ContactLink(
                    kind=ContactKind.DEPUTY_HOUSEHOLD,
                    linker=deputy,
                    target_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    target_category=TargetCategory.POOR_HOUSEHOLD,
                    target_address=f"{deputy.region.name}某村{rng.randint(1, 12)}组",
                    target_phone=f"1{rng.choice([3, 5, 8])}{rng.randint(0, 999999999):09d}",
                    started_on=datetime.date(2022, 4, 1),
                )
            )
    for deputy in rng.sample(people, 200):
        links.append(
            ContactLink(
                kind=ContactKind.DEPUTY_VOTER,
                linker=deputy,
                target_name=f"{deputy.region.name}选民代表",
                target_category=TargetCategory.VOTER,
                started_on=datetime.date(2022, 1, 10),
            )
        )
    ContactLink.objects.bulk_create(links)
    visits = []
    for link in links:
        for _ in range(rng.choice([0, 1, 2, 2, 3, 4])):
            visits.append(
                ContactVisit(
                    link=link,
                    visited_on=datetime.date(today.year, rng.randint(1, 10), rng.randint(1, 28)),
                    method=rng.choice(["走访", "电话", "座谈"]),
                    summary="了解生产生活情况，收集意见建议",
                )
            )
    ContactVisit.objects.bulk_create(visits)
