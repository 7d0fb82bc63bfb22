"""Writes to contact links (联系关系) and contact visits. Each service owns its
transaction and leaves an audit row naming the acting user; a link is ended
with a date, never deleted, so past years' registers stay as they were."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renda.core.services import audit_record
from renda.deputies.contacts import DEPUTY_KINDS
from renda.deputies.models import ContactKind, ContactLink, ContactVisit, Person

PHONE = re.compile(r"^[0-9][0-9\- ]{5,18}[0-9]$")


def contact_link_problems(
    *,
    linker: Person,
    kind: str,
    started_on: datetime.date | None,
    deputy: Person | None,
    target_name: str,
    target_phone: str,
) -> dict[str, str]:
    """What is wrong with a new link, by field (empty when nothing is). The
    form shows these next to the fields; the service refuses on any of them."""
    errors = {}
    if kind not in ContactKind.values:
        errors["kind"] = "请选择联系类别"
    elif kind in DEPUTY_KINDS and deputy is None:
        errors["deputy"] = "请选择被联系代表"
    elif kind not in DEPUTY_KINDS and not target_name.strip():
        errors["target_name"] = "请填写联系对象姓名"
    if deputy is not None and deputy.pk == linker.pk:
        errors["deputy"] = "联系人不能联系自己，请选择其他代表"
    if target_phone.strip() and not PHONE.match(target_phone.strip()):
        errors["target_phone"] = "联系电话格式不正确，请填写手机号码或带区号的固定电话"
    if started_on is not None and started_on > timezone.localdate():
        errors["started_on"] = "建立联系日期不能晚于今天"
    return errors


def contact_visit_problems(
    *, link: ContactLink, visited_on: datetime.date | None, method: str, summary: str
) -> dict[str, str]:
    """What is wrong with a contact record on `link`, by field."""
    errors = {}
    if visited_on is not None:
        if visited_on > timezone.localdate():
            errors["visited_on"] = "联系日期不能晚于今天"
        elif visited_on < link.started_on:
            errors["visited_on"] = f"联系日期不能早于建立联系日期（{link.started_on:%Y-%m-%d}）"
        elif link.ended_on is not None and visited_on > link.ended_on:
            errors["visited_on"] = (
                f"该联系已于 {link.ended_on:%Y-%m-%d} 结束，联系日期不能晚于结束日期"
            )
    if not method.strip():
        errors["method"] = "请填写联系方式"
    if not summary.strip():
        errors["summary"] = "请填写联系内容"
    return errors


@transaction.atomic
def contact_link_create(
    *,
    linker: Person,
    kind: str,
    started_on: datetime.date,
    actor,
    deputy: Person | None = None,
    linker_title: str = "",
    target_name: str = "",
    target_category: str = "",
    target_address: str = "",
    target_phone: str = "",
) -> ContactLink:
    """Start a standing link from `linker` to a deputy (leaders and presidium
    members) or to a named voter, household or other contact target."""
    target_name, target_phone = target_name.strip(), target_phone.strip()
    errors = contact_link_problems(
        linker=linker,
        kind=kind,
        started_on=started_on,
        deputy=deputy,
        target_name=target_name,
        target_phone=target_phone,
    )
    if errors:
        raise ValidationError(errors)
    link = ContactLink(
        kind=kind,
        linker=linker,
        linker_title=linker_title.strip(),
        deputy=deputy if kind in DEPUTY_KINDS else None,
        target_name="" if kind in DEPUTY_KINDS else target_name,
        target_category="" if kind in DEPUTY_KINDS else target_category,
        target_address="" if kind in DEPUTY_KINDS else target_address.strip(),
        target_phone="" if kind in DEPUTY_KINDS else target_phone,
        started_on=started_on,
    )
    link.full_clean()
    link.save()
    audit_record(
        actor=actor,
        action="contact_link_create",
        record=link,
        detail={"linker": linker.pk, "kind": kind, "started_on": started_on.isoformat()},
    )
    return link


@transaction.atomic
def contact_link_end(*, link: ContactLink, ended_on: datetime.date, actor) -> ContactLink:
    """End a link from a date. The row stays: registers of the years it was
    in force still list it."""
    if ended_on < link.started_on:
        raise ValidationError(
            {"ended_on": f"结束日期不能早于建立联系日期（{link.started_on:%Y-%m-%d}）"}
        )
    last_visit = link.visits.order_by("-visited_on").values_list("visited_on", flat=True).first()
    if last_visit is not None and ended_on < last_visit:
        raise ValidationError(
            {"ended_on": f"结束日期不能早于最近一次联系记录的日期（{last_visit:%Y-%m-%d}）"}
        )
    # Compare-and-swap: two people ending the same link at once end it once.
    changed = ContactLink.objects.filter(pk=link.pk, ended_on__isnull=True).update(
        ended_on=ended_on
    )
    if not changed:
        raise ValidationError({"ended_on": "该联系已经结束，不能重复结束"})
    link.ended_on = ended_on
    audit_record(
        actor=actor,
        action="contact_link_end",
        record=link,
        detail={"ended_on": ended_on.isoformat()},
    )
    return link


@transaction.atomic
def contact_visit_record(
    *, link: ContactLink, visited_on: datetime.date, method: str, summary: str, actor
) -> ContactVisit:
    """Record one contact made on a link (a visit, a call, a meeting)."""
    errors = contact_visit_problems(
        link=link, visited_on=visited_on, method=method, summary=summary
    )
    if errors:
        raise ValidationError(errors)
    visit = ContactVisit.objects.create(
        link=link, visited_on=visited_on, method=method.strip(), summary=summary.strip()
    )
    audit_record(
        actor=actor,
        action="contact_visit_record",
        record=visit,
        detail={"link": link.pk, "visited_on": visited_on.isoformat()},
    )
    return visit
