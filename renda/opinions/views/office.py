"""Opinions office pages: receptions, entering opinions on the person's
behalf, the ledger (社情民意台账) with each outcome, the handling unit's
list, and the monthly cycle (一收集、一整理、一汇总、一建账、一交办).

Thin views: parse, check who may act (renda.opinions.selectors.may_act),
call a service, render. Rows are read through `visible_to`; the person's
name and phone reach a template only through `selectors.with_submitters`."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from renda.core.areas import area_of
from renda.core.forms import SERVICE_ERRORS, add_service_error
from renda.core.models import Region, Role
from renda.core.paging import CappedPaginator
from renda.core.params import as_id
from renda.core.permissions import OFFICE, REGIONAL, UNITS, role_required
from renda.core.workflow import timeline
from renda.deputies.models import Station
from renda.opinions import selectors, services
from renda.opinions.forms_office import (
    AnswerForm,
    AssignForm,
    ConvertForm,
    DeclineForm,
    EscalateForm,
    HandledForm,
    MergeForm,
    OpinionForm,
    ReceptionForm,
    ReturnForm,
    SolveForm,
    SortForm,
)
from renda.opinions.models import (
    Channel,
    Opinion,
    OpinionAttachment,
    OpinionStatus,
    ReceptionKind,
    Urgency,
)
from renda.suggestions.models import Suggestion

PAGE_SIZE = 50
STATION_KEEPERS = OFFICE | {Role.LIAISON}
READERS = REGIONAL | UNITS


def _filters(request, names) -> dict:
    return {name: request.GET.get(name, "").strip() for name in names}


def _posted(request):
    """The submitted data, or None for a GET: an empty POST is still a
    submission, so its missing fields are reported."""
    return request.POST if request.method == "POST" else None


def _page(request, queryset):
    return CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- receptions ----------------------------------------------------------------------


@login_required
@role_required(REGIONAL)
def reception_list(request):
    filters = _filters(request, ("area", "station", "kind", "month"))
    page = _page(request, selectors.reception_list(request.user, filters))
    area = area_of(request)
    return render(
        request,
        "opinions/reception_list.html",
        {
            "page": page,
            "filters": filters,
            "area": area,
            "kinds": ReceptionKind.choices,
            "stations": area.choices(selectors.stations_for(request.user)).only("pk", "name"),
        },
    )


@login_required
@role_required(REGIONAL)
def reception_create(request):
    """Record a reception: from one of the station's scheduled days, or ad
    hoc, on a market day, or a household visit."""
    user = request.user
    initial = {
        "station": request.GET.get("station") or None,
        "held_on": request.GET.get("held_on") or timezone.localdate(),
        "kind": request.GET.get("kind") or None,
    }
    form = ReceptionForm(_posted(request), user=user, initial=initial, area=area_of(request))
    if form.station is not None and request.method != "POST":
        form.initial["deputies"] = list(form.station.resident_deputies.values_list("pk", flat=True))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reception = services.reception_record(
                actor=user,
                region=data["region"],
                kind=data["kind"],
                held_on=data["held_on"],
                deputies=data["deputies"],
                station=data["station"],
                place=data["place"],
                people_received=data["people_received"],
                note=data["note"],
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已记录{reception.held_on:%Y年%m月%d日}的接待活动")
            return redirect(reception)
    scheduled = None
    if form.station is not None:
        scheduled = selectors.scheduled_days(form.station, timezone.localdate())
    return render(
        request,
        "opinions/reception_create.html",
        {"form": form, "station": form.station, "scheduled": scheduled},
    )


@login_required
@role_required(REGIONAL)
def reception_detail(request, pk):
    reception = get_object_or_404(
        selectors.receptions_for(request.user).select_related("station", "region", "recorded_by"),
        pk=pk,
    )
    opinions = selectors.with_submitters(
        request.user,
        Opinion.objects.visible_to(request.user)
        .filter(reception=reception)
        .select_related("region", "category"),
    )
    return render(
        request,
        "opinions/reception_detail.html",
        {
            "reception": reception,
            "deputies": reception.deputies.all(),
            "opinions": opinions,
        },
    )


# --- entering an opinion ----------------------------------------------------------------


@login_required
@role_required(REGIONAL)
def opinion_create(request):
    """An opinion heard by a deputy or at a station, entered on the person's behalf."""
    user = request.user
    initial = {}
    reception = (
        selectors.receptions_for(user).filter(pk=as_id(request.GET.get("reception"))).first()
    )
    if reception is not None:
        initial = {
            "reception": reception.pk,
            "station": reception.station_id,
            "channel": Channel.HOUSEHOLD
            if reception.kind == ReceptionKind.HOUSEHOLD
            else Channel.RECEPTION,
        }
    form = OpinionForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        user=user,
        initial=initial,
        area=area_of(request),
        reception=reception,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                opinion, created = services.opinion_receive(actor=user, **form.opinion_fields())
                if created:
                    _attach(opinion, form.cleaned_data["photos"])
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            if created:
                messages.success(request, f"已登记，回执码 {opinion.receipt_code}")
            else:
                messages.info(request, "刚才已登记过相同的意见，未重复登记")
            return redirect(opinion)
    return render(request, "opinions/create.html", {"form": form, "reception": reception})


