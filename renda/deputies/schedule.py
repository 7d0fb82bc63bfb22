"""Reception days: when a station receives voters, read from its schedule rules.

A station may have several rules (`ReceptionSchedule`); `upcoming_reception_days`
merges them into one sorted list with one entry per day.

How each kind of rule is read:

- weekly (每周固定接待日): every week on `weekday` (0 Monday ... 6 Sunday).
- first weekend (每月首个周末): the first Saturday of the month and the Sunday
  right after it. A month that starts on a Sunday does not count that lone
  Sunday: its first weekend is the 7th and the 8th. `weekday` narrows the
  rule to one of the two days (5 the Saturday only, 6 the Sunday only);
  empty means both days.
- market days (赶集日, 逢几): Gregorian (公历) days of the month whose last
  digit is in `day_digits`. 逢三六九 is [3, 6, 9]: the 3rd, 6th, 9th, 13th,
  16th, 19th, 23rd, 26th and 29th; 0 (逢十) is the 10th, 20th and 30th;
  1 includes the 31st in long months. Markets that follow the lunar calendar
  are entered as a list of dates instead.
- dates (指定日期): the ISO dates listed in `dates`.

Statutory holidays: with `skip_holidays` on, a day that chinese_calendar marks
as a day off for a named holiday (元旦, 春节, 国庆节 ...) is skipped, not moved.
Ordinary weekends are not holidays here (a weekend rule would never fire), and
a make-up working day (调休上班日, which chinese_calendar names after its holiday
but marks as a working day) is a working day, so it is kept. chinese_calendar
knows only the years whose holiday notice the State Council has published;
for any other year the day is kept and marked "节假日安排未知" so the office
can check it when the notice comes out.
"""

import datetime
import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import chinese_calendar

from renda.deputies.models import ReceptionSchedule, ScheduleKind, Station

WEEKDAY_NAMES = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
SATURDAY, SUNDAY = 5, 6
# Chinese numerals for day digits; 逢十 is the digit 0.
DIGIT_NAMES = ["十", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
# A rule that yields nothing for this long (a list of past dates, say) ends
# the search rather than scanning the calendar forever.
HORIZON = datetime.timedelta(days=3 * 366)
UNKNOWN = "节假日安排未知"

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True, order=True)
class Window:
    """One rule's reception hours on a day."""

    starts_at: datetime.time
    ends_at: datetime.time
    label: str


@dataclass
class ReceptionDay:
    day: datetime.date
    windows: list[Window] = field(default_factory=list)
    # Some rule on this day skips holidays but the year's holidays are not known yet.
    holiday_unknown: bool = False

    @property
    def weekday_name(self) -> str:
        return WEEKDAY_NAMES[self.day.weekday()]


