"""The first page. Signed in, the dashboard (工作台): on top, what waits
for the user, counted by each domain app (renda.core.todo); for a deputy,
the three things they come to do; for office staff, their region's
overview below. Not signed in, the public's home: what a citizen comes to
do, the latest published replies, and the way in for staff and deputies."""

from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renda.core import clock
from renda.core.models import Body, Region, RegionLevel, Session, SessionStatus, Unit, UnitKind
from renda.duties import todo as duties_todo
from renda.opinions import todo as opinions_todo
from renda.suggestions import todo as suggestions_todo
from renda.suggestions.selectors import published_items

TODO_SOURCES = (suggestions_todo, opinions_todo, duties_todo)


def _overview(user) -> dict:
    regions = Region.objects.visible_to(user)
    units = Unit.objects.visible_to(user).active()
    by_kind = dict(units.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return {
        "figures": {
            "townships": regions.townships().count(),
            "villages": regions.filter(
                level__in=[RegionLevel.VILLAGE, RegionLevel.COMMUNITY]
            ).count(),
            "units": units.count(),
            "bodies": Body.objects.visible_to(user).count(),
        },
        "units_chart": {
            "labels": [label for value, label in UnitKind.choices if by_kind.get(value)],
            "values": [by_kind[value] for value, _ in UnitKind.choices if by_kind.get(value)],
        },
        "current_sessions": (
            Session.objects.filter(term__body__in=Body.objects.visible_to(user))
            .exclude(status=SessionStatus.CANCELLED)
            .select_related("term__body")
            .order_by("-opened_on")[:5]
        ),
    }


PUBLIC_LATEST = 5
# What a citizen comes to do: (page, title, what it is); the first stands out.
PUBLIC_ENTRIES = (
    ("opinions:submit", _("反映社情民意"), _("反映身边的问题和建议，可以附照片；提交后得到回执码")),
    ("opinions:track", _("查询办理进度"), _("凭回执码和手机号后四位，查看办理经过和答复")),
    ("suggestions:public_list", _("建议办理答复公开"), _("人大代表提出的建议和承办单位的答复")),
    ("deputies:disclosure_index", _("人大代表公示"), _("各选区人大代表的身份、联系方式和履职承诺")),
)


def _public_home(request):
    latest = (
        published_items()
        .order_by("-published_at", "-pk")
        .only("pk", "title", "published_at")[:PUBLIC_LATEST]
    )
    entries = [(reverse(name), title, hint) for name, title, hint in PUBLIC_ENTRIES]
    return render(request, "reports/public_home.html", {"entries": entries, "latest": latest})


def dashboard(request):
    if not request.user.is_authenticated:
        return _public_home(request)
    user, today = request.user, clock.today()
    todos = [item for source in TODO_SOURCES for item in source.todo_for(user, today=today)]
    # What waits comes first, each app's order kept.
    todos.sort(key=lambda item: item.count == 0)
    context = {
        "role_label": "系统管理员" if user.is_superuser else user.get_role_display(),
        "todos": todos,
        "waiting": sum(1 for item in todos if item.count),
    }
    if user.is_office_staff:
        context.update(_overview(user))
    return render(request, "reports/dashboard.html", context)
