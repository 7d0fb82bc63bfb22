"""Fixtures of the duties tests beside the project's (conftest.py at the root)."""

import datetime

import pytest

from renda.deputies.models import Station
from renda.duties import services
from renda.duties.models import Attendance, DutyKind
from renda.duties.tests.helpers import serving_deputy


@pytest.fixture
def baisha(world, province):
    """In 邻县: 白沙镇's deputy 赵六 at a survey its station organised, and a
    meeting the province itself held (its 本级 line)."""
    zhao = serving_deputy(province["township"], "赵六")
    station = Station.objects.get(name="白沙镇代表联络站")
    services.activity_create(
        actor=province["user"],
        region=province["township"],
        kind=DutyKind.SURVEY,
        title="白沙镇调研",
        held_on=datetime.date(2026, 5, 6),
        organiser_station=station,
        participants={zhao: Attendance.PRESENT},
    )
    services.activity_create(
        actor=province["user"],
        region=province["region"],
        kind=DutyKind.TRAINING,
        title="全省代表培训",
        held_on=datetime.date(2026, 6, 1),
        participants={zhao: Attendance.PRESENT, world.person: (Attendance.LEAVE, "开会")},
    )
    return zhao