def _attach(opinion: Opinion, photos) -> None:
    # TODO(services): belongs in services.opinion_attach; written here until
    # the opinions services have a write for attachments.
    for photo in photos:
        OpinionAttachment.objects.create(
            opinion=opinion, file=photo, name=photo.name[:200], content_type=photo.content_type
        )


# --- the ledger ------------------------------------------------------------------------------


@login_required
@role_required(REGIONAL)
def opinion_list(request):
    """社情民意收集台账."""
    user = request.user
    today = timezone.localdate()
    filters = _filters(request, selectors.LEDGER_FILTERS)
    area = area_of(request)
    page = _page(request, selectors.ledger(user, filters, today=today))
    page.object_list = selectors.with_submitters(user, page.object_list)
    return render(
        request,
        "opinions/list.html",
        {
            "page": page,
            "filters": filters,
            "today": today,
            "statuses": OpinionStatus.choices,
            "channels": Channel.choices,
            "urgencies": Urgency.choices,
            "categories": selectors.categories_for(user).only("pk", "name"),
            "area": area,
            "stations": area.choices(Station.objects.visible_to(user).only("pk", "name")),
            "townships": area.choices(
                Region.objects.visible_to(user).townships().only("code", "name")
            ),
        },
    )


def _opinion_for(user, pk) -> Opinion:
    return get_object_or_404(selectors.opinions_in_full(user), pk=pk)


@login_required
@role_required(READERS)
def opinion_detail(request, pk):
    user = request.user
    opinion = _opinion_for(user, pk)
    stations = selectors.liaison_stations(user)
    (opinion,) = selectors.with_submitters(user, [opinion], stations=stations)
    merged = selectors.with_submitters(
        user,
        Opinion.objects.visible_to(user)
        .filter(merged_into=opinion)
        .select_related("region")
        .order_by("received_at"),
        stations=stations,
    )
    suggestion_visible = (
        opinion.suggestion_id is not None
        and Suggestion.objects.visible_to(user).filter(pk=opinion.suggestion_id).exists()
    )
    today = timezone.localdate()
    return render(
        request,
        "opinions/detail.html",
        {
            "opinion": opinion,
            "attachments": opinion.attachments.all(),
            "merged": merged,
            "suggestion_visible": suggestion_visible,
            "timeline": timeline(opinion),
            "actions": selectors.actions_for(user, opinion, stations=stations),
            "overdue": opinion.status == OpinionStatus.ASSIGNED
            and opinion.due_on is not None
            and opinion.due_on < today,
        },
    )


