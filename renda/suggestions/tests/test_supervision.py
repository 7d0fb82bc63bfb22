"""Supervision (督办): the daily deadline sweep, its notices, the command and
the periodic task, and the notices and supervision-board pages.

Every item here, the cast's own included, is assigned on Monday 2 March
2026 (the services' day is pinned before the cast is built), so:

- world.suggestion (青山镇, lead unit 县交通运输局, signed the same day):
  reply due Tue 2 June 2026 (3 months); its return window is met;
- world.other_suggestion (龙泉镇, between sessions, lead unit 龙泉镇村建中心,
  never signed): assignment window met on 2 March; reply due 2 June; return
  window open, due Mon 9 March (3, 4, 5, 6, 9 March);
- the national rule suggestion.due_soon_days is 15: a deadline is due soon
  from 15 days before its date (18 May for 2 June) and overdue the day after.
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from huey.contrib.djhuey import HUEY

from renda.core.models import Role, Rule
from renda.core.tests import factories as f
from renda.core.tests.helpers import assert_pinned_queries, count_queries
from renda.suggestions import services
from renda.suggestions.models import Deadline, DeadlineKind, DeadlineState, Notification
from renda.suggestions.supervision import deadline_sweep
from renda.suggestions.tasks import deadline_sweep_task
from renda.suggestions.tests.helpers import submitted_item
from renda.suggestions.views import supervision as supervision_views

D = datetime.date
ASSIGNED = D(2026, 3, 2)
OPEN, DUE_SOON, OVERDUE = DeadlineState.OPEN, DeadlineState.DUE_SOON, DeadlineState.OVERDUE


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The services' day, pinned before the cast is built (autouse fixtures
    come first); tests move it to assign more items."""
    day = {"today": ASSIGNED}
    monkeypatch.setattr(services, "_today", lambda: day["today"])

    def set_today(new_day: datetime.date) -> None:
        day["today"] = new_day

    return set_today


def states(item) -> dict[str, str]:
    return dict(Deadline.objects.filter(suggestion=item).values_list("kind", "state"))


def notices(item=None) -> set[tuple[str, str, str]]:
    """(user name, deadline kind, notice kind) of every notice (of one item)."""
    rows = Notification.objects.all()
    if item is not None:
        rows = rows.filter(suggestion=item)
    return set(rows.values_list("user__username", "deadline__kind", "kind"))


def assigned_item(world, *, title="关于东河村桥梁维修的建议", co_units=(), sign=True):
    clerk = world.user("township")
    item = submitted_item(world, title=title)
    services.suggestion_accept(suggestion=item, actor=clerk, final_kind="suggestion")
    lead = services.suggestion_assign(
        suggestion=item, actor=clerk, lead_unit=world.county_unit, co_units=co_units
    )
    if sign:
        services.assignment_sign(assignment=lead, actor=world.user("unit"))
    return item


def test_the_cast_starts_with_the_dates_this_module_relies_on(world):
    reply = world.suggestion.deadlines.get(kind=DeadlineKind.REPLY)
    assert (reply.due_on, reply.state) == (D(2026, 6, 2), OPEN)
    assert states(world.suggestion) == {"reply": OPEN, "return": DeadlineState.MET}
    assert states(world.other_suggestion) == {
        "assign": DeadlineState.MET,
        "reply": OPEN,
        "return": OPEN,
    }
    assert world.other_suggestion.deadlines.get(kind="return").due_on == D(2026, 3, 9)


# --- marking ---------------------------------------------------------------------------


