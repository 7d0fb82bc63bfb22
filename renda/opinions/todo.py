"""What waits in constituents' opinions (see renda.core.todo): for the
office and liaison officers, opinions to sort, to handle and to answer;
for a handling unit, the opinions assigned to it."""

import datetime

from renda.core.models import Role
from renda.core.todo import Todo, todo
from renda.opinions.models import OpinionStatus
from renda.opinions.selectors import ledger, unit_opinions


def todo_for(user, *, today: datetime.date) -> list[Todo]:
    def waiting(label, status, hint, *, urgent=False):
        rows = ledger(user, {"status": status}, today=today)
        return todo(
            label, "opinions:list", rows, query={"status": status}, hint=hint, urgent=urgent
        )

    items = []
    keepers = user.is_office_staff or user.role == Role.LIAISON
    if keepers:
        items.append(waiting("社情民意待整理", OpinionStatus.RECEIVED, "整理登记，分类并确定去向"))
    if user.is_office_staff:
        items.append(
            waiting("社情民意待处理", OpinionStatus.SORTED, "当场解决、交办、上报或转为建议")
        )
    if keepers:
        items.append(
            waiting("办结待答复群众", OpinionStatus.HANDLED, "把办理结果告诉反映人", urgent=True)
        )
    if user.role == Role.UNIT and user.unit_id:
        items.append(
            todo(
                "交办的社情民意",
                "opinions:unit_list",
                unit_opinions(user),
                hint="办理后报送结果",
                urgent=True,
            )
        )
    return items
