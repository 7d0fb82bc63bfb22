"""What waits in deputies' duties (see renda.core.todo): for the office,
deputies' own entries to verify and requests to correct a score; for a
deputy, their entries sent back to be mended."""

import datetime

from renda.core.todo import Todo, todo
from renda.duties.models import Correction, CorrectionStatus, DutyRecord, RecordStatus
from renda.duties.selectors import pending_entries


def todo_for(user, *, today: datetime.date) -> list[Todo]:
    items = []
    if user.is_office_staff:
        items += [
            todo(
                "履职纪实待核实",
                "duties:entry_queue",
                pending_entries(user),
                hint="代表自己登记的履职，核实或退回",
            ),
            todo(
                "积分更正申请",
                "duties:correction_list",
                Correction.objects.visible_to(user).filter(status=CorrectionStatus.OPEN),
                hint="代表对积分的更正申请，采纳或说明理由",
            ),
        ]
    person = user.own_person
    if person is not None:
        # The deputy's page shows this year's records, the returned ones first.
        returned = DutyRecord.objects.visible_to(user).filter(
            person=person, occurred_on__year=today.year, status=RecordStatus.RETURNED
        )
        items.append(
            todo(
                "退回待修改的履职纪实",
                "duties:my_records",
                returned,
                hint="按退回说明修改后重新提交",
                urgent=True,
            )
        )
    return items