def test_deadlines_become_due_soon_within_the_window_and_overdue_after_their_date(world):
    result = deadline_sweep(D(2026, 5, 17))  # 2 June is 16 days away
    assert (result["due_soon"], result["overdue"]) == (0, 1)
    assert states(world.suggestion) == {"reply": OPEN, "return": DeadlineState.MET}
    assert states(world.other_suggestion)["return"] == OVERDUE

    result = deadline_sweep(D(2026, 5, 18))  # 15 days away
    assert (result["date"], result["due_soon"], result["overdue"]) == ("2026-05-18", 2, 0)
    assert states(world.suggestion)["reply"] == DUE_SOON
    assert states(world.other_suggestion)["reply"] == DUE_SOON

    result = deadline_sweep(D(2026, 6, 2))  # due today: not yet overdue
    assert (result["due_soon"], result["overdue"]) == (0, 0)
    assert states(world.suggestion)["reply"] == DUE_SOON

    result = deadline_sweep(D(2026, 6, 3))
    assert (result["due_soon"], result["overdue"]) == (0, 2)
    assert states(world.suggestion) == {"reply": OVERDUE, "return": DeadlineState.MET}
    assert states(world.other_suggestion) == {
        "assign": DeadlineState.MET,
        "reply": OVERDUE,
        "return": OVERDUE,
    }


def test_an_open_deadline_past_its_date_goes_straight_to_overdue(world):
    result = deadline_sweep(D(2026, 6, 10))
    assert (result["due_soon"], result["overdue"]) == (0, 3)
    assert notices(world.suggestion) == {
        ("unit", "reply", "overdue"),
        ("township", "reply", "overdue"),
        ("county", "reply", "overdue"),
    }


def test_the_due_soon_window_is_each_regions_own_rule(world):
    f.RuleFactory(
        key="suggestion.due_soon_days",
        region=world.township,
        value=30,
        source="青山镇人大主席团代表建议督办办法第五条",
    )
    result = deadline_sweep(D(2026, 5, 3))  # 30 days before 2 June
    assert (result["due_soon"], result["regions_without_rule"]) == (1, [])
    assert states(world.suggestion)["reply"] == DUE_SOON
    assert states(world.other_suggestion)["reply"] == OPEN  # 龙泉镇 keeps 15 days


def test_a_region_without_the_rule_uses_fifteen_days_and_is_reported(world):
    Rule.objects.filter(key="suggestion.due_soon_days").delete()
    result = deadline_sweep(D(2026, 5, 17))
    assert result["due_soon"] == 0
    result = deadline_sweep(D(2026, 5, 18))
    assert (result["due_soon"], result["regions_without_rule"]) == (2, ["青山镇", "龙泉镇"])


def test_met_and_cancelled_deadlines_are_never_touched(world):
    services.suggestion_withdraw(
        suggestion=world.suggestion, actor=world.user("township"), reason="代表书面撤回"
    )
    assert states(world.suggestion) == {
        "reply": DeadlineState.CANCELLED,
        "return": DeadlineState.MET,
    }
    deadline_sweep(D(2026, 12, 31))
    assert states(world.suggestion) == {
        "reply": DeadlineState.CANCELLED,
        "return": DeadlineState.MET,
    }
    assert states(world.other_suggestion)["assign"] == DeadlineState.MET
    assert notices(world.suggestion) == set()


# --- notices ---------------------------------------------------------------------------


def test_notices_go_to_the_handling_unit_and_the_offices_above_the_item_only(world):
    deadline_sweep(D(2026, 5, 18))
    assert notices(world.suggestion) == {
        ("unit", "reply", "due_soon"),
        ("township", "reply", "due_soon"),
        ("county", "reply", "due_soon"),
    }
    assert notices(world.other_suggestion) == {
        ("other_unit", "reply", "due_soon"),
        ("other_township", "reply", "due_soon"),
        ("county", "reply", "due_soon"),
        ("other_unit", "return", "overdue"),
        ("other_township", "return", "overdue"),
        ("county", "return", "overdue"),
    }
    notice = Notification.objects.get(user=world.user("unit"))
    assert notice.text == "答复期限将于2026年06月02日届满：关于修缮东河村通组公路的建议"
    overdue = Notification.objects.get(user=world.user("other_unit"), kind="overdue")
    assert overdue.text == "退回期限已于2026年03月09日届满，现已逾期：关于龙泉镇集镇排水的建议"