@login_required
@role_required(READERS)
def attachment_download(request, pk):
    """A photo of an opinion, to those who may read the opinion."""
    attachment = get_object_or_404(
        OpinionAttachment.objects.filter(opinion__in=Opinion.objects.visible_to(request.user)),
        pk=pk,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        # The record is readable but its file is gone (restored database,
        # lost disk): say so rather than pretend it never existed.
        return HttpResponse("附件文件已丢失，请联系系统管理员", status=410)
    return FileResponse(handle, content_type=attachment.content_type, filename=attachment.name)


# --- outcomes --------------------------------------------------------------------------


def _act(request, pk, action: str, form_class, perform, *, done_url=None):
    """One outcome page: the opinion visible to the user (else 404), the user
    allowed to take the action (else 403), the state allowing it (else the
    page says why), then the service."""
    user = request.user
    opinion = _opinion_for(user, pk)
    stations = selectors.liaison_stations(user)
    spec = selectors.ACTIONS[action]
    if not selectors.may_act(user, opinion, action, stations=stations):
        raise PermissionDenied(f"您无权对这条意见进行“{spec.label}”")
    is_open = selectors.action_open(opinion, action)
    form = form_class(_posted(request), user=user, opinion=opinion)
    if request.method == "POST":
        if not is_open:
            form.add_error(
                None, f"这条意见当前为“{opinion.get_status_display()}”，不能{spec.label}"
            )
        elif form.is_valid():
            try:
                done = perform(opinion, form.cleaned_data)
            except SERVICE_ERRORS as error:
                add_service_error(form, error)
            else:
                messages.success(request, done or f"已{spec.label}")
                return redirect(done_url or opinion.get_absolute_url())
    (opinion,) = selectors.with_submitters(user, [opinion], stations=stations)
    return render(
        request,
        f"opinions/action_{action}.html"
        if action in ("merge", "convert")
        else "opinions/action_form.html",
        {
            "opinion": opinion,
            "form": form,
            "action": action,
            "spec": spec,
            "is_open": is_open,
            "post_url": reverse(f"opinions:{action}", args=[opinion.pk]),
        },
    )


ACTION_METHODS = ["GET", "POST"]


@login_required
@role_required(REGIONAL)
@require_http_methods(ACTION_METHODS)
def opinion_sort(request, pk):
    def perform(opinion, data):
        services.opinion_sort(
            opinion=opinion,
            actor=request.user,
            category=data["category"],
            urgency=data["urgency"],
            title=data["title"],
        )
        return f"已整理登记，登记编号 {opinion.number}"

    return _act(request, pk, "sort", SortForm, perform)


@login_required
@role_required(OFFICE, "只有人大工作人员可以归并意见")
@require_http_methods(ACTION_METHODS)
def opinion_merge(request, pk):
    def perform(opinion, data):
        into = data["into"]
        services.opinion_merge(opinion=opinion, into=into, actor=request.user)
        return f"已归并至“{into}”"

    return _act(request, pk, "merge", MergeForm, perform)


@login_required
@role_required(REGIONAL)
@require_http_methods(ACTION_METHODS)
def opinion_solve(request, pk):
    def perform(opinion, data):
        services.opinion_solve(opinion=opinion, actor=request.user, result=data["result"])
        return "已记录当场解决，请答复反映人"

    return _act(request, pk, "solve", SolveForm, perform)


@login_required
@role_required(OFFICE, "只有人大工作人员可以交办")
@require_http_methods(ACTION_METHODS)
def opinion_assign(request, pk):
    def perform(opinion, data):
        services.opinion_assign(opinion=opinion, actor=request.user, unit=data["unit"])
        return f"已交{opinion.unit}办理，{opinion.due_on:%Y年%m月%d日}前办结"

    return _act(request, pk, "assign", AssignForm, perform)


@login_required
@role_required(OFFICE, "只有人大工作人员可以上报")
@require_http_methods(ACTION_METHODS)
def opinion_escalate(request, pk):
    def perform(opinion, data):
        services.opinion_escalate(
            opinion=opinion, actor=request.user, to=data["to"], note=data["note"]
        )
        return f"已上报{opinion.escalated_to}"

    return _act(request, pk, "escalate", EscalateForm, perform)


@login_required
@role_required(OFFICE, "只有人大工作人员可以转为代表建议")
@require_http_methods(ACTION_METHODS)
def opinion_convert(request, pk):
    def perform(opinion, data):
        item = services.opinion_convert(
            opinion=opinion,
            actor=request.user,
            congress=data["congress"],
            lead=data["lead"],
            title=data["title"],
            body=data["body"],
            category=data["category"],
        )
        return f"已转为代表建议 {item.number}"

    return _act(request, pk, "convert", ConvertForm, perform)


@login_required
@role_required(OFFICE, "只有人大工作人员可以决定不予受理")
@require_http_methods(ACTION_METHODS)
def opinion_decline(request, pk):
    def perform(opinion, data):
        services.opinion_decline(opinion=opinion, actor=request.user, reason=data["reason"])
        return "已记录不予受理，请答复反映人"

    return _act(request, pk, "decline", DeclineForm, perform)


@login_required
@role_required(OFFICE, "只有人大工作人员可以代为记录办理结果")
@require_http_methods(ACTION_METHODS)
def opinion_handled(request, pk):
    """The result of an escalated or converted opinion (or of a unit that
    does not use the system), recorded by the office."""

    def perform(opinion, data):
        services.opinion_handled(opinion=opinion, actor=request.user, result=data["result"])
        return "已记录办理结果，请答复反映人"

    return _act(request, pk, "handled", HandledForm, perform)


@login_required
@role_required(REGIONAL)
@require_http_methods(ACTION_METHODS)
def opinion_answer(request, pk):
    def perform(opinion, data):
        services.opinion_answer(
            opinion=opinion, actor=request.user, answer=data["answer"], method=data["method"]
        )
        return "已记录答复"

    return _act(request, pk, "answer", AnswerForm, perform)


# --- the handling unit -------------------------------------------------------------------


@login_required
@role_required(UNITS)
def unit_list(request):
    """The unit's opinions: pending ones by due date, overdue in red."""
    done = request.GET.get("show") == "done"
    page = _page(request, selectors.unit_opinions(request.user, done=done))
    page.object_list = selectors.with_submitters(request.user, page.object_list)
    return render(
        request,
        "opinions/unit_list.html",
        {"page": page, "done": done, "today": timezone.localdate()},
    )


@login_required
@role_required(UNITS)
@require_http_methods(ACTION_METHODS)
def unit_handle(request, pk):
    def perform(opinion, data):
        services.opinion_handled(opinion=opinion, actor=request.user, result=data["result"])
        return "已报送办理结果"

    return _act(request, pk, "unit_handle", HandledForm, perform)


@login_required
@role_required(UNITS)
@require_http_methods(ACTION_METHODS)
def unit_return(request, pk):
    def perform(opinion, data):
        services.opinion_unit_return(opinion=opinion, actor=request.user, reason=data["reason"])
        return "已退回人大，等待重新交办"

    return _act(
        request, pk, "unit_return", ReturnForm, perform, done_url=reverse("opinions:unit_list")
    )


# --- the monthly cycle ---------------------------------------------------------------------


@login_required
@role_required(STATION_KEEPERS)
def cycle(request):
    """一收集、一整理、一汇总、一建账、一交办 for a month, per station and per township."""
    today = timezone.localdate()
    text = request.GET.get("month", "").strip()
    month = selectors.parse_month(text) if text else today.replace(day=1)
    if month is None:
        messages.warning(request, f"月份“{text}”格式不对，应为 2026-11 这样的格式；已显示本月")
        month = today.replace(day=1)
    previous = (month - datetime.timedelta(days=1)).replace(day=1)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    area = area_of(request)
    return render(
        request,
        "opinions/cycle.html",
        {
            "cycle": selectors.monthly_cycle(request.user, month, area),
            "area": area,
            "month": month,
            "previous": previous,
            "following": following if following <= today else None,
        },
    )
