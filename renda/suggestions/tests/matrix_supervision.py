"""Authorization matrix entries for the supervision pages.

Notices: every signed-in user has a page of their own notices. Marking one
read: only its owner; the notice is made for the `unit` user (县交通运输局),
so everyone else, the superuser included, gets 404. The supervision board:
office staff (within their region) and unit accounts (their own deadlines);
deputies, liaison officers and the public are refused (403)."""

from renda.suggestions.models import Notification
from renda.tests.matrix import OFFICE, OK, SIGNED_IN, Case


def unit_notice(w):
    notice = Notification.objects.create(
        user=w.user("unit"),
        suggestion=w.suggestion,
        deadline=w.suggestion.deadlines.get(kind="reply"),
        kind="due_soon",
        text=f"答复期限即将届满：{w.suggestion.title}",
    )
    return {"pk": notice.pk}


MATRIX = {
    "suggestions:notifications": Case(SIGNED_IN),
    "suggestions:notification_read": Case({"unit": OK}, kwargs=unit_notice, method="post"),
    "suggestions:overdue": Case({**OFFICE, "unit": OK, "other_unit": OK}),
}