def test_a_co_units_deadline_notifies_that_unit_and_the_lead_units_its_own(world):
    farm = f.UserFactory(username="farm", role=Role.UNIT, unit=world.township_unit)
    item = assigned_item(world, co_units=[world.township_unit])
    # The co-unit's opinion is due 2 April (one month): due soon from 18 March.
    deadline_sweep(D(2026, 3, 18))
    assert notices(item) == {
        ("farm", "co_opinion", "due_soon"),
        ("township", "co_opinion", "due_soon"),
        ("county", "co_opinion", "due_soon"),
    }
    deadline_sweep(D(2026, 5, 18))
    assert ("unit", "reply", "due_soon") in notices(item)
    assert set(farm.suggestion_notifications.values_list("deadline__kind", "kind")) == {
        ("co_opinion", "due_soon"),
        ("co_opinion", "overdue"),
    }


def test_an_unassigned_items_window_notifies_the_office_only(world):
    item = submitted_item(world, occasion="interim")  # received 2 March: assign by 9 March
    deadline_sweep(D(2026, 3, 10))
    assert notices(item) == {("township", "assign", "overdue"), ("county", "assign", "overdue")}


def test_inactive_accounts_get_no_notice(world):
    f.UserFactory(username="retired", role=Role.UNIT, unit=world.county_unit, is_active=False)
    deadline_sweep(D(2026, 5, 18))
    assert not Notification.objects.filter(user__username="retired").exists()


# --- idempotency -------------------------------------------------------------------------


def test_running_the_sweep_twice_changes_nothing_the_second_time(world):
    first = deadline_sweep(D(2026, 5, 18))
    assert (first["due_soon"], first["overdue"], first["notifications"]) == (2, 1, 9)
    before = (list(Deadline.objects.values_list("pk", "state")), Notification.objects.count())
    second = deadline_sweep(D(2026, 5, 18))
    assert (second["due_soon"], second["overdue"], second["notifications"]) == (0, 0, 0)
    assert (list(Deadline.objects.values_list("pk", "state")), Notification.objects.count()) == (
        before
    )
    next_day = deadline_sweep(D(2026, 5, 19))
    assert (next_day["due_soon"], next_day["overdue"], next_day["notifications"]) == (0, 0, 0)


def test_an_extended_deadline_is_swept_again_without_a_second_notice(world):
    deadline_sweep(D(2026, 5, 18))
    reply = world.suggestion.deadlines.get(kind=DeadlineKind.REPLY)
    request = services.extension_request(
        deadline=reply,
        unit=world.county_unit,
        actor=world.user("unit"),
        requested_until=D(2026, 6, 30),
        reason="汛期施工受阻",
    )
    services.extension_decide(request=request, actor=world.user("township"), approve=True)
    assert states(world.suggestion)["reply"] == OPEN
    result = deadline_sweep(D(2026, 6, 15))  # 15 days before 30 June
    assert result["due_soon"] == 1
    assert states(world.suggestion)["reply"] == DUE_SOON
    assert Notification.objects.filter(deadline=reply, kind="due_soon").count() == 3
    deadline_sweep(D(2026, 7, 1))
    assert Notification.objects.filter(deadline=reply, kind="overdue").count() == 3


