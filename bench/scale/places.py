"""Places, congresses, handling units, rules and the bench accounts."""

import datetime
from dataclasses import dataclass, field

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
    User,
)
from renda.core.text import chinese_number
from renda.suggestions.models import Category, RoutingRule

from . import words
from .common import Run, insert

PROVINCE_CODE = "97"  # no real province uses 97; the demo county is 99
RULES_SINCE = datetime.date(2021, 1, 1)

# Every rule the services read, with its source. National rows are shared
# with the demo (get_or_create); the rest are set once for the whole
# province, which every county follows (rule lookup falls back upwards).
NATIONAL_RULES = [
    ("suggestion.reply_months", 3, "代表法第四十三条：自交办之日起三个月内答复"),
    (
        "suggestion.reply_months_complex",
        6,
        "代表法第四十三条：涉及面广、处理难度大的，六个月内答复",
    ),
]
PROVINCE_RULES = [
    ("suggestion.rehandle_months", 2, "规模测试省代表建议办理办法（测试）：两个月内重新办理"),
    ("suggestion.return_working_days", 5, "规模测试省代表建议办理办法（测试）：五个工作日内退回"),
    ("suggestion.interim_assign_working_days", 5, "规模测试省代表建议办理办法（测试）：五个工作日内交办"),
    ("suggestion.co_opinion_months", 1, "规模测试省代表建议办理办法（测试）：一个月内提出协办意见"),
    ("suggestion.due_soon_days", 15, "规模测试省督办工作规程（测试）：到期前十五日提醒"),
    ("suggestion.similarity_threshold", 0.35, "系统配置：相似建议提示阈值"),
    ("suggestion.reply_counted_from", "assignment", "规模测试省代表建议办理办法（测试）：自交办之日起计算"),
    ("opinion.handle_working_days", 15, "规模测试省社情民意办理办法（测试）：十五个工作日内办结"),
    ("duties.own_entry_years_back", 1, "规模测试省代表履职档案管理办法（测试）：可补记本年度和上一年度"),
]  # fmt: skip


@dataclass
class Township:
    region: Region
    weight: float
    villages: list = field(default_factory=list)
    congress: Body | None = None  # streets have a working committee, no congress
    term: Term | None = None
    sessions: list = field(default_factory=list)
    persons: list = field(default_factory=list)  # township-level deputies
    county_persons: list = field(default_factory=list)
    station: object = None
    residents: list = field(default_factory=list)
    groups: list = field(default_factory=list)


@dataclass
class County:
    index: int
    region: Region
    townships: list
    congress: Body
    standing: Body
    term: Term
    sessions: list  # closed sessions, oldest first
    units: dict  # short name -> Unit
    unit_users: dict  # unit pk -> User
    staff: User
    township_staff: User
    liaison: User
    persons: list = field(default_factory=list)
    county_persons: list = field(default_factory=list)
    deputy_users: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    interim_pool: list = field(default_factory=list)  # interim suggestions for conversions


