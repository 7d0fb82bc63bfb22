"""Deadlines of suggestions, computed from versioned rules (issue 4).

Every expected date below is worked out by hand from the State Council's
holiday notices (国务院办公厅关于2025年、2026年部分节假日安排的通知), not
computed by the code under test:

2025  Spring Festival: 28 Jan - 4 Feb off; Sun 26 Jan and Sat 8 Feb worked.
      National Day and Mid-Autumn: 1 - 8 Oct off; Sun 28 Sep and Sat 11 Oct worked.
2026  Spring Festival: 15 - 23 Feb off; Sat 14 Feb and Sat 28 Feb worked.
      Mid-Autumn: 25 - 27 Sep off. National Day: 1 - 7 Oct off;
      Sun 20 Sep and Sat 10 Oct worked.

A working-day period does not count its first day: "5 working days from
Friday" ends on the next Friday in an ordinary week. A month period ends on
the same day of the month, or on the month's last day if it has none
(民法典第二百零一条、第二百零二条).

The cast's rules (conftest.py): reply 3 months (national, `world.rule`),
complex items 6, re-handling 2, co-unit opinion 1 month, return window and
between-session assignment 5 working days, all from 2020-01-01 and all
citing "测试依据第一条".
"""

import datetime

import pytest

from renda.core.rules import RuleMissing
from renda.core.services import rule_set
from renda.core.tests import factories as f
from renda.suggestions import deadlines, services
from renda.suggestions.models import (
    OPEN_DEADLINE_STATES,
    Assignment,
    Deadline,
    DeadlineKind,
    DeadlineState,
    Status,
)
from renda.suggestions.tests.helpers import submitted_item

D = datetime.date
SOURCE = "测试依据第一条"


@pytest.fixture
def clock(monkeypatch):
    """Sets the day the services believe it is."""

    def set_today(day: datetime.date) -> None:
        monkeypatch.setattr(services, "_today", lambda: day)

    return set_today


def assign_on(world, clock, day, *, occasion="session", is_complex=False, co_units=()):
    """A new item of 青山镇, accepted and assigned to 县交通运输局 on `day`."""
    clock(day)
    clerk = world.user("township")
    item = submitted_item(world, title=f"关于{day:%m月%d日}交办事项的建议", occasion=occasion)
    services.suggestion_accept(suggestion=item, actor=clerk, final_kind="suggestion")
    services.suggestion_assign(
        suggestion=item,
        actor=clerk,
        lead_unit=world.county_unit,
        co_units=co_units,
        is_complex=is_complex,
    )
    return item


def deadline(item, kind) -> Deadline:
    return Deadline.objects.select_related("rule").get(
        suggestion=item, kind=kind, state__in=OPEN_DEADLINE_STATES
    )


# --- the calendar ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 14), True),  # Saturday, worked before Spring Festival
        (D(2026, 2, 16), False),  # Monday within Spring Festival
        (D(2026, 2, 28), True),  # Saturday, worked after Spring Festival
        (D(2026, 9, 20), True),  # Sunday, worked before National Day
        (D(2026, 9, 25), False),  # Friday, Mid-Autumn
        (D(2026, 10, 7), False),  # Wednesday, National Day
        (D(2026, 10, 10), True),  # Saturday, worked after National Day
        (D(2026, 10, 11), False),  # an ordinary Sunday
        (D(2025, 2, 8), True),  # Saturday, worked after Spring Festival 2025
        (D(2025, 10, 8), False),  # Wednesday, National Day 2025
    ],
)
def test_working_days_follow_the_official_calendar_with_make_up_days(day, working):
    assert deadlines.is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Fri 24 Jan 2025: Sun 26 Jan (make-up), Mon 27 Jan, then 5, 6, 7 Feb.
        (D(2025, 1, 24), D(2025, 2, 7)),
        # Mon 27 Jan 2025, the last working day before Spring Festival:
        # 5, 6, 7 Feb, Sat 8 Feb (make-up), Mon 10 Feb.
        (D(2025, 1, 27), D(2025, 2, 10)),
        # Fri 26 Sep 2025: Sun 28 Sep (make-up), 29, 30 Sep, then 9, 10 Oct.
        (D(2025, 9, 26), D(2025, 10, 10)),
        # Tue 30 Sep 2025, the last working day before National Day:
        # 9, 10 Oct, Sat 11 Oct (make-up), 13, 14 Oct.
        (D(2025, 9, 30), D(2025, 10, 14)),
    ],
)
def test_five_working_days_across_the_2025_holidays(start, expected):
    assert deadlines.add_working_days(start, 5) == expected


# --- working-day periods through the services -----------------------------------------


