"""A small points scheme for tests, built through the services; a serving
deputy."""

import datetime

from renda.deputies.tests import factories as d
from renda.duties import services
from renda.duties.models import Attendance, DutyKind, ItemBasis


def build_scheme(
    world, *, region=None, effective_from=datetime.date(2026, 1, 1), name="测试积分办法"
):
    """Base 20; inspections and surveys 2 each (cap 10); unexcused absence
    −2; commendation by award. Returns (scheme, items by short name)."""
    actor = world.user("county")
    scheme = services.scheme_create(
        actor=actor,
        region=region or world.county,
        name=name,
        effective_from=effective_from,
        source="测试县人大常委会关于代表履职积分管理的办法（试行）",
        bands=[
            {"min": 80, "label": "优秀"},
            {"min": 60, "label": "合格"},
            {"min": 0, "label": "不合格"},
        ],
        stars=[{"min": 90, "stars": 5}, {"min": 30, "stars": 3}, {"min": 0, "stars": 1}],
    )
    law = services.scheme_category_add(actor=actor, scheme=scheme, name="模范遵纪守法", order=1)
    between = services.scheme_category_add(actor=actor, scheme=scheme, name="闭会期间工作", order=2)
    items = {
        "base": services.scheme_item_save(
            actor=actor, category=law, name="遵纪守法基础分", basis=ItemBasis.BASE, points_each=20
        ),
        "inspection": services.scheme_item_save(
            actor=actor,
            category=between,
            name="参加视察、调研",
            basis=ItemBasis.RECORDS,
            points_each=2,
            cap=10,
            kinds=[
                (DutyKind.INSPECTION, Attendance.PRESENT),
                (DutyKind.SURVEY, Attendance.PRESENT),
            ],
        ),
        "absent": services.scheme_item_save(
            actor=actor,
            category=between,
            name="无故缺席活动",
            basis=ItemBasis.RECORDS,
            points_each=-2,
            kinds=[(DutyKind.INSPECTION, Attendance.ABSENT), (DutyKind.SURVEY, Attendance.ABSENT)],
        ),
        "award": services.scheme_item_save(
            actor=actor, category=between, name="受到表彰", basis=ItemBasis.AWARD, points_each=0
        ),
    }
    return scheme, items


def serving_deputy(region, name):
    """A deputy of `region` serving since the term began (2021-11-01)."""
    person = d.PersonFactory(name=name, region=region)
    d.MandateFactory(person=person, elected_on=datetime.date(2021, 11, 1))
    return person
