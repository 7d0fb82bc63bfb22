"""Supervision (督办): the daily deadline sweep, in-app notices, and the
supervision board's read.

`deadline_sweep` is the one periodic job over the indexed (state, due_on)
columns of `Deadline` (run daily by `tasks.deadline_sweep_task` and by
`manage.py sweep_deadlines`). It only ever moves a deadline forward:

    open ──(due within the region's suggestion.due_soon_days)──> due_soon
    open, due_soon ──(due date passed)──> overdue

with compare-and-swap updates (filtered by the old state), so a deadline
met, cancelled or extended meanwhile is left alone; done and cancelled
deadlines are never touched. Each move leaves one notice per user, deadline
and kind (the table's unique constraint): running the sweep twice on a day,
or on two machines at once, changes nothing the second time.
"""

import datetime
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from renda.core.models import STAFF_ROLES, Region, Role, User
from renda.core.rules import rules_in_force
from renda.suggestions.models import (
    OPEN_DEADLINE_STATES,
    Assignment,
    Deadline,
    DeadlineKind,
    DeadlineState,
    Notification,
    Suggestion,
)

logger = logging.getLogger(__name__)

DUE_SOON_KEY = "suggestion.due_soon_days"
# Used where a region has no due-soon rule yet (and reported by the sweep).
DUE_SOON_DEFAULT_DAYS = 15
# Keeps each `IN (...)` list well under the database's parameter limit.
CHUNK = 500
TEXT_LIMIT = 200


def _chunks(values: list) -> list[list]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _days(rule) -> int:
    value = rule.value.get("value") if isinstance(rule.value, dict) else rule.value
    return int(value)


_ROW_FIELDS = (
    "pk",
    "kind",
    "due_on",
    "suggestion_id",
    "suggestion__title",
    "suggestion__region__code",
    "assignment__unit_id",
    "assignment__active",
)


def _move(candidates, *, old_states, new_state) -> list[dict]:
    """Move the candidate deadlines to `new_state` by compare-and-swap;
    return the rows that this call moved."""
    rows = list(candidates.values(*_ROW_FIELDS))
    changed = 0
    for chunk in _chunks([row["pk"] for row in rows]):
        changed += Deadline.objects.filter(pk__in=chunk, state__in=old_states).update(
            state=new_state
        )
    if changed != len(rows):
        # Something else moved some of them between the read and the write
        # (met, cancelled, or another sweep): keep the ones now in the new
        # state; the notices' unique constraint absorbs a parallel sweep.
        moved = set()
        for chunk in _chunks([row["pk"] for row in rows]):
            moved.update(
                Deadline.objects.filter(pk__in=chunk, state=new_state).values_list("pk", flat=True)
            )
        rows = [row for row in rows if row["pk"] in moved]
    return rows


def _due_soon_condition(today: datetime.date) -> tuple[Q, list[str]]:
    """Which open deadlines are due soon, read per region: one query for the
    regions with open deadlines, one for their rules. Regions with no rule
    use DUE_SOON_DEFAULT_DAYS and are returned by name, so the office can
    add the rule."""
    regions = list(
        Region.objects.filter(
            pk__in=Deadline.objects.filter(state=DeadlineState.OPEN, due_on__gte=today).values(
                "suggestion__region"
            )
        )
    )
    rules = rules_in_force([DUE_SOON_KEY], regions, today)
    by_days: dict[int, list[int]] = defaultdict(list)
    missing = []
    for region in regions:
        rule = rules.get((region.pk, DUE_SOON_KEY))
        if rule is None:
            missing.append(region.name)
        by_days[_days(rule) if rule else DUE_SOON_DEFAULT_DAYS].append(region.pk)
    condition = Q(pk__in=[])
    for days, region_pks in by_days.items():
        condition |= Q(
            suggestion__region_id__in=region_pks,
            due_on__lte=today + datetime.timedelta(days=days),
        )
    return condition, missing


