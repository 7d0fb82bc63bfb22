"""The fixed cast every test can use (healthchecks-style): one county with two
townships, their units and congresses, and one user per role, including
an outsider of each kind who must be refused."""

import datetime
import os
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
import time_machine

from renda.core.models import BodyKind, RegionLevel, Role, User
from renda.core.tests import factories as f

ROLES = [
    "anonymous",
    "public",
    "county",
    "township",
    "other_township",
    "deputy",
    "liaison",
    "unit",
    "other_unit",
    "admin",
]


@dataclass
class World:
    county: object
    township: object
    other_township: object
    village: object
    county_unit: object
    township_unit: object
    other_unit: object
    county_congress: object
    township_congress: object
    other_congress: object
    session: object
    other_session: object
    rule: object
    township_rule: object
    other_rule: object
    users: dict = field(default_factory=dict)
    # Deputies (renda.deputies): set by _add_deputies below.
    term: object = None
    constituency: object = None
    person: object = None
    other_person: object = None
    county_person: object = None
    group: object = None
    topic_group: object = None
    other_group: object = None
    station: object = None
    other_station: object = None
    checklist: object = None
    assessment: object = None
    link: object = None
    # Suggestions (renda.suggestions): set by _add_suggestions below.
    category: object = None
    suggestion: object = None
    draft: object = None
    other_suggestion: object = None
    # Opinions (renda.opinions): set by _add_opinions below.
    reception: object = None
    opinion: object = None
    new_opinion: object = None
    other_opinion: object = None
    # Duties (renda.duties): set by _add_duties below.
    scheme: object = None
    scheme_items: dict = field(default_factory=dict)
    activity: object = None
    other_activity: object = None
    entry: object = None
    other_entry: object = None
    correction: object = None
    round: object = None
    other_round: object = None
    duty_report: object = None
    publication: object = None
    spot_check: object = None

    def user(self, role: str) -> User | None:
        return self.users.get(role)