def test_the_sweep_makes_the_same_number_of_queries_for_more_items_and_regions(world, clock):
    first = count_queries(lambda: deadline_sweep(D(2026, 5, 18)))
    # More of the same, and a third township with its own rule.
    third = f.TownshipFactory(code="990121103", name="白石乡", parent=world.county)
    f.RuleFactory(key="suggestion.due_soon_days", region=third, value=20, source="白石乡规定")
    congress = f.BodyFactory(region=third, kind="congress", name="白石乡人民代表大会")
    clerk = f.UserFactory(username="baishi", role=Role.TOWNSHIP_STAFF, region=third)
    for n in range(4):
        assigned_item(world, title=f"关于第{n}号事项的建议", sign=False)
        item = services.suggestion_draft(
            entered_by=clerk,
            congress=congress,
            occasion="interim",
            title=f"关于白石乡第{n}号事项的建议",
            body="具体内容",
            lead=world.other_person,
        )
        services.suggestion_submit(suggestion=item, actor=clerk)
        services.suggestion_accept(suggestion=item, actor=clerk, final_kind="suggestion")
        services.suggestion_assign(suggestion=item, actor=clerk, lead_unit=world.other_unit)
    # The first sweep moved the cast's deadlines; these move the new ones.
    second = count_queries(lambda: deadline_sweep(D(2026, 5, 18)))
    assert second == first
    assert Deadline.objects.filter(state=DUE_SOON).count() == 2 + 8


# --- the command and the periodic task ----------------------------------------------------


def test_the_command_sweeps_a_given_day_and_prints_the_counts(world):
    out = io.StringIO()
    call_command("sweep_deadlines", "--date", "2026-05-18", stdout=out)
    assert out.getvalue().strip() == "2026-05-18：即将到期 2 项，已逾期 1 项，新提醒 9 条"
    out = io.StringIO()
    call_command("sweep_deadlines", "--date", "2026-05-18", stdout=out)
    assert out.getvalue().strip() == "2026-05-18：即将到期 0 项，已逾期 0 项，新提醒 0 条"


def test_the_command_names_regions_without_the_rule(world):
    Rule.objects.filter(key="suggestion.due_soon_days").delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("sweep_deadlines", "--date", "2026-05-18", stdout=out, stderr=err)
    assert "青山镇、龙泉镇" in err.getvalue()


def test_the_command_refuses_a_bad_date(world):
    with pytest.raises(CommandError, match="日期格式有误"):
        call_command("sweep_deadlines", "--date", "2026-02-30")


def test_the_command_sweeps_today_by_default(world):
    out = io.StringIO()
    call_command("sweep_deadlines", stdout=out)
    assert "即将到期" in out.getvalue()


def test_the_periodic_task_runs_every_morning_at_half_past_six(world):
    task = deadline_sweep_task.s()
    assert task.validate_datetime(datetime.datetime(2026, 5, 18, 6, 30))  # noqa: DTZ001
    assert not task.validate_datetime(datetime.datetime(2026, 5, 18, 6, 31))  # noqa: DTZ001
    morning = HUEY.read_periodic(datetime.datetime(2026, 5, 18, 6, 30))  # noqa: DTZ001
    assert "deadline_sweep_task" in {type(t).__name__ for t in morning}
    result = deadline_sweep_task.call_local()
    assert set(result) == {"date", "due_soon", "overdue", "notifications", "regions_without_rule"}


# --- the notices page ----------------------------------------------------------------------


def test_a_user_sees_their_own_notices_newest_first_unread_highlighted(world, client_for):
    deadline_sweep(D(2026, 5, 18))
    urged = Notification.objects.create(
        user=world.user("unit"), suggestion=world.suggestion, kind="urged", text="催办：请加快办理"
    )
    Notification.objects.filter(pk=urged.pk).update(read_at=urged.created_at)
    response = client_for("unit").get(reverse("suggestions:notifications"))
    assert response.status_code == 200
    page = list(response.context["page"])
    assert [n.kind for n in page] == ["urged", "due_soon"]
    assert all(n.user == world.user("unit") for n in page)
    html = response.content.decode()
    assert html.count('data-unread="1"') == 1
    assert "未读 1 条" in html
    assert "答复期限将于2026年06月02日届满" in html
    assert reverse("suggestions:unit_detail", args=[world.suggestion.pk]) in html


def test_the_notices_page_makes_the_same_queries_for_many_notices(world, client_for):
    client = client_for("county")

    def get():
        assert client.get(reverse("suggestions:notifications")).status_code == 200

    def add_rows():
        Notification.objects.bulk_create(
            Notification(
                user=world.user("county"),
                suggestion=world.suggestion,
                kind="urged",
                text=f"催办{n}",
            )
            for n in range(60)
        )

    deadline_sweep(D(2026, 5, 18))
    # Session, user, the page's count and rows, the unread count, and the
    # base layout's user.region.
    assert_pinned_queries(get, add_rows, expected=6)


