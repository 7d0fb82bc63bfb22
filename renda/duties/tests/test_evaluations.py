"""Evaluation pages as deputies and clerks use them: peer rating with its
refusals, results and star ratings, voters' tallies, the four-good
deputy list, and the duty-report figure."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from renda.core.tests.helpers import assert_waits_for_a_county, options
from renda.deputies.models import Station
from renda.deputies.tests import factories as d
from renda.duties import services
from renda.duties.models import (
    DutyKind,
    DutyRecord,
    EvaluationEntry,
    EvaluationRound,
    FourGoodSelection,
    RoundKind,
    RoundMethod,
)


def test_peer_rating_refuses_rating_oneself_and_deputies_outside_the_station(world, client_for):
    world.station.resident_deputies.add(world.county_person)
    rate = reverse("duties:round_rate", args=[world.round.pk])
    page = client_for("deputy").get(rate).content.decode()
    assert f'name="value_{world.county_person.pk}"' in page
    assert f'name="value_{world.person.pk}"' not in page

    # A forged rating of herself is refused, and the peer rating sent with it not kept.
    response = client_for("deputy").post(
        rate, {f"value_{world.county_person.pk}": "4", f"value_{world.person.pk}": "5"}
    )
    assert response.status_code == 200
    assert "王春燕：互评不能评价本人" in response.content.decode()
    assert not EvaluationEntry.objects.filter(round=world.round).exists()

    # A comment with a NUL character (no one types one; PostgreSQL refuses it) is named.
    response = client_for("deputy").post(
        rate,
        {f"value_{world.county_person.pk}": "4", f"comment_{world.county_person.pk}": "积\x00极"},
    )
    assert "评语含有无效字符（空字符），请删除后重试" in response.content.decode()
    assert not EvaluationEntry.objects.filter(round=world.round).exists()

    response = client_for("deputy").post(
        rate, {f"value_{world.county_person.pk}": "4", f"comment_{world.county_person.pk}": "积极"}
    )
    assert response.status_code == 302
    entry = EvaluationEntry.objects.get(round=world.round)
    assert (entry.subject, entry.evaluator, entry.value) == (
        world.county_person,
        world.person,
        Decimal("4.0"),
    )

    elsewhere = services.round_create(
        actor=world.user("township"),
        region=world.township,
        kind=RoundKind.PEER,
        method=RoundMethod.STARS,
        title="青山镇集镇联络站10月互评",
        period_from=datetime.date(2026, 10, 1),
        period_to=datetime.date(2026, 10, 31),
        station=d.StationFactory(
            name="青山镇集镇代表联络站",
            region=world.township,
            resident_deputies=[world.county_person],
        ),
    )
    rate = reverse("duties:round_rate", args=[elsewhere.pk])
    assert "您不在本次评议范围内" in client_for("deputy").get(rate).content.decode()
    response = client_for("deputy").post(rate, {f"value_{world.county_person.pk}": "5"})
    assert "张三：您不在本次评议范围内" in response.content.decode()
    assert not EvaluationEntry.objects.filter(round=elsewhere).exists()

    # Results: staff see them at once, deputies once the round is closed and published.
    detail = reverse("duties:round_detail", args=[world.round.pk])
    assert "评议结果尚未公开" in client_for("deputy").get(detail).content.decode()
    staff = client_for("township").get(detail)
    row = next(r for r in staff.context["results"] if r["person"] == world.county_person)
    assert (row["count"], row["average"], row["stars"]) == (1, Decimal("4.0"), 4)
    close = reverse("duties:round_close", args=[world.round.pk])
    assert client_for("township").post(close, {"publish": "on"}).status_code == 302
    page = client_for("deputy").get(detail).content.decode()
    assert 'data-stars="4">★★★★☆' in page


def _self_round(world) -> dict:
    """The form of 青山镇's self-evaluation round for the year."""
    return {
        "kind": "self",
        "method": "score",
        "title": "青山镇2026年度代表自评",
        "region": world.township.pk,
        "period_from": "2026-01-01",
        "period_to": "2026-11-30",
    }