@pytest.mark.parametrize(
    ("assigned", "expected"),
    [
        # Fri 13 Feb: Sat 14 Feb (make-up), then 24, 25, 26, 27 Feb.
        (D(2026, 2, 13), D(2026, 2, 27)),
        # Sat 14 Feb, the last working day before Spring Festival:
        # 24, 25, 26, 27 Feb and Sat 28 Feb (make-up).
        (D(2026, 2, 14), D(2026, 2, 28)),
        # Assigned during the holiday (Mon 16 Feb): the same five days.
        (D(2026, 2, 16), D(2026, 2, 28)),
        # Tue 10 Feb: 11, 12, 13 Feb, Sat 14 Feb, then Tue 24 Feb.
        (D(2026, 2, 10), D(2026, 2, 24)),
    ],
)
def test_the_return_window_across_spring_festival_2026(world, clock, assigned, expected):
    """A unit returns a misassigned item within 5 working days of assignment."""
    item = assign_on(world, clock, assigned)
    window = deadline(item, DeadlineKind.RETURN)
    assert (window.start_on, window.due_on) == (assigned, expected)
    assert window.rule.key == "suggestion.return_working_days"
    assert window.rule.source == SOURCE
    assert window.explanation == (
        f"自交办之日（{assigned:%Y年%m月%d日}）起 5 个工作日（按法定节假日及调休计算）"
    )


@pytest.mark.parametrize(
    ("assigned", "expected"),
    [
        # Wed 30 Sep, the last working day before National Day:
        # Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13 Oct.
        (D(2026, 9, 30), D(2026, 10, 13)),
        # Fri 18 Sep: Sun 20 Sep (make-up), 21, 22, 23, 24 Sep.
        (D(2026, 9, 18), D(2026, 9, 24)),
        # Thu 24 Sep: Fri 25 is Mid-Autumn; 28, 29, 30 Sep, 8, 9 Oct.
        (D(2026, 9, 24), D(2026, 10, 9)),
    ],
)
def test_the_return_window_across_national_day_2026(world, clock, assigned, expected):
    item = assign_on(world, clock, assigned)
    assert deadline(item, DeadlineKind.RETURN).due_on == expected


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (D(2026, 2, 13), D(2026, 2, 27)),  # Sat 14 Feb, then 24-27 Feb
        (D(2026, 2, 14), D(2026, 2, 28)),  # last working day before Spring Festival
        (D(2026, 9, 30), D(2026, 10, 13)),  # last working day before National Day
        (D(2026, 10, 3), D(2026, 10, 13)),  # received on a holiday: 8, 9, 10, 12, 13 Oct
    ],
)
def test_a_between_session_item_is_assigned_within_five_working_days(
    world, clock, received, expected
):
    clock(received)
    item = submitted_item(world, occasion="interim")
    window = deadline(item, DeadlineKind.ASSIGN)
    assert (window.start_on, window.due_on) == (received, expected)
    assert window.rule.key == "suggestion.interim_assign_working_days"
    assert window.rule.source == SOURCE
    assert window.explanation.startswith(f"自收到之日（{received:%Y年%m月%d日}）起 5 个工作日")


# --- month periods ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 8, 31), 3, D(2026, 11, 30)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2027, 11, 30), 3, D(2028, 2, 29)),  # 2028 is a leap year
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 3, 31), 6, D(2026, 9, 30)),
        (D(2026, 10, 31), 4, D(2027, 2, 28)),
        (D(2026, 12, 15), 2, D(2027, 2, 15)),
    ],
)
def test_a_month_period_ends_on_the_same_day_or_the_months_last_day(start, months, expected):
    assert deadlines.add_months(start, months) == expected


@pytest.mark.parametrize(
    ("assigned", "expected"),
    [
        (D(2026, 8, 31), D(2026, 11, 30)),
        (D(2026, 11, 30), D(2027, 2, 28)),
        (D(2027, 11, 30), D(2028, 2, 29)),
        (D(2026, 3, 2), D(2026, 6, 2)),
    ],
)
def test_the_reply_is_due_three_months_after_assignment(world, clock, assigned, expected):
    item = assign_on(world, clock, assigned)
    reply = deadline(item, DeadlineKind.REPLY)
    assert (reply.start_on, reply.due_on) == (assigned, expected)
    assert reply.rule == world.rule
    assert reply.rule.source == SOURCE
    assert reply.explanation == f"自交办之日（{assigned:%Y年%m月%d日}）起 3 个月"


@pytest.mark.parametrize(
    ("assigned", "expected"),
    [(D(2026, 1, 31), D(2026, 2, 28)), (D(2028, 1, 31), D(2028, 2, 29))],
)
def test_a_co_unit_answers_the_lead_unit_within_one_month(world, clock, assigned, expected):
    item = assign_on(world, clock, assigned, co_units=[world.township_unit])
    opinion = deadline(item, DeadlineKind.CO_OPINION)
    assert opinion.due_on == expected
    assert opinion.assignment.unit == world.township_unit
    assert opinion.rule.key == "suggestion.co_opinion_months"
    assert opinion.explanation == f"自交办之日（{assigned:%Y年%m月%d日}）起 1 个月"


