"""Deadlines of suggestions, computed from the jurisdiction's rule set.

Each function returns the due date together with the rule row it applied
(so every page can show the rule and its source). Rules are read for the
date the period starts: changing a rule from a date changes deadlines only
for periods starting on or after it.

Rule keys (values in `Rule.value`):
- suggestion.reply_months (3) and suggestion.reply_months_complex (6):
  months to reply; Deputies Law: within three months of assignment, six for
  broad or hard items;
- suggestion.reply_counted_from ("assignment" or "session_close"): some
  places count session-period items from the session's close;
- suggestion.rehandle_months (1 or 2): re-handling after "not satisfied";
- suggestion.return_working_days (e.g. 5): a unit returns a misassigned item
  within this many working days of assignment;
- suggestion.interim_assign_working_days (5): between-session items are
  assigned within this many working days of receipt;
- suggestion.co_opinion_months (1): co-units answer the lead unit.
Working days follow the official calendar with make-up days (chinese_calendar).
"""

import calendar
import datetime
from dataclasses import dataclass

import chinese_calendar

from renda.core.models import Region, Rule
from renda.core.rules import RuleMissing, rule_in_force


@dataclass(frozen=True)
class Due:
    due_on: datetime.date
    start_on: datetime.date
    rule: Rule
    explanation: str


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day if it has none:
    31 Aug + 3 months = 30 Nov."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_working_day(day: datetime.date) -> bool:
    """Official working day, make-up Saturdays included; outside the years the
    calendar package knows, Monday to Friday."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `day` (the start day itself not counted)."""
    current = day
    while count > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def _rule(key: str, region: Region, on: datetime.date) -> Rule:
    rule = rule_in_force(key, region, on)
    if rule is None:
        raise RuleMissing(
            f"{region.name}在 {on:%Y-%m-%d} 没有生效的规则“{key}”，请先在规则设置中添加"
        )
    return rule


def _number(rule: Rule) -> int:
    value = rule.value.get("value") if isinstance(rule.value, dict) else rule.value
    return int(value)


def reply_due(
    *,
    region: Region,
    assigned_on: datetime.date,
    is_complex: bool,
    session_closed_on: datetime.date | None,
) -> Due:
    """The lead unit's reply deadline."""
    key = "suggestion.reply_months_complex" if is_complex else "suggestion.reply_months"
    counted = rule_in_force("suggestion.reply_counted_from", region, assigned_on)
    start, basis = assigned_on, "交办之日"
    if counted is not None and counted.value == "session_close" and session_closed_on:
        start, basis = session_closed_on, "闭会之日"
    rule = _rule(key, region, start)
    months = _number(rule)
    return Due(
        add_months(start, months), start, rule, f"自{basis}（{start:%Y年%m月%d日}）起 {months} 个月"
    )


def months_due(key: str, *, region: Region, start: datetime.date, basis: str) -> Due:
    rule = _rule(key, region, start)
    months = _number(rule)
    return Due(
        add_months(start, months), start, rule, f"自{basis}（{start:%Y年%m月%d日}）起 {months} 个月"
    )


def working_days_due(key: str, *, region: Region, start: datetime.date, basis: str) -> Due:
    rule = _rule(key, region, start)
    days = _number(rule)
    return Due(
        add_working_days(start, days),
        start,
        rule,
        f"自{basis}（{start:%Y年%m月%d日}）起 {days} 个工作日（按法定节假日及调休计算）",
    )