def _notice_text(row: dict, kind: str) -> str:
    label = DeadlineKind(row["kind"]).label
    due = f"{row['due_on']:%Y年%m月%d日}"
    if kind == DeadlineState.OVERDUE:
        text = f"{label}已于{due}届满，现已逾期：{row['suggestion__title']}"
    else:
        text = f"{label}将于{due}届满：{row['suggestion__title']}"
    return text[:TEXT_LIMIT]


def _recipients(rows: list[dict]) -> dict[int, set[int]]:
    """{deadline pk: user pks}: the users of the unit the deadline belongs
    to (or, for a deadline of the item as a whole, of every unit with an
    active assignment on it) and the office staff whose region contains the
    item's region. Three queries whatever the number of rows."""
    whole_item = [row["suggestion_id"] for row in rows if not row["assignment__unit_id"]]
    item_units: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(sorted(set(whole_item))):
        for suggestion_id, unit_id in Assignment.objects.filter(
            suggestion_id__in=chunk, active=True
        ).values_list("suggestion_id", "unit_id"):
            item_units[suggestion_id].add(unit_id)

    def units_of(row) -> set[int]:
        if row["assignment__unit_id"]:
            return {row["assignment__unit_id"]} if row["assignment__active"] else set()
        return item_units[row["suggestion_id"]]

    unit_ids = sorted({unit for row in rows for unit in units_of(row)})
    unit_users: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(unit_ids):
        for user_pk, unit_id in User.objects.filter(
            role=Role.UNIT, is_active=True, unit_id__in=chunk
        ).values_list("pk", "unit_id"):
            unit_users[unit_id].add(user_pk)

    codes = {row["suggestion__region__code"] for row in rows}
    above = sorted({code for c in codes for code in Region(code=c).ancestor_codes()})
    staff = list(
        User.objects.filter(
            role__in=STAFF_ROLES, is_active=True, region__code__in=above
        ).values_list("pk", "region__code")
    )
    staff_of = {
        code: {pk for pk, staff_code in staff if code.startswith(staff_code)} for code in codes
    }

    return {
        row["pk"]: {u for unit in units_of(row) for u in unit_users[unit]}
        | staff_of[row["suggestion__region__code"]]
        for row in rows
    }


def _notify(rows: list[dict], kind: str) -> int:
    """One notice per recipient of each moved deadline, unless they already
    have one of this kind for it; returns how many were new."""
    recipients = _recipients(rows)
    existing = set()
    for chunk in _chunks([row["pk"] for row in rows]):
        existing.update(
            Notification.objects.filter(deadline_id__in=chunk, kind=kind).values_list(
                "user_id", "deadline_id"
            )
        )
    notices = [
        Notification(
            user_id=user_pk,
            suggestion_id=row["suggestion_id"],
            deadline_id=row["pk"],
            kind=kind,
            text=_notice_text(row, kind),
        )
        for row in rows
        for user_pk in sorted(recipients[row["pk"]])
        if (user_pk, row["pk"]) not in existing
    ]
    Notification.objects.bulk_create(notices, batch_size=CHUNK, ignore_conflicts=True)
    return len(notices)


@transaction.atomic
def deadline_sweep(today: datetime.date) -> dict:
    """Mark open deadlines due soon or overdue as of `today` and notify the
    handling units and the offices concerned. Idempotent; returns counts:
    {"date", "due_soon", "overdue", "notifications", "regions_without_rule"}.

    The number of queries does not grow with the number of regions or rows
    (beyond one per 500 rows moved)."""
    overdue = _move(
        Deadline.objects.filter(
            state__in=[DeadlineState.OPEN, DeadlineState.DUE_SOON], due_on__lt=today
        ),
        old_states=[DeadlineState.OPEN, DeadlineState.DUE_SOON],
        new_state=DeadlineState.OVERDUE,
    )
    condition, missing = _due_soon_condition(today)
    due_soon = _move(
        Deadline.objects.filter(state=DeadlineState.OPEN, due_on__gte=today).filter(condition),
        old_states=[DeadlineState.OPEN],
        new_state=DeadlineState.DUE_SOON,
    )
    if missing:
        logger.warning(
            "没有规则 %s 的区划按 %s 天提醒：%s",
            DUE_SOON_KEY,
            DUE_SOON_DEFAULT_DAYS,
            "、".join(missing),
        )
    notices = 0
    if overdue:
        notices += _notify(overdue, DeadlineState.OVERDUE)
    if due_soon:
        notices += _notify(due_soon, DeadlineState.DUE_SOON)
    return {
        "date": today.isoformat(),
        "due_soon": len(due_soon),
        "overdue": len(overdue),
        "notifications": notices,
        "regions_without_rule": missing,
    }