def test_a_complex_item_has_six_months(world, clock):
    item = assign_on(world, clock, D(2026, 3, 31), is_complex=True)
    reply = deadline(item, DeadlineKind.REPLY)
    assert reply.due_on == D(2026, 9, 30)
    assert reply.rule.key == "suggestion.reply_months_complex"
    assert reply.rule.source == SOURCE
    assert reply.explanation == "自交办之日（2026年03月31日）起 6 个月"


def test_rehandling_after_not_satisfied_has_two_months(world, clock):
    item = assign_on(world, clock, D(2026, 10, 30))
    unit_user = world.user("unit")
    services.assignment_sign(assignment=item.assignments.get(role="lead"), actor=unit_user)
    clock(D(2026, 12, 31))
    reply = services.reply_submit(
        suggestion=item,
        unit=world.county_unit,
        actor=unit_user,
        reply_class="A",
        text="已安排维修",
        signed_by="孙局长",
        replied_on=D(2026, 12, 31),
    )
    services.evaluation_record(
        reply=reply,
        person=world.person,
        actor=world.user("deputy"),
        rating="dissatisfied",
        comment="没有实地察看",
    )
    rehandle = deadline(item, DeadlineKind.REHANDLE)
    assert (rehandle.start_on, rehandle.due_on) == (D(2026, 12, 31), D(2027, 2, 28))
    assert rehandle.rule.key == "suggestion.rehandle_months"
    assert rehandle.explanation == "自代表评价不满意之日（2026年12月31日）起 2 个月"
    assert Deadline.objects.get(suggestion=item, kind=DeadlineKind.REPLY).state == (
        DeadlineState.MET
    )


# --- counting from the session's close ---------------------------------------------------


def test_a_session_item_counts_from_the_sessions_close_where_the_rule_says_so(world, clock):
    f.RuleFactory(
        key="suggestion.reply_counted_from",
        region=world.township,
        value="session_close",
        source="青山镇人大主席团代表建议办理办法第八条",
    )
    world.session.closed_on = D(2026, 1, 14)
    world.session.save(update_fields=["closed_on"])

    session_item = assign_on(world, clock, D(2026, 2, 10))
    reply = deadline(session_item, DeadlineKind.REPLY)
    assert (reply.start_on, reply.due_on) == (D(2026, 1, 14), D(2026, 4, 14))
    assert reply.explanation == "自闭会之日（2026年01月14日）起 3 个月"
    assert reply.rule == world.rule
    # The return window still runs from the assignment: 11, 12, 13 Feb,
    # Sat 14 Feb (make-up), then Tue 24 Feb after Spring Festival.
    assert deadline(session_item, DeadlineKind.RETURN).due_on == D(2026, 2, 24)

    interim_item = assign_on(world, clock, D(2026, 2, 10), occasion="interim")
    reply = deadline(interim_item, DeadlineKind.REPLY)
    assert (reply.start_on, reply.due_on) == (D(2026, 2, 10), D(2026, 5, 10))
    assert reply.explanation == "自交办之日（2026年02月10日）起 3 个月"


def test_without_the_rule_a_session_item_counts_from_assignment(world, clock):
    world.session.closed_on = D(2026, 1, 14)
    world.session.save(update_fields=["closed_on"])
    item = assign_on(world, clock, D(2026, 2, 10))
    assert deadline(item, DeadlineKind.REPLY).due_on == D(2026, 5, 10)


# --- extensions ----------------------------------------------------------------------


def request_extension(world, reply_deadline, until):
    return services.extension_request(
        deadline=reply_deadline,
        unit=world.county_unit,
        actor=world.user("unit"),
        requested_until=until,
        reason="需协调省级资金",
    )


def test_an_approved_extension_moves_the_date_and_keeps_the_original(world, clock):
    item = assign_on(world, clock, D(2026, 3, 2))
    clerk = world.user("township")
    first = request_extension(world, deadline(item, DeadlineKind.REPLY), D(2026, 7, 31))
    services.extension_decide(request=first, actor=clerk, approve=True, note="同意")
    reply = deadline(item, DeadlineKind.REPLY)
    assert (reply.due_on, reply.extended_from, reply.state) == (
        D(2026, 7, 31),
        D(2026, 6, 2),
        DeadlineState.OPEN,
    )
    assert reply.rule == world.rule  # the rule that set the original date stays shown

    second = request_extension(world, reply, D(2026, 8, 31))
    services.extension_decide(request=second, actor=clerk, approve=True)
    reply = deadline(item, DeadlineKind.REPLY)
    assert (reply.due_on, reply.extended_from) == (D(2026, 8, 31), D(2026, 6, 2))


