"""Deputies: persons, mandates at county and township level with their
constituencies, area groups, one station per township, deputy accounts."""

import datetime

from renda.core.models import Role, User
from renda.deputies.models import (
    Constituency,
    Education,
    EndReason,
    Group,
    GroupKind,
    GroupMembership,
    Level,
    Mandate,
    MemberRole,
    Occupation,
    Party,
    Person,
    Station,
    StationKind,
)

from . import words
from .common import TERM_LABEL, Run, insert, pick, split
from .places import County, group_name

OCCUPATIONS = {
    Occupation.FARMER: 34, Occupation.WORKER: 12, Occupation.TECHNICIAN: 14,
    Occupation.OFFICIAL: 22, Occupation.ENTERPRISE: 8, Occupation.INDIVIDUAL: 6,
    Occupation.INTELLECTUAL: 4,
}  # fmt: skip
PARTIES = {Party.CPC: 62, Party.CPC_PROBATIONARY: 2, Party.DEMOCRATIC: 3, Party.NON_PARTY: 5, Party.MASSES: 28}  # fmt: skip
EDUCATIONS = {
    Education.PRIMARY: 5, Education.JUNIOR: 20, Education.SENIOR: 25, Education.COLLEGE: 20,
    Education.BACHELOR: 25, Education.POSTGRADUATE: 5,
}  # fmt: skip
POSTS = {
    Occupation.FARMER: "{village}村民", Occupation.WORKER: "{county}水泥厂工人",
    Occupation.TECHNICIAN: "{township}中心小学教师", Occupation.OFFICIAL: "{township}党委书记",
    Occupation.ENTERPRISE: "{township}农民专业合作社理事长",
    Occupation.INDIVIDUAL: "{township}个体工商户", Occupation.INTELLECTUAL: "{county}中学教师",
}  # fmt: skip
DEPUTY_ACCOUNTS = 5  # per county


def _person(run: Run, county: County, township) -> Person:
    rng = run.rng
    male = rng.random() > 0.3
    name = rng.choice(words.SURNAMES) + "".join(
        rng.choice(words.GIVEN) for _ in range(rng.choice([1, 2, 2]))
    )
    birth = run.today - datetime.timedelta(days=rng.randint(27 * 365, 64 * 365))
    occupation = pick(rng, OCCUPATIONS)
    village = rng.choice(township.villages).name if township.villages else township.region.name
    pinyin, initials = run.keys(name)
    return Person(
        name=name,
        name_pinyin=pinyin,
        name_initials=initials,
        id_number=run.id_number(county.region.code, birth, male),
        gender="male" if male else "female",
        birth_date=birth,
        ethnicity=rng.choice(words.MINORITIES) if rng.random() < 0.08 else "汉族",
        party=Party.CPC if occupation == Occupation.OFFICIAL else pick(rng, PARTIES),
        occupation=occupation,
        education=pick(rng, EDUCATIONS),
        unit_and_post=POSTS[occupation].format(
            village=village, township=township.region.name, county=county.region.name
        ),
        mobile=f"1{rng.choice([3, 5, 7, 8, 9])}{rng.randint(0, 999999999):09d}",
        public_phone=f"0{rng.randint(700, 799)}-{rng.randint(6400000, 6499999)}"
        if rng.random() < 0.3
        else "",
        commitments="每月到联络站接待选民不少于一次，收集的意见一周内反馈。",
        region=township.region,
    )


def _constituencies(run, term, pairs) -> list:
    """Constituencies of 1-3 seats over [(region, seats wanted)]: [(constituency, seats)]."""
    made, number = [], 0
    for region, wanted in pairs:
        while wanted > 0:
            number += 1
            seats = min(wanted, run.rng.choice([1, 2, 2, 3]))
            wanted -= seats
            made.append(
                Constituency(
                    term=term,
                    number=number,
                    name=f"第{number}选区（{region.name}）",
                    region=region,
                    seats=seats,
                )
            )
    insert(Constituency, made)
    return made


