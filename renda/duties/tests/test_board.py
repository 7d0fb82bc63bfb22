"""The public disclosure board shows each deputy's latest published
evaluation result (renda.deputies.selectors.published_evaluations), and
nothing from a round the office keeps to itself."""

import datetime

from django.urls import reverse

from renda.core.tests.helpers import assert_pinned_queries
from renda.deputies.tests.factories import MandateFactory, PersonFactory
from renda.duties import services
from renda.duties.models import RoundKind, RoundMethod


def voters_round(world, title, *, month, value, publish, voters=40, subject=None):
    """A closed voters' evaluation of 东河村's station for one month."""
    clerk = world.user("township")
    evaluation = services.round_create(
        actor=clerk,
        region=world.township,
        kind=RoundKind.VOTER,
        method=RoundMethod.SCORE,
        title=title,
        period_from=datetime.date(2026, month, 1),
        period_to=datetime.date(2026, month, 28),
        station=world.station,
    )
    services.evaluation_enter(
        round=evaluation,
        actor=clerk,
        subject=subject or world.person,
        voters=voters,
        value=value,
        comment="群众反映她接待热情",
    )
    services.round_close(round=evaluation, actor=clerk, publish=publish)
    return evaluation


def board(client, world) -> str:
    return client.get(reverse("deputies:disclosure", args=[world.constituency.pk])).content.decode()


def test_the_board_shows_the_latest_published_result_and_never_an_unpublished_one(world, client):
    voters_round(world, "东河村联络站第二季度选民评议", month=6, value=88, publish=True)
    voters_round(world, "东河村联络站第三季度选民评议", month=9, value=93.5, publish=True)
    voters_round(world, "东河村联络站10月选民评议", month=10, value=61, publish=False)
    page = board(client, world)
    assert "评议结果：" in page and "93.5分（东河村联络站第三季度选民评议）" in page
    for hidden in ("第二季度", "10月选民评议", "61.0", "接待热情"):
        assert hidden not in page
    # An open round and the fixture's open peer round show nothing either.
    assert "10月互评" not in page


def test_a_board_without_published_results_shows_no_result_line(world, client):
    voters_round(world, "东河村联络站第三季度选民评议", month=9, value=93.5, publish=False)
    assert "评议结果" not in board(client, world)


def test_the_board_reads_a_fixed_number_of_queries_however_many_deputies(world, client):
    voters_round(world, "东河村联络站第三季度选民评议", month=9, value=90, publish=True)

    def load():
        assert (
            client.get(reverse("deputies:disclosure", args=[world.constituency.pk])).status_code
            == 200
        )

    def add_rows():
        for n in range(5):
            person = PersonFactory(name=f"代表{n}", region=world.township)
            MandateFactory(person=person, term=world.term, constituency=world.constituency)
            world.station.resident_deputies.add(person)
            voters_round(world, f"补评{n}", month=9, value=80 + n, publish=True, subject=person)

    assert_pinned_queries(load, add_rows, expected=3)