def test_marking_a_notice_read_is_for_its_owner_only(world, client_for):
    deadline_sweep(D(2026, 5, 18))
    notice = Notification.objects.get(user=world.user("unit"))
    url = reverse("suggestions:notification_read", args=[notice.pk])
    assert client_for("county").post(url).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None

    response = client_for("unit").post(url, {"next": "/suggestions/unit/"})
    assert (response.status_code, response["Location"]) == (302, "/suggestions/unit/")
    notice.refresh_from_db()
    first_read = notice.read_at
    assert first_read is not None
    response = client_for("unit").post(url, {"next": "https://example.com/"})
    assert response["Location"] == reverse("suggestions:notifications")
    notice.refresh_from_db()
    assert notice.read_at == first_read
    assert client_for("unit").get(url).status_code == 405


# --- the supervision board -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def board_day(monkeypatch):
    """The board's today: the day of the sweeps below."""
    monkeypatch.setattr(supervision_views, "_today", lambda: D(2026, 5, 18))


def board(client):
    response = client.get(reverse("suggestions:overdue"))
    assert response.status_code == 200
    return response


def summary(response) -> dict:
    return {g["name"]: (g["overdue"], g["due_soon"]) for g in response.context["groups"]}


def test_the_county_board_groups_every_townships_items_by_unit(world, client_for):
    deadline_sweep(D(2026, 5, 18))
    response = board(client_for("county"))
    assert summary(response) == {"龙泉镇村建中心": (1, 1), "县交通运输局": (0, 1)}
    assert (response.context["overdue"], response.context["due_soon"]) == (1, 2)
    groups = response.context["groups"]
    assert [d.kind for d in groups[0]["rows"]] == ["return", "reply"]  # overdue first
    html = response.content.decode()
    assert "逾期 70 天" in html  # 9 March to 18 May
    assert "还剩 15 天" in html
    assert "测试依据第一条" in html


def test_a_township_sees_only_its_own_items_on_the_board(world, client_for):
    deadline_sweep(D(2026, 5, 18))
    assert summary(board(client_for("township"))) == {"县交通运输局": (0, 1)}
    assert summary(board(client_for("other_township"))) == {"龙泉镇村建中心": (1, 1)}


def test_a_unit_sees_only_its_own_deadlines(world, client_for):
    item = assigned_item(world, co_units=[world.township_unit])
    deadline_sweep(D(2026, 5, 18))
    response = board(client_for("unit"))
    assert summary(response) == {"县交通运输局": (0, 2)}
    rows = [d for g in response.context["groups"] for d in g["rows"]]
    assert {(d.suggestion_id, d.kind) for d in rows} == {
        (world.suggestion.pk, "reply"),
        (item.pk, "reply"),
    }
    assert summary(board(client_for("other_unit"))) == {"龙泉镇村建中心": (1, 1)}


def test_the_board_filters_by_state(world, client_for):
    deadline_sweep(D(2026, 5, 18))
    response = client_for("county").get(reverse("suggestions:overdue"), {"state": "overdue"})
    assert summary(response) == {"龙泉镇村建中心": (1, 0)}


def test_an_empty_board_says_so(world, client_for):
    assert "没有即将到期或已逾期的办理期限" in board(client_for("county")).content.decode()


def test_the_board_makes_the_same_queries_for_many_items(world, client_for):
    client = client_for("county")

    def get():
        board(client)

    def add_rows():
        for n in range(5):
            assigned_item(world, title=f"关于第{n}号事项的建议", sign=False)
        deadline_sweep(D(2026, 5, 18))

    deadline_sweep(D(2026, 5, 18))
    assert_pinned_queries(get, add_rows, expected=5)