@lru_cache(maxsize=4096)
def holiday_name(day: datetime.date) -> str | None:
    """The Chinese name of the statutory holiday `day` is a day off for, None
    on any other day (weekends and make-up working days included), or UNKNOWN
    when chinese_calendar has no data for the year."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return UNKNOWN
    if not (is_holiday and name):
        return None
    try:
        return chinese_calendar.Holiday(name).chinese
    except ValueError:
        return name


def schedule_days(schedule: ReceptionSchedule, start: datetime.date) -> Iterator[datetime.date]:
    """Every day on or after `start` the rule names, in order, before holidays
    are taken out; stops at HORIZON."""
    end = start + HORIZON
    for day in _rule_days(schedule, start):
        if day > end:
            return
        yield day


def _rule_days(schedule: ReceptionSchedule, start: datetime.date) -> Iterator[datetime.date]:
    if schedule.kind == ScheduleKind.WEEKLY:
        if schedule.weekday is None:
            return
        day = start + datetime.timedelta(days=(schedule.weekday - start.weekday()) % 7)
        while True:
            yield day
            day += datetime.timedelta(days=7)
    elif schedule.kind == ScheduleKind.FIRST_WEEKEND:
        wanted = {schedule.weekday} if schedule.weekday in (SATURDAY, SUNDAY) else None
        month = start.replace(day=1)
        while True:
            saturday = month + datetime.timedelta(days=(SATURDAY - month.weekday()) % 7)
            for day in (saturday, saturday + ONE_DAY):
                if day >= start and (wanted is None or day.weekday() in wanted):
                    yield day
            month = (month + datetime.timedelta(days=32)).replace(day=1)
    elif schedule.kind == ScheduleKind.MARKET_DIGITS:
        digits = set(schedule.day_digits or [])
        if not digits:
            return
        day = start
        while True:
            if day.day % 10 in digits:
                yield day
            day += ONE_DAY
    elif schedule.kind == ScheduleKind.DATES:
        days = sorted({datetime.date.fromisoformat(text) for text in schedule.dates or []})
        yield from (day for day in days if day >= start)


def reception_days(
    schedules: Iterable[ReceptionSchedule], start: datetime.date, count: int
) -> list[ReceptionDay]:
    """The first `count` reception days on or after `start` under all these
    rules together: sorted, one entry per day, holidays taken out per rule."""
    schedules = list(schedules)
    streams = [
        _tagged(schedule_days(schedule, start), index) for index, schedule in enumerate(schedules)
    ]
    result: list[ReceptionDay] = []
    if count <= 0:
        return result
    for day, occurrences in itertools.groupby(heapq.merge(*streams), key=lambda pair: pair[0]):
        entry = ReceptionDay(day=day)
        windows = set()
        for _, index in occurrences:
            schedule = schedules[index]
            if schedule.skip_holidays:
                holiday = holiday_name(day)
                if holiday == UNKNOWN:
                    entry.holiday_unknown = True
                elif holiday:
                    continue
            windows.add(Window(schedule.starts_at, schedule.ends_at, describe_schedule(schedule)))
        if windows:
            entry.windows = sorted(windows)
            result.append(entry)
            if len(result) == count:
                break
    return result


def _tagged(days: Iterator[datetime.date], index: int) -> Iterator[tuple[datetime.date, int]]:
    for day in days:
        yield day, index


def upcoming_reception_days(
    station: Station, start: datetime.date, count: int
) -> list[ReceptionDay]:
    """The station's next `count` reception days from `start` (inclusive).
    Reads `station.schedules.all()`, so a prefetch is used when there is one."""
    return reception_days(station.schedules.all(), start, count)


# --- describing and checking rules ----------------------------------------------


def digits_label(digits: Iterable[int]) -> str:
    """[3, 6, 9] → "三、六、九"; 0 reads as 十 (the 10th, 20th and 30th)."""
    return "、".join(DIGIT_NAMES[digit] for digit in sorted(set(digits), key=lambda d: d or 10))


def describe_schedule(schedule: ReceptionSchedule) -> str:
    """The rule in words, as a notice board would put it (without the hours)."""
    if schedule.kind == ScheduleKind.WEEKLY and schedule.weekday is not None:
        return f"每周{WEEKDAY_NAMES[schedule.weekday][-1]}"
    if schedule.kind == ScheduleKind.FIRST_WEEKEND:
        days = {SATURDAY: "周六", SUNDAY: "周日"}.get(schedule.weekday, "周六、周日")
        return f"每月首个周末（{days}）"
    if schedule.kind == ScheduleKind.MARKET_DIGITS:
        return f"赶集日：逢{digits_label(schedule.day_digits or [])}（公历）"
    if schedule.kind == ScheduleKind.DATES:
        days = sorted(datetime.date.fromisoformat(text) for text in schedule.dates or [])
        shown = "、".join(f"{day.year}年{day.month}月{day.day}日" for day in days[:3])
        more = f"等 {len(days)} 天" if len(days) > 3 else ""
        return f"指定日期：{shown}{more}"
    return schedule.get_kind_display()


def schedule_errors(
    *,
    kind: str,
    weekday: int | None,
    day_digits: list,
    dates: list,
    starts_at: datetime.time | None,
    ends_at: datetime.time | None,
) -> dict[str, str]:
    """What is wrong with a rule, as {field: message in Chinese}; empty when
    it can be saved. Shared by the form and `schedule_save`."""
    errors = {}
    if kind == ScheduleKind.WEEKLY and weekday not in range(7):
        errors["weekday"] = "每周固定接待日须选择星期几"
    if kind == ScheduleKind.FIRST_WEEKEND and weekday not in (None, SATURDAY, SUNDAY):
        errors["weekday"] = "每月首个周末只能选择星期六、星期日，或不选（两天都接待）"
    if kind == ScheduleKind.MARKET_DIGITS:
        if not day_digits:
            errors["day_digits"] = "赶集日须填写逢几，如“三六九”"
        elif any(not isinstance(d, int) or not 0 <= d <= 9 for d in day_digits):
            errors["day_digits"] = "逢几只能是一到十（十表示逢十：10日、20日、30日）"
    if kind == ScheduleKind.DATES:
        if not dates:
            errors["dates"] = "指定日期方式须至少填写一个日期"
        else:
            try:
                for text in dates:
                    datetime.date.fromisoformat(text)
            except (TypeError, ValueError):
                errors["dates"] = "日期格式不对，应为 2026-12-05 这样的格式"
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = "结束时间应晚于开始时间"
    return errors
