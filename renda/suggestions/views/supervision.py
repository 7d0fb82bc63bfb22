"""Supervision pages (督办): the user's own notices, and the supervision
board of due-soon and overdue deadlines.

Notices belong to one user: anyone else's is 404. The board reads items
through Suggestion.objects.visible_to(user) (renda.suggestions.supervision):
office staff see their region's, a unit account only its own deadlines.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from renda.core.models import Role
from renda.core.params import next_url
from renda.core.permissions import OFFICE, UNITS, role_required
from renda.suggestions import supervision
from renda.suggestions.models import DeadlineState, Notification

PAGE_SIZE = 50
BOARD_ROLES = OFFICE | UNITS
STATE_FILTERS = {
    "": "全部",
    DeadlineState.OVERDUE: "已逾期",
    DeadlineState.DUE_SOON: "即将到期",
}


def _today():
    return timezone.localdate()


def _item_url_name(user) -> str:
    """Where a notice's item opens for this user: units in their workspace."""
    if not user.is_superuser and user.role == Role.UNIT:
        return "suggestions:unit_detail"
    return "suggestions:detail"


@login_required
def notification_list(request):
    notices = (
        Notification.objects.filter(user=request.user)
        .select_related("suggestion", "deadline")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/notifications.html",
        {
            "page": page,
            "unread": supervision.unread(request.user).count(),
            "item_url_name": _item_url_name(request.user),
        },
    )


@login_required
@require_POST
def notification_read(request, pk):
    supervision.notification_read(user=request.user, pk=pk)
    return redirect(next_url(request, reverse("suggestions:notifications")))


@login_required
@role_required(BOARD_ROLES)
def overdue_board(request):
    state = request.GET.get("state", "")
    if state not in STATE_FILTERS:
        state = ""
    today = _today()
    board = supervision.supervision_board(request.user, today=today, state=state)
    return render(
        request,
        "suggestions/overdue.html",
        {
            **board,
            "state": state,
            "filters": STATE_FILTERS,
            "today": today,
            "limit": supervision.BOARD_LIMIT,
            "item_url_name": _item_url_name(request.user),
        },
    )