def test_the_four_good_list_ranks_self_group_and_duty_report_results(world, client_for):
    response = client_for("township").post(reverse("duties:round_create"), _self_round(world))
    assert response.status_code == 302
    self_round = EvaluationRound.objects.get(title="青山镇2026年度代表自评")
    rate = reverse("duties:round_rate", args=[self_round.pk])
    assert client_for("deputy").post(rate, {f"value_{world.person.pk}": "90"}).status_code == 302

    voters = services.round_create(
        actor=world.user("township"),
        region=world.township,
        kind=RoundKind.DUTY_REPORT,
        method=RoundMethod.STARS,
        title="青山镇2026年代表述职评议",
        period_from=datetime.date(2026, 7, 1),
        period_to=datetime.date(2026, 7, 31),
    )
    enter = reverse("duties:round_enter", args=[voters.pk])
    tally = {"subject": world.person.pk, "voters": "", "value": "4.5"}
    response = client_for("township").post(enter, tally)
    assert "参评选民人数：请填写参评选民人数" in response.content.decode()
    assert client_for("township").post(enter, {**tally, "voters": 40}).status_code == 302

    page = client_for("township").get(reverse("duties:four_good") + "?year=2026")
    first = page.context["rows"][0]
    # Self 90, duty-report round 4.5 stars = 90, duty-report satisfaction 97.5%.
    assert first["person"] == world.person
    assert (first["self"], first["duty_report"], first["satisfaction"]) == (
        Decimal("90.0"),
        Decimal("90.0"),
        Decimal("97.5"),
    )
    assert first["score"] == Decimal("92.5")
    assert first["basis"] == "自评90.0分，述职评议90.0分，述职满意率97.5%"

    response = client_for("township").post(
        reverse("duties:four_good_select"),
        {"person": world.person.pk, "year": 2026, "basis": first["basis"]},
    )
    assert response.status_code == 302
    printed = client_for("township").get(reverse("duties:four_good_print") + "?year=2026")
    assert "王春燕" in printed.content.decode() and "述职满意率97.5%" in printed.content.decode()
    again = client_for("township").post(
        reverse("duties:four_good_select"),
        {"person": world.person.pk, "year": 2026, "basis": "重复"},
    )
    assert "王春燕已在2026年度四好人大代表名单中" in again.content.decode()

    selection = FourGoodSelection.objects.get(person=world.person, year=2026)
    unselect = reverse("duties:four_good_unselect", args=[selection.pk])
    assert client_for("other_township").post(unselect).status_code == 404
    assert client_for("township").post(unselect).status_code == 302
    assert not FourGoodSelection.objects.exists()


def test_the_duty_report_figure_counts_deputies_who_reported_and_satisfaction(world, client_for):
    url = reverse("duties:duty_report_list") + "?year=2026"
    figure = client_for("township").get(url).context["figure"]
    # 青山镇: 王春燕 reported (35 + 4 of 40 satisfied), 张三 did not.
    assert (figure["reported"], figure["total"], figure["share"], figure["satisfaction"]) == (
        1,
        2,
        Decimal("50.0"),
        Decimal("97.5"),
    )
    county = client_for("county").get(url)
    assert (county.context["figure"]["reported"], county.context["figure"]["total"]) == (1, 3)
    assert "已向选民述职 <strong" in county.content.decode()

    create = reverse("duties:duty_report_create")
    report = {
        "person": world.county_person.pk,
        "reported_on": "2026-11-02",
        "audience": "青山村选区选民代表",
        "attendees": 20,
        "satisfied": 18,
        "basically_satisfied": 2,
        "dissatisfied": 1,
    }
    response = client_for("township").post(create, report)
    assert "参加人数：满意、基本满意、不满意票数之和不能超过参加人数" in response.content.decode()

    response = client_for("township").post(create, {**report, "attendees": 21})

    assert response.status_code == 302
    assert DutyRecord.objects.filter(person=world.county_person, kind=DutyKind.DUTY_REPORT).exists()
    figure = client_for("township").get(url).context["figure"]
    # 2 of 2 reported; (39 + 20) satisfied of (40 + 21) votes.
    assert (figure["reported"], figure["share"], figure["satisfaction"]) == (
        2,
        Decimal("100.0"),
        Decimal("96.7"),
    )


@pytest.mark.parametrize(
    "name", ["duties:four_good_select", "duties:duty_report_create", "duties:award_create"]
)
def test_province_staff_pick_a_county_before_its_deputies(world, province, baisha, client, name):
    """The province's forms naming one deputy list a county's deputies, not
    the province's: the county is picked first, or comes with the deputy a
    link names."""
    client.force_login(province["user"])
    url = reverse(name)
    assert_waits_for_a_county(client.get(url).content.decode(), province, "person")
    picked = client.get(url, {"area": province["other"].code}).content.decode()
    assert options(picked, "person") == {str(baisha.pk)}
    named = client.get(url, {"person": baisha.pk})
    assert named.context["form"].area.chosen == province["other"]
    assert options(named.content.decode(), "person") == {str(baisha.pk)}


def test_province_staff_see_its_counties_and_a_picked_county_s_places_for_a_round(
    world, province, client
):
    client.force_login(province["user"])
    url = reverse("duties:round_create")
    waiting = client.get(url).content.decode()
    assert_waits_for_a_county(waiting, province, "station", "group")
    assert options(waiting, "region") == {str(world.county.pk), str(province["other"].pk)}
    picked = client.get(url, {"area": province["other"].code}).content.decode()
    assert options(picked, "region") == {
        str(world.county.pk),
        str(province["other"].pk),
        str(province["township"].pk),
    }
    station = Station.objects.get(region=province["township"])
    assert options(picked, "station") == {str(station.pk)}
    # The county's own township, not offered before a county is picked, is still taken.
    response = client.post(url, _self_round(world))
    assert response.status_code == 302