def build(run: Run, county: County, deputies: int) -> int:
    """About `deputies` persons for the county; returns the rows written."""
    rng = run.rng
    townships = county.townships
    towns = [t for t in townships if t.congress]
    county_seats = split(
        max(len(townships), round(deputies * 0.22)), [t.weight for t in townships], minimum=1
    )
    town_seats = split(
        max(0, deputies - sum(county_seats)), [t.weight for t in towns], minimum=min(8, deputies)
    )
    planned = []  # (person, level, term, constituency)
    constituencies = _constituencies(
        run, county.term, [(t.region, n) for t, n in zip(townships, county_seats, strict=True)]
    )
    by_region = {t.region.pk: t for t in townships}
    for constituency in constituencies:
        township = by_region[constituency.region_id]
        for _ in range(constituency.seats):
            person = _person(run, county, township)
            township.county_persons.append(person)
            planned.append((person, Level.COUNTY, county.term, constituency))
    for township, seats in zip(towns, town_seats, strict=True):
        villages = township.villages or [township.region]
        pairs = split(seats, [1.0] * len(villages))
        for constituency in _constituencies(
            run, township.term, list(zip(villages, pairs, strict=True))
        ):
            for _ in range(constituency.seats):
                person = _person(run, county, township)
                township.persons.append(person)
                planned.append((person, Level.TOWNSHIP, township.term, constituency))

    # Accounts for a few township deputies of the largest townships.
    ranked = sorted(towns, key=lambda t: -t.weight)
    chosen = [t.persons[k] for k in range(DEPUTY_ACCOUNTS) for t in ranked if len(t.persons) > k]
    chosen = chosen[:DEPUTY_ACCOUNTS]
    users = [
        User(
            username=f"bench-deputy-{county.index:03d}-{n}",
            full_name=person.name,
            role=Role.DEPUTY,
            region=person.region,
            password=run.password,
        )
        for n, person in enumerate(chosen, start=1)
    ]
    insert(User, users)
    for person, user in zip(chosen, users, strict=True):
        person.user = user
    county.deputy_users = users

    persons = [p for p, *_ in planned]
    insert(Person, persons)
    mandates = [
        Mandate(
            person=person,
            level=level,
            term=term,
            term_label=TERM_LABEL,
            constituency=constituency,
            elected_on=term.started_on,
            reelected=rng.random() < 0.4,
        )
        for person, level, term, constituency in planned
    ]
    # A few county deputies also sit in their township congress.
    for township in towns:
        for person in township.county_persons:
            if rng.random() < 0.05:
                mandates.append(
                    Mandate(
                        person=person,
                        level=Level.TOWNSHIP,
                        term=township.term,
                        term_label=TERM_LABEL,
                        elected_on=township.term.started_on,
                    )
                )
    for mandate in mandates:
        if rng.random() < 0.01:
            mandate.ended_on = mandate.elected_on + datetime.timedelta(days=rng.randint(200, 1200))
            mandate.end_reason = rng.choice([EndReason.RESIGNED, EndReason.MOVED, EndReason.DIED])
    insert(Mandate, mandates)

    groups, memberships = [], []
    for township in townships:
        members = township.county_persons + township.persons
        count = max(1, len(members) // 25)
        township.groups = [
            Group(
                kind=GroupKind.AREA,
                name=group_name(township, n),
                region=township.region,
                liaison_name=rng.choice(words.SURNAMES) + rng.choice(words.GIVEN),
            )
            for n in range(1, count + 1)
        ]
        groups += township.groups
    insert(Group, groups)
    for township in townships:
        members = township.county_persons + township.persons
        count = len(township.groups)
        for n, person in enumerate(members):
            memberships.append(
                GroupMembership(
                    group=township.groups[n % count],
                    person=person,
                    group_kind=GroupKind.AREA,
                    role=MemberRole.LEADER if n < count else MemberRole.MEMBER,
                )
            )
    insert(GroupMembership, memberships)

    stations = []
    for township in townships:
        township.station = Station(
            kind=StationKind.HOME if township.congress else StationKind.LIAISON_STATION,
            name=f"{township.region.name}人大代表联络站",
            region=township.region,
            phone=f"0{rng.randint(700, 799)}-{rng.randint(6500000, 6599999)}",
            opened_on=county.term.started_on,
        )
        stations.append(township.station)
    insert(Station, stations)
    through = Station.resident_deputies.through
    residents = []
    for township in townships:
        pool = township.persons + township.county_persons
        township.residents = rng.sample(pool, min(len(pool), rng.randint(3, 8)))
        residents += [
            through(station_id=township.station.pk, person_id=p.pk) for p in township.residents
        ]
    insert(through, residents)
    largest = max(townships, key=lambda t: t.weight if t.congress else 0)
    largest.station.liaison_officers.add(county.liaison)

    county.persons = persons
    county.county_persons = [p for t in townships for p in t.county_persons]
    county.groups = groups
    return (
        len(persons) + len(mandates) + len(constituencies) + len(users) + len(groups)
        + len(memberships) + len(stations) + len(residents)
    )  # fmt: skip
