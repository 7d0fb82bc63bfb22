"""Writes to core records. Each service owns its transaction and audit trail."""

import datetime
import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from renda.core.models import AuditEvent, Region, Rule, Session, SessionStatus, Unit, User
from renda.core.workflow import transition


@transaction.atomic
def rule_set(
    *,
    key: str,
    region: Region | None,
    value,
    effective_from: datetime.date,
    source: str,
    note: str = "",
    actor: User | None,
) -> Rule:
    """Add a new version of a rule for a jurisdiction from a date.

    The version in force before it is closed the day before, so periods never
    overlap and every past date still finds the version that applied then.
    A version that starts later than the new one cannot be silently cut: it
    must be changed first.
    """
    if not source.strip():
        raise ValidationError({"source": "请注明规则依据（法规名称及条款）"})
    known = Rule.objects.filter(key=key).order_by("-effective_from", "-pk").first()
    if known is not None and _shape(value) != _shape(known.value):
        # The code reading a key expects one shape: "三个月" where a number of
        # months is read would stop every deadline of the region.
        example = json.dumps(known.value, ensure_ascii=False, sort_keys=True)
        raise ValidationError({"value": f"“{key}”的取值应与已有版本同一形式，例如 {example}"})
    same = Rule.objects.select_for_update().filter(key=key, region=region)
    if same.filter(effective_from__gte=effective_from).exists():
        raise ValidationError(
            {"effective_from": "已有同日或更晚生效的版本，新版本的生效日期须晚于现有各版本"}
        )
    same.filter(Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from)).update(
        effective_to=effective_from - datetime.timedelta(days=1)
    )
    return Rule.objects.create(
        key=key,
        region=region,
        value=value,
        effective_from=effective_from,
        source=source.strip(),
        note=note,
        created_by=actor,
    )


def _shape(value):
    """What the code reading a rule relies on: a number, a text, a yes/no,
    a list, or an object with these keys."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dict):
        return frozenset(value)
    return type(value).__name__


@transaction.atomic
def unit_save(*, unit: Unit, actor: User) -> Unit:
    """Create or update a handling unit (validated by its form)."""
    unit.full_clean()
    unit._history_user = actor
    unit.save()
    return unit


def session_move(*, session: Session, to_state: str, actor: User, comment: str = ""):
    """Open, close or cancel a session; closing records the closing date
    that suggestion deadlines may be counted from."""
    with transaction.atomic():
        change = transition(session, to_state, actor=actor, comment=comment)
        if to_state == SessionStatus.CLOSED and session.closed_on is None:
            session.closed_on = timezone.localdate(change.at)
            Session.objects.filter(pk=session.pk).update(closed_on=session.closed_on)
    return change


def audit_record(
    *, actor: User, action: str, record=None, detail=None, ip_address=None
) -> AuditEvent:
    """Note a sensitive action (such as revealing a full ID number)."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(type(record))
        if record is not None
        else None,
        object_id=record.pk if record is not None else None,
        detail=detail or {},
        ip_address=ip_address,
    )