def build_province(run: Run, counties: int) -> Region:
    province = Region.objects.create(
        code=PROVINCE_CODE, name=words.PROVINCE_NAME, level=RegionLevel.PROVINCE
    )
    for key, value, source in NATIONAL_RULES:
        run.rules[key], _ = Rule.objects.get_or_create(
            key=key,
            region=None,
            effective_from=RULES_SINCE,
            defaults={"value": value, "source": source},
        )
    from renda.suggestions import reply_classes

    run.rules[reply_classes.KEY], _ = Rule.objects.get_or_create(
        key=reply_classes.KEY,
        region=None,
        effective_from=RULES_SINCE,
        defaults={"value": reply_classes.DEFAULT_CLASSES, "source": reply_classes.DEFAULT_SOURCE},
    )
    for key, value, source in PROVINCE_RULES:
        run.rules[key] = Rule.objects.create(
            key=key, region=province, value=value, effective_from=RULES_SINCE, source=source
        )
    for order, name in enumerate(words.CATEGORY_ORDER):
        category, _ = Category.objects.get_or_create(
            name=name, region=None, defaults={"order": order}
        )
        run.categories.append(category)
        run.category_weights.append(words.CATEGORIES[name])
    cities = [
        Region(
            code=f"{PROVINCE_CODE}{number:02d}",
            name=f"{words.CITY_HEADS[(number - 1) % 5]}{'州' if number > 5 else '岭'}市",
            level=RegionLevel.CITY,
            parent=province,
        )
        for number in range(1, (counties + 9) // 10 + 1)
    ]
    insert(Region, cities)
    province.cities = cities
    return province


def _names(run: Run, count: int, suffix_for) -> list[str]:
    pool = [h + s for h in words.TOWN_HEADS for s in words.TOWN_STEMS]
    return [name + suffix_for(i) for i, name in enumerate(run.rng.sample(pool, count))]


def _congress(today, region, name, term_start, session_days, place):
    body = Body.objects.create(region=region, kind=BodyKind.CONGRESS, name=name)
    term = Term.objects.create(body=body, number=18, started_on=term_start)
    sessions = []
    for number, opened in enumerate(session_days, start=1):
        planned = opened > today
        sessions.append(
            Session(
                term=term,
                number=number,
                kind=SessionKind.REGULAR,
                opened_on=opened,
                closed_on=None if planned else opened + datetime.timedelta(days=3),
                status=SessionStatus.PLANNED if planned else SessionStatus.CLOSED,
                place=place,
            )
        )
    insert(Session, sessions)
    return body, term, [s for s in sessions if s.status == SessionStatus.CLOSED]


def build_county(run: Run, province: Region, index: int) -> County:
    rng, year = run.rng, run.today.year
    city = province.cities[index // 10]
    head = words.COUNTY_HEADS[index % len(words.COUNTY_HEADS)]
    tail = words.COUNTY_TAILS[index // len(words.COUNTY_HEADS) % len(words.COUNTY_TAILS)]
    region = Region.objects.create(
        code=f"{city.code}{index % 10 + 1:02d}",
        name=f"{head}{tail}县",
        level=RegionLevel.COUNTY,
        parent=city,
    )
    # A few large townships, many small: Pareto weights.
    streets, towns = rng.randint(1, 3), rng.randint(7, 22)
    names = _names(run, streets + towns, lambda i: "街道" if i < streets else "镇乡"[i % 2])
    townships = []
    for i, name in enumerate(names):
        street = i < streets
        code = f"{region.code}{(i + 1) if street else (100 + i):03d}"
        level = RegionLevel.STREET if street else RegionLevel.TOWNSHIP
        townships.append(
            Township(
                Region(code=code, name=name, level=level, parent=region),
                weight=rng.paretovariate(1.3),
            )
        )
    insert(Region, [t.region for t in townships])
    villages = []
    for township in townships:
        if township.region.level == RegionLevel.STREET:
            stems = rng.sample(words.COMMUNITY_NAMES, rng.randint(3, 7))
            names, level = [f"{s}社区" for s in stems], RegionLevel.COMMUNITY
        else:
            stems = {
                f"{rng.choice(words.VILLAGE_SURNAMES)}家{rng.choice(words.TOWN_STEMS)}"
                for _ in range(30)
            }
            names = [f"{s}村" for s in rng.sample(sorted(stems), rng.randint(3, 10))]
            level = RegionLevel.VILLAGE
        township.villages = [
            Region(
                code=f"{township.region.code}{n + 200:03d}",
                name=name,
                level=level,
                parent=township.region,
            )
            for n, name in enumerate(names, start=1)
        ]
        villages += township.villages
    insert(Region, villages)

    # The county congress: term from four years ago, one session each January.
    term_start = datetime.date(year - 4, 12, 27)
    days = [term_start] + [datetime.date(y, 1, 14) for y in range(year - 3, year + 2)]
    congress, term, sessions = _congress(
        run.today, region, f"{region.name}人民代表大会", term_start, days, f"{region.name}人民会堂"
    )
    standing = Body.objects.create(
        region=region, kind=BodyKind.STANDING_COMMITTEE, name=f"{region.name}人大常委会"
    )
    for township in townships:
        if township.region.level != RegionLevel.TOWNSHIP:
            continue
        start = datetime.date(year - 4, 11, 20)
        township.congress, township.term, township.sessions = _congress(
            run.today,
            township.region,
            f"{township.region.name}人民代表大会",
            start,
            [start] + [datetime.date(y, 1, 6) for y in range(year - 3, year + 1)],
            f"{township.region.name}政府会议室",
        )

    units = {
        short: Unit(
            name=f"{region.name}{short}",
            short_name=short,
            kind=kind,
            region=region,
            head=rng.choice(words.SURNAMES) + rng.choice(words.GIVEN) + rng.choice(words.GIVEN),
            contact_person=rng.choice(words.SURNAMES) + rng.choice(["主任", "科长", "股长"]),
            office_phone=f"0{rng.randint(700, 799)}-{rng.randint(6200000, 6299999)}",
        )
        for kind, short in words.UNITS
    }
    insert(Unit, list(units.values()))
    largest = max((t for t in townships if t.congress), key=lambda t: t.weight)
    tag = f"{index:03d}"

    def account(username, full_name, role, region=None, unit=None):
        return User(
            username=username,
            full_name=full_name,
            role=role,
            region=region,
            unit=unit,
            password=run.password,
        )

    staff = account(f"bench-county-{tag}", f"{region.name}人大机关", Role.COUNTY_STAFF, region)
    township_staff = account(
        f"bench-township-{tag}", f"{largest.region.name}人大", Role.TOWNSHIP_STAFF, largest.region
    )
    liaison = account(
        f"bench-liaison-{tag}", f"{largest.region.name}联络员", Role.LIAISON, largest.region
    )
    unit_users = {
        unit.pk: account(
            f"bench-unit-{tag}-{n:02d}", f"{unit.short_name}经办人", Role.UNIT, None, unit
        )
        for n, unit in enumerate(units.values(), start=1)
    }
    insert(User, [staff, township_staff, liaison, *unit_users.values()])
    RoutingRule.objects.bulk_create(
        RoutingRule(
            category=category, region=region, lead_unit=units[words.CATEGORY_UNIT[category.name]]
        )
        for category in run.categories
    )
    return County(
        index=index,
        region=region,
        townships=townships,
        congress=congress,
        standing=standing,
        term=term,
        sessions=sessions,
        units=units,
        unit_users=unit_users,
        staff=staff,
        township_staff=township_staff,
        liaison=liaison,
    )


def province_account(run: Run, province: Region) -> User:
    """Provincial congress staff: county-staff rights over the whole province,
    so list and statistics pages run over every row of the build."""
    user = User(
        username="bench-province",
        full_name="规模测试省人大机关",
        role=Role.COUNTY_STAFF,
        region=province,
        password=run.password,
    )
    user.save()
    return user


def group_name(township: Township, number: int) -> str:
    return f"{township.region.name}第{chinese_number(number)}代表小组"