def test_a_refused_extension_changes_nothing(world, clock):
    item = assign_on(world, clock, D(2026, 3, 2))
    request = request_extension(world, deadline(item, DeadlineKind.REPLY), D(2026, 7, 31))
    services.extension_decide(
        request=request, actor=world.user("township"), approve=False, note="理由不充分"
    )
    reply = deadline(item, DeadlineKind.REPLY)
    assert (reply.due_on, reply.extended_from, reply.state) == (
        D(2026, 6, 2),
        None,
        DeadlineState.OPEN,
    )


# --- changing a rule ------------------------------------------------------------------


def test_a_new_rule_version_applies_only_to_items_assigned_from_its_date(world, clock):
    before = assign_on(world, clock, D(2026, 6, 15))
    new_rule = rule_set(
        key="suggestion.reply_months",
        region=None,
        value=2,
        effective_from=D(2026, 7, 1),
        source="某省实施代表法办法（2026年修订）第二十条",
        actor=world.user("admin"),
    )
    world.rule.refresh_from_db()
    assert world.rule.effective_to == D(2026, 6, 30)

    day_before = assign_on(world, clock, D(2026, 6, 30))
    on_the_day = assign_on(world, clock, D(2026, 7, 1))

    # Stored deadlines do not move when a rule changes.
    old = deadline(before, DeadlineKind.REPLY)
    assert (old.due_on, old.rule) == (D(2026, 9, 15), world.rule)
    old = deadline(day_before, DeadlineKind.REPLY)
    assert (old.due_on, old.rule, old.explanation) == (
        D(2026, 9, 30),
        world.rule,
        "自交办之日（2026年06月30日）起 3 个月",
    )
    new = deadline(on_the_day, DeadlineKind.REPLY)
    assert (new.due_on, new.rule, new.explanation) == (
        D(2026, 9, 1),
        new_rule,
        "自交办之日（2026年07月01日）起 2 个月",
    )
    assert new.rule.source == "某省实施代表法办法（2026年修订）第二十条"


def test_a_township_rule_overrides_the_national_one_for_that_township_only(world, clock):
    rule_set(
        key="suggestion.reply_months",
        region=world.township,
        value=2,
        effective_from=D(2026, 7, 1),
        source="青山镇人大主席团代表建议办理办法第十条",
        actor=world.user("admin"),
    )
    ours = assign_on(world, clock, D(2026, 7, 1))
    assert deadline(ours, DeadlineKind.REPLY).due_on == D(2026, 9, 1)
    theirs = deadlines.reply_due(
        region=world.other_township,
        assigned_on=D(2026, 7, 1),
        is_complex=False,
        session_closed_on=None,
    )
    assert (theirs.due_on, theirs.rule) == (D(2026, 10, 1), world.rule)


# --- a missing rule -----------------------------------------------------------------


def test_a_missing_rule_refuses_the_assignment_with_a_chinese_message(world, clock):
    clerk = world.user("township")
    item = submitted_item(world)
    services.suggestion_accept(suggestion=item, actor=clerk, final_kind="suggestion")
    clock(D(2019, 12, 31))  # the cast's rules are in force from 2020-01-01
    with pytest.raises(RuleMissing) as refused:
        services.suggestion_assign(suggestion=item, actor=clerk, lead_unit=world.county_unit)
    assert str(refused.value) == (
        "青山镇在 2019-12-31 没有生效的规则“suggestion.reply_months”，请先在规则设置中添加"
    )
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED  # nothing half-done
    assert not Assignment.objects.filter(suggestion=item).exists()
    assert not Deadline.objects.filter(suggestion=item).exists()


def test_a_missing_working_day_rule_names_its_key(world):
    with pytest.raises(RuleMissing, match="没有生效的规则“suggestion.no_such_rule”"):
        deadlines.working_days_due(
            "suggestion.no_such_rule", region=world.township, start=D(2026, 3, 2), basis="交办之日"
        )


# --- every deadline shows its rule ------------------------------------------------------


def test_every_computed_deadline_shows_its_rule_and_source(world, clock):
    assign_on(world, clock, D(2026, 3, 2), occasion="interim", co_units=[world.township_unit])
    computed = list(Deadline.objects.select_related("rule"))
    assert {d.kind for d in computed} >= {
        DeadlineKind.ASSIGN,
        DeadlineKind.REPLY,
        DeadlineKind.RETURN,
        DeadlineKind.CO_OPINION,
    }
    for item_deadline in computed:
        assert item_deadline.rule is not None
        assert item_deadline.rule.source
        assert f"{item_deadline.start_on:%Y年%m月%d日}" in item_deadline.explanation
