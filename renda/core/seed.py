"""The demo county: places, congress bodies, terms, sessions, handling units,
rules and one account per role. Fixed data and a fixed random seed, so every
run builds the same county; every step is idempotent."""

import datetime
import random

from django.db import transaction

from renda.core.models import (
    Body,
    BodyKind,
    Region,
    RegionLevel,
    Role,
    Rule,
    Session,
    SessionKind,
    SessionStatus,
    Term,
    Unit,
    UnitKind,
    User,
)

DEMO_PASSWORD = "Renda@2026"  # noqa: S105 - printed for the demo; never used outside it

# Division codes 99xxxx are not used by any real province: the demo county is fictional.
PROVINCE = ("99", "示范省")
CITY = ("9901", "示范市")
COUNTY = ("990121", "青山县")

# (code suffix, name, level): streets 00x, towns 10x, townships 20x, as real codes do.
TOWNSHIPS = [
    ("001", "城关街道", RegionLevel.STREET),
    ("002", "东城街道", RegionLevel.STREET),
    ("003", "西城街道", RegionLevel.STREET),
    ("101", "青山镇", RegionLevel.TOWNSHIP),
    ("102", "龙泉镇", RegionLevel.TOWNSHIP),
    ("103", "白沙镇", RegionLevel.TOWNSHIP),
    ("104", "石桥镇", RegionLevel.TOWNSHIP),
    ("105", "柳林镇", RegionLevel.TOWNSHIP),
    ("106", "三江镇", RegionLevel.TOWNSHIP),
    ("107", "双溪镇", RegionLevel.TOWNSHIP),
    ("201", "新丰乡", RegionLevel.TOWNSHIP),
    ("202", "河口乡", RegionLevel.TOWNSHIP),
    ("203", "杨家坪乡", RegionLevel.TOWNSHIP),
    ("204", "高岭乡", RegionLevel.TOWNSHIP),
    ("205", "马鞍乡", RegionLevel.TOWNSHIP),
]
VILLAGE_HEADS = list("东西南北上下前后大小新老")
VILLAGE_STEMS = [
    "河",
    "山",
    "岭",
    "坪",
    "湾",
    "桥",
    "塘",
    "冲",
    "坝",
    "岗",
    "庄",
    "沟",
    "林",
    "田",
    "溪",
]
VILLAGE_SURNAMES = list("王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯")
COMMUNITY_NAMES = [
    "人民路",
    "解放路",
    "滨江",
    "文昌",
    "朝阳",
    "幸福",
    "和平",
    "建设",
    "育才",
    "翠湖",
    "花园",
    "新华",
]

COUNTY_COMMITTEES = [
    (BodyKind.SPECIAL_COMMITTEE, "青山县人民代表大会法制委员会"),
    (BodyKind.WORKING_COMMITTEE, "县人大常委会选举联络人事任免工作委员会"),
    (BodyKind.WORKING_COMMITTEE, "县人大常委会法制工作委员会"),
    (BodyKind.WORKING_COMMITTEE, "县人大常委会财政经济工作委员会"),
    (BodyKind.WORKING_COMMITTEE, "县人大常委会预算工作委员会"),
    (BodyKind.WORKING_COMMITTEE, "县人大常委会备案审查工作委员会"),
    (BodyKind.WORKING_COMMITTEE, "县人大常委会教育科学文化卫生工作委员会"),
    (BodyKind.WORKING_COMMITTEE, "县人大常委会城乡建设环境保护工作委员会"),
    (BodyKind.WORKING_COMMITTEE, "县人大常委会农业农村工作委员会"),
    (BodyKind.OFFICE, "县人大常委会办公室"),
    (BodyKind.OFFICE, "县人大常委会信访室"),
]