# The world lives in the autumn of 2026: its meetings, entries and terms are
# dated then, and pages default to "this year" and "today". Every test starts
# at this moment, with the clock ticking, so the suite reads the same on any
# day it runs. RENDA_TEST_NOW (ISO, Beijing time) starts it elsewhere, to try
# the suite across a boundary such as New Year's Eve.
WORLD_NOW = datetime.datetime.fromisoformat(
    os.environ.get("RENDA_TEST_NOW") or "2026-11-24T09:30:00"
).replace(tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _world_clock():
    with time_machine.travel(WORLD_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    county = f.RegionFactory(code="990121", name="测试县", level=RegionLevel.COUNTY)
    township = f.TownshipFactory(code="990121101", name="青山镇", parent=county)
    other = f.TownshipFactory(code="990121102", name="龙泉镇", parent=county)
    village = f.VillageFactory(code="990121101201", name="东河村", parent=township)
    county_unit = f.UnitFactory(name="县交通运输局", region=county)
    township_unit = f.UnitFactory(name="青山镇农业服务中心", region=township)
    other_unit = f.UnitFactory(name="龙泉镇村建中心", region=other)
    county_congress = f.BodyFactory(
        region=county, kind=BodyKind.CONGRESS, name="测试县人民代表大会"
    )
    township_congress = f.BodyFactory(
        region=township, kind=BodyKind.CONGRESS, name="青山镇人民代表大会"
    )
    other_congress = f.BodyFactory(region=other, kind=BodyKind.CONGRESS, name="龙泉镇人民代表大会")
    session = f.SessionFactory(term=f.TermFactory(body=township_congress), number=1)
    other_session = f.SessionFactory(term=f.TermFactory(body=other_congress), number=1)
    w = World(
        county=county,
        township=township,
        other_township=other,
        village=village,
        county_unit=county_unit,
        township_unit=township_unit,
        other_unit=other_unit,
        county_congress=county_congress,
        township_congress=township_congress,
        other_congress=other_congress,
        session=session,
        other_session=other_session,
        rule=f.RuleFactory(key="suggestion.reply_months", region=None, value=3),
        township_rule=f.RuleFactory(key="township.rule", region=township, value=1),
        other_rule=f.RuleFactory(key="township.rule", region=other, value=2),
    )
    w.users = {
        "public": f.UserFactory(username="public", role=Role.PUBLIC),
        "county": f.UserFactory(username="county", role=Role.COUNTY_STAFF, region=county),
        "township": f.UserFactory(username="township", role=Role.TOWNSHIP_STAFF, region=township),
        "other_township": f.UserFactory(
            username="other_township", role=Role.TOWNSHIP_STAFF, region=other
        ),
        "deputy": f.UserFactory(username="deputy", role=Role.DEPUTY, region=township),
        "liaison": f.UserFactory(username="liaison", role=Role.LIAISON, region=township),
        "unit": f.UserFactory(username="unit", role=Role.UNIT, unit=county_unit),
        "other_unit": f.UserFactory(username="other_unit", role=Role.UNIT, unit=other_unit),
        "admin": f.UserFactory(username="admin", is_superuser=True, is_staff=True),
    }
    _add_deputies(w)
    _add_suggestions(w)
    _add_opinions(w)
    _add_duties(w)
    return w


SUGGESTION_RULES = [
    ("suggestion.reply_months_complex", 6),
    ("suggestion.rehandle_months", 2),
    ("suggestion.return_working_days", 5),
    ("suggestion.interim_assign_working_days", 5),
    ("suggestion.co_opinion_months", 1),
    ("suggestion.due_soon_days", 15),
    ("opinion.handle_working_days", 15),
    ("duties.own_entry_years_back", 1),
]


def _add_suggestions(w: World) -> None:
    """王春燕's suggestion to 青山镇's congress, assigned to the county
    transport bureau (the `unit` user) and signed; her draft; and an item of
    龙泉镇 assigned to its own unit."""
    from renda.suggestions import reply_classes, services
    from renda.suggestions.models import Category

    for key, value in SUGGESTION_RULES:
        f.RuleFactory(key=key, value=value)
    # The national A–D reply classes; tests give a place its own scheme.
    f.RuleFactory(
        key=reply_classes.KEY,
        value=reply_classes.DEFAULT_CLASSES,
        source=reply_classes.DEFAULT_SOURCE,
    )
    w.category = Category.objects.create(name="道路交通")
    clerk = w.user("township")
    w.suggestion = services.suggestion_draft(
        entered_by=clerk,
        congress=w.township_congress,
        occasion="session",
        session=w.session,
        title="关于修缮东河村通组公路的建议",
        body="东河村三组至五组道路破损严重，雨天无法通行，建议列入年度农村公路养护计划。",
        lead=w.person,
        co_signers=[w.county_person],
        category=w.category,
    )
    services.suggestion_submit(suggestion=w.suggestion, actor=clerk)
    services.suggestion_accept(suggestion=w.suggestion, actor=clerk, final_kind="suggestion")
    lead = services.suggestion_assign(suggestion=w.suggestion, actor=clerk, lead_unit=w.county_unit)
    services.assignment_sign(assignment=lead, actor=w.user("unit"))
    w.draft = services.suggestion_draft(
        entered_by=w.user("deputy"),
        congress=w.township_congress,
        occasion="interim",
        title="关于增设东河村垃圾收集点的建议",
        body="建议在东河村三组增设垃圾收集点。",
        lead=w.person,
    )
    other_clerk = w.user("other_township")
    w.other_suggestion = services.suggestion_draft(
        entered_by=other_clerk,
        congress=w.other_congress,
        occasion="interim",
        title="关于龙泉镇集镇排水的建议",
        body="集镇排水沟堵塞，建议清淤。",
        lead=w.other_person,
    )
    services.suggestion_submit(suggestion=w.other_suggestion, actor=other_clerk)
    services.suggestion_accept(
        suggestion=w.other_suggestion, actor=other_clerk, final_kind="suggestion"
    )
    services.suggestion_assign(
        suggestion=w.other_suggestion, actor=other_clerk, lead_unit=w.other_unit
    )


def _add_deputies(w: World) -> None:
    """Deputies of both townships: the `deputy` user is 王春燕 of 青山镇."""
    from renda.deputies.tests import factories as d

    w.term = w.session.term
    w.constituency = d.ConstituencyFactory(
        term=w.term, number=1, name="青山镇第1选区", region=w.village
    )
    w.person = d.PersonFactory(
        name="王春燕", region=w.township, user=w.user("deputy"), gender="female"
    )
    d.MandateFactory(person=w.person, term=w.term, constituency=w.constituency, level="township")
    w.county_person = d.PersonFactory(name="张三", region=w.township)
    d.MandateFactory(person=w.county_person, term=None, term_label="第十八届", level="county")
    w.other_person = d.PersonFactory(name="李四", region=w.other_township)
    d.MandateFactory(person=w.other_person, term=w.other_session.term, level="township")
    w.group = d.GroupFactory(
        name="青山镇第一代表小组", region=w.township, members=[w.person, w.county_person]
    )
    w.topic_group = d.GroupFactory(
        name="产业发展课题组", kind="topic", topic="产业发展", region=w.township, members=[w.person]
    )
    w.other_group = d.GroupFactory(
        name="龙泉镇代表小组", region=w.other_township, members=[w.other_person]
    )
    w.station = d.StationFactory(
        name="东河村代表联络站",
        region=w.village,
        liaison_officers=[w.user("liaison")],
        resident_deputies=[w.person],
    )
    d.ScheduleFactory(station=w.station, kind="weekly", weekday=1)
    w.other_station = d.StationFactory(name="龙泉镇代表之家", region=w.other_township)
    w.checklist = d.ChecklistFactory(
        name="七有", items=["有场所", "有牌子", "有制度", "有计划", "有记录", "有档案", "有保障"]
    )
    w.assessment = d.AssessmentFactory(
        station=w.station,
        checklist=w.checklist,
        met=[True] * 5 + [False] * 2,
        assessed_on=datetime.date(2026, 6, 30),
    )
    w.link = d.ContactLinkFactory(
        linker=w.person,
        kind="deputy_household",
        target_name="赵大爷",
        target_category="poor_household",
        target_phone="13900001111",
    )


@pytest.fixture
def client_for(client, world):
    """A test client signed in as one of the cast (or anonymous)."""

    def sign_in(role: str):
        client.logout()
        user = world.user(role)
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


def _add_opinions(w: World) -> None:
    """A reception at 东河村's station; an opinion collected there, sorted and
    assigned to the county transport bureau (the `unit` user); a new one
    from the public web form; and one of 龙泉镇 assigned to its own unit."""
    from renda.opinions import services

    liaison = w.user("liaison")
    w.reception = services.reception_record(
        actor=liaison,
        region=w.village,
        station=w.station,
        kind="scheduled",
        held_on=datetime.date(2026, 11, 3),
        deputies=[w.person],
        people_received=6,
    )
    w.opinion, _ = services.opinion_receive(
        channel="reception",
        region=w.village,
        station=w.station,
        reception=w.reception,
        collected_by=w.person,
        actor=liaison,
        title="东河村三组路灯损坏",
        content="三组主干道路灯坏了半年，晚上出行不安全。",
        submitter_name="刘大妈",
        submitter_phone="13912345678",
    )
    services.opinion_sort(
        opinion=w.opinion, actor=liaison, category=w.category, urgency="important"
    )
    services.opinion_assign(opinion=w.opinion, actor=w.user("township"), unit=w.county_unit)
    w.new_opinion, _ = services.opinion_receive(
        channel="web",
        region=w.township,
        title="集镇菜市场占道经营",
        content="菜市场门口占道经营严重，建议整治。",
        submitter_name="陈先生",
        submitter_phone="13700001234",
    )
    w.other_opinion, _ = services.opinion_receive(
        channel="hotline",
        region=w.other_township,
        actor=w.user("other_township"),
        title="龙泉镇自来水停水",
        content="连续三天停水。",
        submitter_name="王女士",
        submitter_phone="13600005678",
    )
    services.opinion_sort(
        opinion=w.other_opinion,
        actor=w.user("other_township"),
        category=w.category,
        urgency="urgent",
    )
    services.opinion_assign(
        opinion=w.other_opinion, actor=w.user("other_township"), unit=w.other_unit
    )


def _add_duties(w: World) -> None:
    """The county's points scheme; a 青山镇 inspection (王春燕 present, 张三
    absent) and one in 龙泉镇; 王春燕's own entry awaiting checking and a
    verified one drawn in a spot check; her correction request; a peer
    review round at 东河村's station and a voters' round in 龙泉镇; her duty
    report; and a published score list of 青山镇."""
    from renda.duties import services
    from renda.duties.models import Attendance, DutyKind, RoundKind, RoundMethod
    from renda.duties.tests.helpers import build_scheme

    county, township = w.user("county"), w.user("township")
    w.scheme, w.scheme_items = build_scheme(w)
    w.activity = services.activity_create(
        actor=township,
        region=w.township,
        kind=DutyKind.INSPECTION,
        title="视察东河村饮水安全工程",
        held_on=datetime.date(2026, 9, 8),
        place="东河村",
        organiser_group=w.group,
        participants={w.person: Attendance.PRESENT, w.county_person: Attendance.ABSENT},
    )
    w.other_activity = services.activity_create(
        actor=w.user("other_township"),
        region=w.other_township,
        kind=DutyKind.SURVEY,
        title="调研龙泉镇茶叶产业",
        held_on=datetime.date(2026, 8, 20),
        participants={w.other_person: Attendance.PRESENT},
    )
    deputy = w.user("deputy")
    w.entry = services.entry_submit(
        actor=deputy,
        person=w.person,
        kind=DutyKind.DISPUTE,
        occurred_on=datetime.date(2026, 10, 15),
        title="调解东河村两户宅基地纠纷",
        note="到现场听取双方意见，达成书面调解协议。",
    )
    checked = services.entry_submit(
        actor=deputy,
        person=w.person,
        kind=DutyKind.HOUSEHOLD_VISIT,
        occurred_on=datetime.date(2026, 10, 2),
        title="走访五保户赵大爷",
        note="了解冬季取暖困难。",
    )
    services.entry_verify(record=checked, actor=township)
    w.other_entry = services.entry_submit(
        actor=w.user("other_township"),
        person=w.other_person,
        kind=DutyKind.PRACTICAL,
        occurred_on=datetime.date(2026, 10, 9),
        title="协调修复龙泉村便民桥",
        note="联系镇村建中心修复。",
    )
    w.spot_check = services.spot_check_draw(
        actor=township,
        region=w.township,
        period_from=datetime.date(2026, 10, 1),
        period_to=datetime.date(2026, 10, 10),
        share_percent=100,
    )
    w.correction = services.correction_request(
        actor=deputy,
        person=w.person,
        year=2026,
        item=w.scheme_items["inspection"],
        reason="9月参加的县人大组织的执法检查没有计分。",
    )
    w.round = services.round_create(
        actor=township,
        region=w.township,
        kind=RoundKind.PEER,
        method=RoundMethod.STARS,
        title="东河村代表联络站10月互评",
        period_from=datetime.date(2026, 10, 1),
        period_to=datetime.date(2026, 10, 31),
        station=w.station,
    )
    w.other_round = services.round_create(
        actor=w.user("other_township"),
        region=w.other_township,
        kind=RoundKind.VOTER,
        method=RoundMethod.SCORE,
        title="龙泉镇第三季度选民比评",
        period_from=datetime.date(2026, 7, 1),
        period_to=datetime.date(2026, 9, 30),
    )
    w.duty_report = services.duty_report_record(
        actor=township,
        person=w.person,
        reported_on=datetime.date(2026, 7, 16),
        audience="东河村选区选民代表",
        attendees=40,
        satisfied=35,
        basically_satisfied=4,
        dissatisfied=1,
    )
    w.publication = services.score_publish(
        actor=county,
        region=w.township,
        year=2026,
        title="青山镇2026年第三季度代表履职积分公示",
        as_of=datetime.date(2026, 9, 30),
    )


@pytest.fixture
def province(world):
    """World's county and a neighbouring one (邻县, with 白沙镇 and its
    station) under a province, and a province staff account: a province's
    server, where lists ask for a county first (renda/core/areas.py)."""
    top = f.RegionFactory(code="99", name="测试省", level=RegionLevel.PROVINCE)
    world.county.parent = top
    world.county.save()
    other = f.RegionFactory(code="990122", name="邻县", level=RegionLevel.COUNTY, parent=top)
    township = f.TownshipFactory(code="990122101", name="白沙镇", parent=other)
    from renda.deputies.tests import factories as d

    d.StationFactory(region=township, name="白沙镇代表联络站")
    user = f.UserFactory(username="province", role=Role.COUNTY_STAFF, region=top)
    return {
        "region": top,
        "other": other,
        "township": township,
        "user": user,
        "counties": {world.county.code, other.code},  # what the area select offers
    }
