"""Scores follow from records: entered once, credited to every participant,
recomputed when records or the scheme change, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.deputies.tests import factories as d
from renda.duties import points, services
from renda.duties.models import (
    Attendance,
    Correction,
    DutyKind,
    DutyRecord,
    PointsScheme,
    ScoreLine,
)
from renda.duties.tests.helpers import build_scheme


def _deputies(world, n):
    people = []
    for _ in range(n):
        person = d.PersonFactory(region=world.township)
        d.MandateFactory(person=person)
        people.append(person)
    return people


def test_an_inspection_with_30_participants_credits_all_30_and_one_absence_moves_one_score(world):
    people = _deputies(world, 30)
    activity = services.activity_create(
        actor=world.user("county"),
        region=world.county,
        kind=DutyKind.INSPECTION,
        title="视察农村公路建设",
        held_on=datetime.date(2026, 5, 12),
        participants=dict.fromkeys(people, Attendance.PRESENT),
    )
    assert activity.records.count() == 30
    before = points.score_totals([p.pk for p in people], 2026)
    assert set(before.values()) == {Decimal("22.0")}

    services.activity_set_attendance(
        activity=activity,
        actor=world.user("county"),
        person=people[7],
        attendance=Attendance.ABSENT,
    )

    after = points.score_totals([p.pk for p in people], 2026)
    assert after[people[7].pk] == Decimal("18.0")
    assert {pk: v for pk, v in after.items() if pk != people[7].pk} == {
        pk: v for pk, v in before.items() if pk != people[7].pk
    }


def test_caps_apply_to_the_years_sum_of_an_item(world):
    person = _deputies(world, 1)[0]
    for month in range(1, 8):
        services.activity_create(
            actor=world.user("county"),
            region=world.county,
            kind=DutyKind.SURVEY,
            title=f"{month}月调研",
            held_on=datetime.date(2026, month, 3),
            participants={person: Attendance.PRESENT},
        )
    lines = {line.item.name: line for line in points.score_breakdown(person, 2026)}
    assert lines["参加视察、调研"].raw == Decimal("14.0")
    assert lines["参加视察、调研"].points == Decimal("10.0")
    assert points.score_totals([person.pk], 2026)[person.pk] == Decimal("30.0")


def test_a_scheme_change_from_july_recomputes_only_july_onward(world):
    scheme = world.scheme
    person = _deputies(world, 1)[0]
    for month in (3, 9):
        services.activity_create(
            actor=world.user("county"),
            region=world.county,
            kind=DutyKind.INSPECTION,
            title=f"{month}月视察",
            held_on=datetime.date(2026, month, 3),
            participants={person: Attendance.PRESENT},
        )
    early = list(
        ScoreLine.objects.filter(person=person, month__lt=7).values_list("pk", "item", "points")
    )
    v2 = services.scheme_create(
        actor=world.user("county"),
        region=world.county,
        name="修订后的积分办法",
        effective_from=datetime.date(2026, 7, 1),
        source="测试县人大常委会 2026 年修订",
        copy_from=scheme,
    )
    inspection = v2.items.get(name="参加视察、调研")
    services.scheme_item_save(
        actor=world.user("county"),
        category=inspection.category,
        item=inspection,
        name=inspection.name,
        basis=inspection.basis,
        points_each=5,
        cap=10,
        kinds=[(DutyKind.INSPECTION, Attendance.PRESENT)],
    )
    scheme.refresh_from_db()
    assert scheme.effective_to == datetime.date(2026, 6, 30)
    # The months before July keep exactly the lines the old version gave them.
    assert (
        list(
            ScoreLine.objects.filter(person=person, month__lt=7).values_list("pk", "item", "points")
        )
        == early
    )
    september = ScoreLine.objects.get(person=person, month=9)
    assert september.item == inspection and september.points == Decimal("5.0")
    # 20 base (old version, January) + 2 (March, old) + 5 (September, new).
    assert points.score_totals([person.pk], 2026)[person.pk] == Decimal("27.0")


def test_a_township_scheme_overrides_the_county_scheme_for_its_deputies(world):
    build_scheme(world, region=world.township, name="青山镇积分办法")
    assert points.scheme_for(world.township, datetime.date(2026, 5, 1)).name == "青山镇积分办法"
    assert points.scheme_for(world.other_township, datetime.date(2026, 5, 1)).name == "测试积分办法"


def test_no_scheme_means_no_scores(world):
    Correction.objects.all().delete()
    PointsScheme.objects.all().delete()
    person = _deputies(world, 1)[0]
    services.activity_create(
        actor=world.user("county"),
        region=world.county,
        kind=DutyKind.INSPECTION,
        title="视察",
        held_on=datetime.date(2026, 5, 12),
        participants={person: Attendance.PRESENT},
    )
    assert points.score_totals([person.pk], 2026) == {}


def _bulk_deputies(world, n, activity_kind=DutyKind.INSPECTION):
    from renda.deputies.models import Mandate, Person

    people = Person.objects.bulk_create(
        Person(
            name=f"批量代表{i}",
            gender="male",
            birth_date=datetime.date(1970, 1, 1),
            party="cpc",
            occupation="farmer",
            education="senior",
            region=world.township,
        )
        for i in range(n)
    )
    Mandate.objects.bulk_create(
        Mandate(
            person=p, level="township", term_label="第十八届", elected_on=datetime.date(2021, 1, 1)
        )
        for p in people
    )
    DutyRecord.objects.bulk_create(
        DutyRecord(
            person=p,
            kind=activity_kind,
            occurred_on=datetime.date(2026, month, 5),
            title="视察",
            entered_by=world.user("county"),
        )
        for p in people
        for month in (2, 5)
    )
    return people


@pytest.mark.parametrize("n", [10, 10_000])
def test_scores_recompute_in_the_same_number_of_queries_for_10_or_10000_deputies(world, n):
    _bulk_deputies(world, n)
    with CaptureQueriesContext(connection) as queries:
        points.score_recompute(year=2026, region=world.county)
    assert len(queries) == 7
    assert ScoreLine.objects.filter(person__name__startswith="批量代表").count() == 3 * n
    sample = DutyRecord.objects.filter(person__name__startswith="批量代表").first().person_id
    assert points.score_totals([sample], 2026)[sample] == Decimal("24.0")


def test_receptions_and_collected_opinions_credit_the_deputies_on_duty(world):
    """Records from other capabilities arrive through the one interface."""
    kinds = set(
        DutyRecord.objects.filter(person=world.person).values_list("kind", "source_type__model")
    )
    assert (DutyKind.RECEPTION, "reception") in kinds
    assert (DutyKind.OPINION, "opinion") in kinds


def test_a_submitted_suggestion_credits_its_lead_and_co_signers_and_withdrawal_takes_it_back(world):
    from renda.suggestions import services as suggestion_services

    draft = world.draft
    draft.authorships.create(person=world.county_person, role="co")
    suggestion_services.suggestion_submit(suggestion=draft, actor=world.user("deputy"))
    credited = dict(
        DutyRecord.objects.filter(source_id=draft.pk, source_type__model="suggestion").values_list(
            "person__name", "kind"
        )
    )
    assert credited == {"王春燕": DutyKind.SUGGESTION, "张三": DutyKind.JOINT_SUGGESTION}
    suggestion_services.suggestion_withdraw(
        suggestion=draft, actor=world.user("deputy"), reason="问题已解决"
    )
    assert not DutyRecord.objects.filter(source_id=draft.pk, source_type__model="suggestion")