COUNTY_UNITS = [
    (UnitKind.GOVERNMENT, "青山县发展和改革局"),
    (UnitKind.GOVERNMENT, "青山县教育体育局"),
    (UnitKind.GOVERNMENT, "青山县公安局"),
    (UnitKind.GOVERNMENT, "青山县民政局"),
    (UnitKind.GOVERNMENT, "青山县财政局"),
    (UnitKind.GOVERNMENT, "青山县人力资源和社会保障局"),
    (UnitKind.GOVERNMENT, "青山县自然资源局"),
    (UnitKind.GOVERNMENT, "青山县生态环境分局"),
    (UnitKind.GOVERNMENT, "青山县住房和城乡建设局"),
    (UnitKind.GOVERNMENT, "青山县交通运输局"),
    (UnitKind.GOVERNMENT, "青山县水利局"),
    (UnitKind.GOVERNMENT, "青山县农业农村局"),
    (UnitKind.GOVERNMENT, "青山县商务局"),
    (UnitKind.GOVERNMENT, "青山县文化广电旅游局"),
    (UnitKind.GOVERNMENT, "青山县卫生健康委员会"),
    (UnitKind.GOVERNMENT, "青山县应急管理局"),
    (UnitKind.GOVERNMENT, "青山县市场监督管理局"),
    (UnitKind.GOVERNMENT, "青山县医疗保障局"),
    (UnitKind.GOVERNMENT, "青山县林业局"),
    (UnitKind.GOVERNMENT, "青山县城市管理局"),
    (UnitKind.COURT, "青山县人民法院"),
    (UnitKind.PROCURATORATE, "青山县人民检察院"),
    (UnitKind.ENTERPRISE, "国网青山县供电公司"),
    (UnitKind.ENTERPRISE, "青山县自来水有限公司"),
]
TOWNSHIP_OFFICES = [
    ("青山镇", UnitKind.TOWNSHIP_OFFICE, "青山镇农业综合服务中心"),
    ("青山镇", UnitKind.TOWNSHIP_OFFICE, "青山镇社会事务办公室"),
    ("龙泉镇", UnitKind.TOWNSHIP_OFFICE, "龙泉镇村镇建设服务中心"),
    ("白沙镇", UnitKind.TOWNSHIP_OFFICE, "白沙镇农业综合服务中心"),
    ("城关街道", UnitKind.TOWNSHIP_OFFICE, "城关街道社区服务中心"),
    ("新丰乡", UnitKind.PUBLIC_INSTITUTION, "新丰乡卫生院"),
]

# The law's and the office's rules the demo starts with; each cites its source.
RULES = [
    (
        "suggestion.reply_months",
        3,
        "《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》第四十三条：自交办之日起三个月内答复",
    ),
    (
        "suggestion.reply_months_complex",
        6,
        "《中华人民共和国全国人民代表大会和地方各级人民代表大会代表法》第四十三条：涉及面广、处理难度大的，六个月内答复",
    ),
    (
        "election.county_seats",
        {"base": 140, "per_inhabitants": 5000, "max": 450},
        "《中华人民共和国全国人民代表大会和地方各级人民代表大会选举法》第十二条",
    ),
    (
        "election.township_seats",
        {"base": 45, "per_inhabitants": 1500, "max": 160},
        "《中华人民共和国全国人民代表大会和地方各级人民代表大会选举法》第十二条",
    ),
]
COUNTY_RULES = [
    (
        "deputies.structure.party_member_share_min",
        0.6,
        "青山县换届选举工作实施方案（示范）：党员代表一般不低于60%",
    ),
    (
        "deputies.structure.reelected_share_min",
        0.3333,
        "青山县换届选举工作实施方案（示范）：连任代表一般不少于三分之一",
    ),
]

# (username, full name, role, region name or None, unit name or None)
ACCOUNTS = [
    ("xianrenda", "周明华", Role.COUNTY_STAFF, "青山县", None),
    ("qingshan", "李秀英", Role.TOWNSHIP_STAFF, "青山镇", None),
    ("longquan", "陈建国", Role.TOWNSHIP_STAFF, "龙泉镇", None),
    ("daibiao", "王春燕", Role.DEPUTY, "青山镇", None),
    ("lianluo", "赵志刚", Role.LIAISON, "青山镇", None),
    ("jiaotong", "孙立军", Role.UNIT, None, "青山县交通运输局"),
    ("qunzhong", "刘小梅", Role.PUBLIC, None, None),
]


def _region(code, name, level, parent):
    region, _ = Region.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return region


def seed_regions(rng: random.Random) -> Region:
    province = _region(PROVINCE[0], PROVINCE[1], RegionLevel.PROVINCE, None)
    city = _region(CITY[0], CITY[1], RegionLevel.CITY, province)
    county = _region(COUNTY[0], COUNTY[1], RegionLevel.COUNTY, city)
    for suffix, name, level in TOWNSHIPS:
        township = _region(county.code + suffix, name, level, county)
        if level == RegionLevel.STREET:
            names = rng.sample(COMMUNITY_NAMES, rng.randint(4, 7))
            villages = [(f"{stem}社区", RegionLevel.COMMUNITY) for stem in names]
        else:
            count = rng.randint(8, 14)
            pool = {
                f"{rng.choice(VILLAGE_SURNAMES)}家{rng.choice(VILLAGE_STEMS)}" for _ in range(60)
            }
            pool |= {f"{rng.choice(VILLAGE_HEADS)}{rng.choice(VILLAGE_STEMS)}" for _ in range(60)}
            villages = [
                (f"{stem}村", RegionLevel.VILLAGE) for stem in rng.sample(sorted(pool), count)
            ]
            rng.shuffle(villages)
        for index, (vname, vlevel) in enumerate(villages, start=1):
            _region(f"{township.code}{index + 200:03d}", vname, vlevel, township)
    return county


def _body(region, kind, name, parent=None, members=None):
    body, _ = Body.objects.update_or_create(
        region=region,
        name=name,
        defaults={"kind": kind, "parent": parent, "members_planned": members},
    )
    return body


