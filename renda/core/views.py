from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renda.core import services
from renda.core.forms import RuleForm, UnitForm
from renda.core.models import (
    Body,
    BodyKind,
    Region,
    RegionLevel,
    Role,
    Rule,
    Session,
    SessionStatus,
    Unit,
    UnitKind,
    User,
)
from renda.core.params import as_id
from renda.core.permissions import OFFICE, REGIONAL, UNITS, can_manage_region, role_required
from renda.core.search import contains_text
from renda.core.workflow import TransitionError, allowed_moves, timeline

PAGE_SIZE = 50


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


# The stand-in the floor page is drawn for: a county staff member (the
# longest menu) held in memory, never saved. Built per request, so nothing
# a request does to it outlives the request.
def _floor_user() -> User:
    user = User(username="floor", full_name="基准页", role=Role.COUNTY_STAFF)
    user.region = Region(code="000000", name="示范县", level=RegionLevel.COUNTY)
    return user


def floor(request):
    """The speed floor of `make bench` (bench/README.md): the base layout a
    signed-in county staff member sees, drawn with no database query, so
    every page's time can be read as a multiple of it. It reads neither the
    session nor the signed-in user (each would be a query): the navigation
    is drawn for an unsaved stand-in, and it shows no data."""
    request.user = _floor_user()
    return render(request, "core/floor.html", {"messages": ()})


# --- regions -------------------------------------------------------------------


@login_required
@role_required(REGIONAL)
def region_list(request):
    regions = (
        Region.objects.visible_to(request.user)
        .exclude(level__in=[RegionLevel.VILLAGE, RegionLevel.COMMUNITY])
        .annotate(child_count=Count("children"))
    )
    return render(request, "core/region_list.html", {"regions": regions})


@login_required
@role_required(REGIONAL)
def region_detail(request, pk):
    region = get_object_or_404(
        Region.objects.visible_to(request.user).select_related("parent"), pk=pk
    )
    children = region.children.order_by("code")
    return render(request, "core/region_detail.html", {"region": region, "children": children})


# --- bodies, terms and sessions --------------------------------------------------


@login_required
@role_required(REGIONAL)
def body_list(request):
    bodies = Body.objects.visible_to(request.user).select_related("region", "parent")
    kind = request.GET.get("kind", "")
    if kind in BodyKind.values:
        bodies = bodies.filter(kind=kind)
    page = Paginator(bodies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "core/body_list.html", {"page": page, "kinds": BodyKind.choices, "kind": kind}
    )


@login_required
@role_required(REGIONAL)
def body_detail(request, pk):
    body = get_object_or_404(
        Body.objects.visible_to(request.user).select_related("region", "parent"), pk=pk
    )
    terms = body.terms.prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by("number"))
    )
    return render(
        request,
        "core/body_detail.html",
        {
            "body": body,
            "terms": terms,
            "children": body.children.all(),
            "can_manage": can_manage_region(request.user, body.region),
        },
    )


@login_required
@role_required(REGIONAL)
def session_detail(request, pk):
    session = get_object_or_404(
        Session.objects.filter(term__body__in=Body.objects.visible_to(request.user)).select_related(
            "term__body__region"
        ),
        pk=pk,
    )
    moves = [
        (state, SessionStatus(state).label)
        for state in SessionStatus.values
        if state in allowed_moves(session)
    ]
    return render(
        request,
        "core/session_detail.html",
        {
            "session": session,
            "moves": moves if can_manage_region(request.user, session.term.body.region) else [],
            "timeline": timeline(session),
        },
    )


@login_required
@role_required(REGIONAL)
@require_POST
def session_move(request, pk):
    session = get_object_or_404(
        Session.objects.filter(term__body__in=Body.objects.visible_to(request.user)).select_related(
            "term__body__region"
        ),
        pk=pk,
    )
    if not can_manage_region(request.user, session.term.body.region):
        raise PermissionDenied("只有本级人大工作人员可以变更会议状态")
    try:
        services.session_move(
            session=session,
            to_state=request.POST.get("to", ""),
            actor=request.user,
            comment=request.POST.get("comment", "").strip(),
        )
        messages.success(request, f"会议状态已变更为“{session.get_status_display()}”")
    except TransitionError as error:
        messages.error(request, str(error))
    return redirect("core:session_detail", pk=session.pk)


# --- handling units --------------------------------------------------------------


@login_required
@role_required(REGIONAL | UNITS)
def unit_list(request):
    units = Unit.objects.visible_to(request.user).select_related("region")
    query = request.GET.get("q", "").strip()
    if query:
        units = units.filter(contains_text(query, "name"))
    kind = request.GET.get("kind", "")
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/unit_list.html",
        {
            "page": page,
            "q": query,
            "kind": kind,
            "kinds": UnitKind.choices,
            "can_create": request.user.is_office_staff,
        },
    )


@login_required
@role_required(REGIONAL | UNITS)
def unit_detail(request, pk):
    unit = get_object_or_404(Unit.objects.visible_to(request.user).select_related("region"), pk=pk)
    return render(
        request,
        "core/unit_detail.html",
        {
            "unit": unit,
            "can_manage": can_manage_region(request.user, unit.region),
            "history": unit.history.select_related("history_user")[:20],
        },
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以维护承办单位")
def unit_edit(request, pk=None):
    unit = None
    if pk is not None:
        unit = get_object_or_404(
            Unit.objects.visible_to(request.user).select_related("region"), pk=pk
        )
        if not can_manage_region(request.user, unit.region):
            raise PermissionDenied("该单位属于上级区划，本级不能修改")
    form = UnitForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.unit_save(unit=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已保存“{saved.name}”")
            return redirect(saved)
    return render(request, "core/unit_form.html", {"form": form, "unit": unit})


# --- rule sets ------------------------------------------------------------------


@login_required
@role_required(OFFICE, "只有人大工作人员可以查看规则设置")
def rule_list(request):
    rules = Rule.objects.visible_to(request.user).select_related("region")
    key = request.GET.get("key", "").strip()
    if key:
        rules = rules.filter(key__contains=key)
    page = Paginator(rules, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "core/rule_list.html", {"page": page, "key": key})


@login_required
@role_required(OFFICE, "只有人大工作人员可以查看规则设置")
def rule_detail(request, pk):
    rule = get_object_or_404(
        Rule.objects.visible_to(request.user).select_related("region", "created_by"), pk=pk
    )
    versions = Rule.objects.filter(key=rule.key, region=rule.region).order_by("-effective_from")
    return render(request, "core/rule_detail.html", {"rule": rule, "versions": versions})


@login_required
@role_required(OFFICE, "只有人大工作人员可以设置规则")
def rule_create(request):
    initial = {}
    base_pk = as_id(request.GET.get("from"))
    if base_pk:
        base = Rule.objects.visible_to(request.user).filter(pk=base_pk).first()
        if base:
            initial = {
                "key": base.key,
                "region": base.region_id,
                "value": base.value,
                "source": base.source,
            }
    form = RuleForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not can_manage_region(request.user, data["region"]):
            raise PermissionDenied("只能为本级及下级区划设置规则")
        try:
            rule = services.rule_set(
                key=data["key"],
                region=data["region"],
                value=data["value"],
                effective_from=data["effective_from"],
                source=data["source"],
                note=data["note"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已添加新版本规则，原版本自生效日前一天起失效")
            return redirect(rule)
    return render(request, "core/rule_form.html", {"form": form})
