"""What waits in motions and suggestions (see renda.core.todo): for the
office, items to review, to assign and past a deadline; for a deputy, drafts
and replies to rate; for a handling unit, items to sign for and to handle;
for everyone, unread notices."""

import datetime

from django.db.models import Exists, OuterRef, Subquery

from renda.core.models import Role
from renda.core.todo import Todo, todo
from renda.suggestions.models import Evaluation, Reply, Status, Suggestion
from renda.suggestions.selectors import my_items, unit_filter, unit_items
from renda.suggestions.supervision import past_due, unread


def to_rate(user, person):
    """The items whose latest reply awaits the deputy's rating: their own
    items, or the item theirs was merged into, while it is replied."""
    # The deputy's few items read first: an OR of the two subqueries would
    # read a province's items one by one.
    targets = {
        pk
        for pair in my_items(user, person).values_list("pk", "merged_into")
        for pk in pair
        if pk is not None
    }
    latest = Reply.objects.filter(suggestion=OuterRef("pk")).order_by("-round", "-pk")
    rated = Evaluation.objects.filter(person=person, reply=OuterRef("latest_reply"))
    return (
        Suggestion.objects.visible_to(user)
        .filter(pk__in=targets, status=Status.REPLIED)
        .annotate(latest_reply=Subquery(latest.values("pk")[:1]))
        .exclude(Exists(rated))
    )


def todo_for(user, *, today: datetime.date) -> list[Todo]:
    items = []
    if user.is_office_staff:
        kept = Suggestion.objects.kept_by_office(user)
        items += [
            todo(
                "议案建议待审查",
                "suggestions:list",
                kept.filter(status=Status.SUBMITTED),
                query={"status": Status.SUBMITTED},
                hint="审查立案、并案或不予立案",
            ),
            todo(
                "议案建议待交办",
                "suggestions:list",
                kept.filter(status=Status.ACCEPTED),
                query={"status": Status.ACCEPTED},
                hint="确定承办单位并交办",
            ),
            todo(
                "议案建议已逾期",
                "suggestions:list",
                kept.filter(pk__in=past_due(today)),
                query={"overdue": 1},
                hint="有期限已过仍未完成",
                urgent=True,
            ),
        ]
    person = user.own_person
    if person is not None:
        items += [
            todo(
                "待评价的答复",
                "suggestions:my_list",
                to_rate(user, person),
                hint="对承办单位的答复作出评价",
                urgent=True,
            ),
            todo(
                "未提交的建议草稿",
                "suggestions:my_list",
                my_items(user, person).filter(status=Status.DRAFT),
                hint="写好后提交人大审查",
            ),
        ]
    if user.role == Role.UNIT and user.unit_id:
        mine = unit_items(user, user.unit_id)
        items += [
            todo(
                "交办的建议待签收",
                "suggestions:unit_list",
                unit_filter(mine, "sign", user.unit_id),
                query={"show": "sign"},
                hint="签收，或在期限内申请退回",
                urgent=True,
            ),
            todo(
                "办理中的建议",
                "suggestions:unit_list",
                unit_filter(mine, "handling", user.unit_id),
                query={"show": "handling"},
                hint="按期答复代表，到期前会提醒",
            ),
        ]
    items.append(
        todo(
            "未读提醒",
            "suggestions:notifications",
            unread(user),
            hint="期限临近、逾期和督办提醒",
        )
    )
    return items