def _term_with_sessions(congress, number, started_on, session_dates):
    term, _ = Term.objects.update_or_create(
        body=congress, number=number, defaults={"started_on": started_on}
    )
    for index, (opened, closed) in enumerate(session_dates, start=1):
        Session.objects.get_or_create(
            term=term,
            number=index,
            defaults={
                "kind": SessionKind.REGULAR,
                "opened_on": opened,
                "closed_on": closed,
                "status": SessionStatus.CLOSED if closed else SessionStatus.PLANNED,
                "place": f"{congress.region.name}人民会堂"
                if congress.region.level == RegionLevel.COUNTY
                else f"{congress.region.name}政府会议室",
            },
        )
    return term


def seed_bodies(county: Region) -> None:
    d = datetime.date
    congress = _body(county, BodyKind.CONGRESS, "青山县人民代表大会")
    _term_with_sessions(
        congress,
        18,
        d(2021, 12, 27),
        [
            (d(2021, 12, 27), d(2021, 12, 30)),
            (d(2022, 2, 22), d(2022, 2, 25)),
            (d(2023, 2, 14), d(2023, 2, 17)),
            (d(2024, 1, 16), d(2024, 1, 19)),
            (d(2025, 1, 14), d(2025, 1, 17)),
            (d(2026, 1, 13), d(2026, 1, 16)),
            (d(2027, 1, 12), None),
        ],
    )
    standing = _body(county, BodyKind.STANDING_COMMITTEE, "青山县人大常委会", members=27)
    _body(county, BodyKind.CHAIRPERSON_MEETING, "青山县人大常委会主任会议", parent=standing)
    _body(county, BodyKind.PARTY_GROUP, "青山县人大常委会党组", parent=standing)
    for kind, name in COUNTY_COMMITTEES:
        _body(
            county, kind, name, parent=congress if kind == BodyKind.SPECIAL_COMMITTEE else standing
        )
    for township in county.children.all():
        if township.level == RegionLevel.STREET:
            _body(township, BodyKind.STREET_COMMITTEE, f"{township.name}人大工作委员会", members=5)
            continue
        township_congress = _body(township, BodyKind.CONGRESS, f"{township.name}人民代表大会")
        _term_with_sessions(
            township_congress,
            18,
            d(2021, 11, 20),
            [
                (d(2021, 11, 20), d(2021, 11, 21)),
                (d(2022, 1, 8), d(2022, 1, 9)),
                (d(2023, 1, 6), d(2023, 1, 7)),
                (d(2024, 1, 5), d(2024, 1, 6)),
                (d(2025, 1, 4), d(2025, 1, 5)),
                (d(2026, 1, 6), d(2026, 1, 7)),
            ],
        )
        _body(
            township,
            BodyKind.PRESIDIUM,
            f"{township.name}人大主席团",
            parent=township_congress,
            members=7 + len(township.name) % 3,
        )


def seed_units(county: Region, rng: random.Random) -> None:
    for kind, name in COUNTY_UNITS:
        Unit.objects.update_or_create(
            region=county,
            name=name,
            defaults={
                "kind": kind,
                "short_name": name.removeprefix("青山县"),
                "contact_person": rng.choice(VILLAGE_SURNAMES)
                + rng.choice(["主任", "科长", "股长"]),
                "office_phone": f"0799-{rng.randint(6200000, 6299999)}",
            },
        )
    townships = {r.name: r for r in county.children.all()}
    for township_name, kind, name in TOWNSHIP_OFFICES:
        Unit.objects.update_or_create(
            region=townships[township_name],
            name=name,
            defaults={"kind": kind, "office_phone": f"0799-{rng.randint(6300000, 6399999)}"},
        )


def seed_rules(county: Region) -> None:
    since = datetime.date(2021, 1, 1)
    for key, value, source in RULES:
        Rule.objects.get_or_create(
            key=key, region=None, effective_from=since, defaults={"value": value, "source": source}
        )
    for key, value, source in COUNTY_RULES:
        Rule.objects.get_or_create(
            key=key,
            region=county,
            effective_from=since,
            defaults={"value": value, "source": source},
        )


def seed_accounts() -> list[tuple[str, str, str]]:
    """One account per role; returns (username, role label, scope) for printing."""
    printed = []
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"full_name": "系统管理员", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    printed.append(("admin", "系统管理员", "全部"))
    for username, full_name, role, region_name, unit_name in ACCOUNTS:
        region = Region.objects.get(name=region_name) if region_name else None
        unit = Unit.objects.get(name=unit_name) if unit_name else None
        user, created = User.objects.update_or_create(
            username=username,
            defaults={"full_name": full_name, "role": role, "region": region, "unit": unit},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        printed.append((username, f"{full_name}（{role.label}）", str(unit or region or "—")))
    return printed


@transaction.atomic
def seed_core(rng: random.Random) -> list[tuple[str, str, str]]:
    county = seed_regions(rng)
    seed_bodies(county)
    seed_units(county, rng)
    seed_rules(county)
    return seed_accounts()