# --- notices ----------------------------------------------------------------------


def notification_read(*, user, pk: int) -> Notification:
    """Mark one of the user's own notices read (404 for anyone else's);
    reading it twice keeps the first time."""
    notice = get_object_or_404(Notification, pk=pk, user=user)
    if notice.read_at is None:
        now = timezone.now()
        if Notification.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=now):
            notice.read_at = now
    return notice


# --- the supervision board --------------------------------------------------------

BOARD_STATES = (DeadlineState.OVERDUE, DeadlineState.DUE_SOON)
BOARD_LIMIT = 500


def unread(user):
    """The user's notices not yet read (the notice list's count, the dashboard's)."""
    return Notification.objects.filter(user=user, read_at__isnull=True)


def past_due(today: datetime.date):
    """The ids of items with an open deadline whose date has passed (the
    register's "仅看逾期"): the sweep may not have marked it yet today."""
    return Deadline.objects.filter(state__in=OPEN_DEADLINE_STATES, due_on__lt=today).values(
        "suggestion"
    )


def board_deadlines(user):
    """Due-soon and overdue deadlines of the items the user may see; a unit
    account only its own unit's."""
    deadlines = Deadline.objects.filter(
        state__in=BOARD_STATES, suggestion__in=Suggestion.objects.visible_to(user)
    )
    if user.is_authenticated and not user.is_superuser and user.role == Role.UNIT:
        deadlines = deadlines.filter(assignment__unit_id=user.unit_id, assignment__active=True)
    return deadlines


def supervision_board(user, *, today: datetime.date, state: str = "") -> dict:
    """The board, grouped by handling unit (deadlines of an item not yet
    assigned form their own group): counts per unit and state for every
    deadline in scope, and the deadlines themselves, overdue first, up to
    BOARD_LIMIT. Three queries whatever the number of rows."""
    deadlines = board_deadlines(user)
    if state in BOARD_STATES:
        deadlines = deadlines.filter(state=state)
    groups: dict[int | None, dict] = {}

    def group(unit_id, name):
        return groups.setdefault(
            unit_id,
            {"unit_id": unit_id, "name": name, "overdue": 0, "due_soon": 0, "rows": []},
        )

    for row in deadlines.values("assignment__unit_id", "assignment__unit__name", "state").annotate(
        n=Count("pk")
    ):
        group(row["assignment__unit_id"], row["assignment__unit__name"])[row["state"]] += row["n"]
    rows = list(
        deadlines.select_related("suggestion__region", "assignment__unit", "rule").order_by(
            "due_on", "pk"
        )[:BOARD_LIMIT]
    )
    for deadline in rows:
        deadline.days_left = (deadline.due_on - today).days
        deadline.days_overdue = -deadline.days_left
        unit = deadline.assignment.unit if deadline.assignment_id else None
        group(unit.pk if unit else None, unit.name if unit else None)["rows"].append(deadline)
    for entry in groups.values():
        entry["rows"].sort(key=lambda d: (d.state != DeadlineState.OVERDUE, d.due_on, d.pk))
    ordered = sorted(
        groups.values(), key=lambda g: (-g["overdue"], -g["due_soon"], g["name"] or "")
    )
    total = sum(g["overdue"] + g["due_soon"] for g in ordered)
    return {
        "groups": ordered,
        "overdue": sum(g["overdue"] for g in ordered),
        "due_soon": sum(g["due_soon"] for g in ordered),
        "total": total,
        "truncated": total > len(rows),
    }
