"""Duty records pages: a deputy's own records of the year and their own
entries (履职纪实, phone first), the office's verification queue, one
record with its evidence and history, and spot checks (抽查).

Thin views: parse, check who may act, call a service, render. Rows are
read through `visible_to`; out of scope is 404."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renda.core import clock
from renda.core.areas import area_of
from renda.core.forms import SERVICE_ERRORS, add_service_error, error_text, service_error_text
from renda.core.models import Region, Role
from renda.core.paging import CappedPaginator
from renda.core.params import as_id, as_year, next_url
from renda.core.permissions import OFFICE, REGIONAL, can_manage_region, role_required
from renda.core.workflow import timeline
from renda.duties import services
from renda.duties.forms_entries import (
    CheckForm,
    ConcludeForm,
    EntryForm,
    ReturnForm,
    SpotCheckForm,
)
from renda.duties.models import (
    COUNTED_STATUSES,
    OWN_ENTRY_KINDS,
    DutyRecord,
    RecordStatus,
    SpotCheck,
    SpotCheckItem,
    SpotCheckOutcome,
)
from renda.duties.selectors import pending_entries
from renda.suggestions.models import Suggestion

PAGE_SIZE = 30
ENTRY_WRITERS = OFFICE | {Role.DEPUTY}
EVENT_LABELS = {
    "submitted": "提交",
    "resubmitted": "修改后重新提交",
    "verified": "核实",
    "returned": "退回",
    "rejected": "抽查不实",
    "spot_checked": "抽查",
}


def _posted(request):
    return request.POST if request.method == "POST" else None


# --- the deputy's own page -------------------------------------------------------------


@login_required
@role_required({Role.DEPUTY}, "这是代表本人的履职纪实页面")
def my_records(request):
    """Everything credited to the deputy in a year, whoever recorded it,
    with the state of their own entries."""
    user = request.user
    person = user.own_person
    today = clock.today()
    year = as_year(request.GET.get("year"), latest=today.year) or today.year
    records = []
    if person is not None:
        records = list(
            DutyRecord.objects.visible_to(user)
            .filter(person=person, occurred_on__year=year)
            .select_related("source_type")
            .order_by("-occurred_on", "-pk")
        )
    counted = sum(1 for r in records if r.status in COUNTED_STATUSES)
    return render(
        request,
        "duties/record_mine.html",
        {
            "person": person,
            "records": records,
            "year": year,
            "years": range(today.year, today.year - 3, -1),
            "counted": counted,
            "pending": sum(1 for r in records if r.status == RecordStatus.PENDING),
            "returned": [r for r in records if r.status == RecordStatus.RETURNED],
        },
    )


# --- one record ---------------------------------------------------------------------------


def _record_for(user, pk) -> DutyRecord:
    return get_object_or_404(
        DutyRecord.objects.visible_to(user).select_related(
            "person__region", "entered_by", "checked_by", "source_type"
        ),
        pk=pk,
    )


def _source_link(user, source) -> str:
    """Where the record's source can be read by this user, or ""."""
    if source is None:
        return ""
    if isinstance(source, Suggestion) and user.role == Role.DEPUTY and not user.is_superuser:
        return reverse("suggestions:my_detail", args=[source.pk])
    manager = type(source)._default_manager
    if not hasattr(source, "get_absolute_url"):
        return ""
    if (
        hasattr(manager, "visible_to")
        and not manager.visible_to(user).filter(pk=source.pk).exists()
    ):
        return ""
    return source.get_absolute_url()


@login_required
@role_required(REGIONAL)
def record_detail(request, pk):
    """A record with its evidence: its source, note and photo, its history
    and what spot checks found."""
    user = request.user
    record = _record_for(user, pk)
    source = record.source if record.source_id else None
    changes = timeline(record)
    for change in changes:
        change.event_label = EVENT_LABELS.get(change.event, change.to_label)
    manages = can_manage_region(user, record.person.region)
    return render(
        request,
        "duties/record_detail.html",
        {
            "record": record,
            "source": source,
            "source_url": _source_link(user, source),
            "timeline": changes,
            "spot_checks": record.spot_checks.select_related("spot_check", "checked_by").order_by(
                "pk"
            ),
            "can_check": manages and record.is_own_entry and record.status == RecordStatus.PENDING,
            "can_resubmit": record.is_own_entry
            and record.status == RecordStatus.RETURNED
            and (record.person.user_id == user.pk or manages),
        },
    )


@login_required
@role_required(REGIONAL)
def record_photo(request, pk):
    """An own entry's photo, to those who may read the record."""
    record = _record_for(request.user, pk)
    if not record.photo:
        raise Http404("该记录没有照片")
    try:
        handle = record.photo.open("rb")
    except FileNotFoundError:
        return HttpResponse("照片文件已丢失，请联系系统管理员", status=410)
    content_type, _ = mimetypes.guess_type(record.photo.name)
    return FileResponse(handle, content_type=content_type or "application/octet-stream")


# --- own entries -------------------------------------------------------------------------


@login_required
@role_required(ENTRY_WRITERS, "只有代表本人或人大工作人员可以录入履职纪实")
def entry_create(request):
    """A deputy records a duty no organiser recorded; office staff may
    enter one for a deputy from paper."""
    user = request.user
    person = user.own_person
    if not user.is_office_staff and person is None:
        return render(request, "duties/entry_form.html", {"unlinked": True})
    # Staff entering a deputy's paper forms one after another keep the deputy.
    chosen = as_id(request.GET.get("person"))
    form = EntryForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        user=user,
        initial={"person": chosen} if chosen else {},
        area=area_of(request),
    )
    if request.method == "POST" and form.is_valid():
        whom = form.cleaned_data.get("person") or person
        try:
            record = services.entry_submit(actor=user, person=whom, **form.entry_fields())
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            if person is not None:
                messages.success(request, f"已提交“{record.title}”，人大工作人员核实后计入履职档案")
                return redirect("duties:my_records")
            messages.success(
                request, f"已为{whom.name}补记“{record.title}”，待核实；可继续录入下一条"
            )
            query = request.GET.copy()  # the county a province's staff picked stays
            query["person"] = whom.pk
            return redirect(f"{reverse('duties:entry_create')}?{query.urlencode()}")
    return render(
        request,
        "duties/entry_form.html",
        {"form": form},
    )


@login_required
@role_required(ENTRY_WRITERS, "只有代表本人或人大工作人员可以修改履职纪实")
def entry_resubmit(request, pk):
    """A returned entry, mended and sent again."""
    user = request.user
    record = _record_for(user, pk)
    if not record.is_own_entry:
        raise Http404("该记录不是代表自行录入的履职纪实")
    if record.person.user_id != user.pk and not can_manage_region(user, record.person.region):
        raise PermissionDenied("只能修改本人的履职纪实")
    if record.status != RecordStatus.RETURNED:
        messages.info(request, f"该记录当前为“{record.get_status_display()}”，无需重新提交")
        return redirect(record)
    form = EntryForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        user=user,
        record=record,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_resubmit(record=record, actor=user, **form.entry_fields())
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已重新提交“{record.title}”，等待核实")
            if record.person.user_id == user.pk:
                return redirect("duties:my_records")
            return redirect(record)
    return render(
        request,
        "duties/entry_form.html",
        {
            "form": form,
            "record": record,
        },
    )


# --- the verification queue --------------------------------------------------------------


@login_required
@role_required(OFFICE, "只有人大工作人员可以核实履职纪实")
def entry_queue(request):
    """Pending own entries in scope, the longest waiting first."""
    user, area = request.user, area_of(request)
    filters = {name: request.GET.get(name, "").strip() for name in ("township", "kind")}
    entries = area.narrow(pending_entries(user)).select_related("person__region", "entered_by")
    if filters["township"]:
        entries = entries.filter(person__region__code__startswith=filters["township"])
    if filters["kind"]:
        entries = entries.filter(kind=filters["kind"])
    page = CappedPaginator(entries.order_by("entered_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "duties/entry_queue.html",
        {
            "page": page,
            "filters": filters,
            "kinds": [(k.value, k.label) for k in OWN_ENTRY_KINDS],
            "area": area,
            "townships": area.choices(
                Region.objects.visible_to(user).townships().only("code", "name")
            ),
            "next": request.get_full_path(),
        },
    )


def _check_entry(request, pk, form_class, perform, done: str):
    """Verify or return one entry: htmx gets the entry's card back (done or
    with the error); a plain form goes back where it came from."""
    user = request.user
    # Any own entry in scope: one already checked by a colleague gets the
    # service's "已被他人处理" rather than a silent 404.
    record = get_object_or_404(
        DutyRecord.objects.visible_to(user)
        .filter(source_id__isnull=True)
        .select_related("person__region", "entered_by"),
        pk=pk,
    )
    form = form_class(request.POST)
    error = ""
    if form.is_valid():
        try:
            perform(record, form.cleaned_data)
        except SERVICE_ERRORS as failure:
            error = service_error_text(failure)
    else:
        error = error_text(form)
    if request.htmx:
        return render(
            request,
            "duties/entry_queue_row.html",
            {
                "record": record,
                "done": "" if error else done,
                "error": error,
                "posted": request.POST,
                "next": next_url(request, reverse("duties:entry_queue")),
            },
        )
    if error:
        messages.error(request, f"{record.person.name}“{record.title}”：{error}")
    else:
        messages.success(request, f"已{done}{record.person.name}的“{record.title}”")
    return redirect(next_url(request, reverse("duties:entry_queue")))


@login_required
@role_required(OFFICE, "只有人大工作人员可以核实履职纪实")
@require_POST
def entry_verify(request, pk):
    def perform(record, data):
        services.entry_verify(record=record, actor=request.user, comment=data["comment"].strip())

    return _check_entry(request, pk, CheckForm, perform, "核实")


@login_required
@role_required(OFFICE, "只有人大工作人员可以退回履职纪实")
@require_POST
def entry_return(request, pk):
    def perform(record, data):
        services.entry_return(record=record, actor=request.user, reason=data["reason"])

    return _check_entry(request, pk, ReturnForm, perform, "退回")


# --- spot checks -------------------------------------------------------------------------


@login_required
@role_required(OFFICE, "只有人大工作人员可以抽查履职纪实")
def spot_check_list(request):
    checks = (
        SpotCheck.objects.visible_to(request.user)
        .select_related("region", "drawn_by")
        .annotate(
            item_count=Count("items"),
            open_count=Count("items", filter=Q(items__outcome=SpotCheckOutcome.OPEN)),
            untrue_count=Count("items", filter=Q(items__outcome=SpotCheckOutcome.NOT_CONFIRMED)),
        )
        .order_by("-drawn_at", "-pk")
    )
    page = Paginator(checks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "duties/spot_check_list.html", {"page": page})


@login_required
@role_required(OFFICE, "只有人大工作人员可以抽查履职纪实")
def spot_check_create(request):
    """Draw a share of a period's own entries for review."""
    user = request.user
    form = SpotCheckForm(_posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check = services.spot_check_draw(
                actor=user,
                region=data["region"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                share_percent=data["share_percent"],
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已抽取 {check.items.count()} 条履职纪实，请逐条核查")
            return redirect(check)
    return render(request, "duties/spot_check_form.html", {"form": form})


def _items(check):
    return check.items.select_related("record__person__region", "checked_by").order_by(
        "record__person__region__code", "record__person__name_pinyin", "pk"
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以抽查履职纪实")
def spot_check_detail(request, pk):
    check = get_object_or_404(
        SpotCheck.objects.visible_to(request.user).select_related("region", "drawn_by"), pk=pk
    )
    items = list(_items(check))
    tally = dict.fromkeys(SpotCheckOutcome.values, 0)
    for item in items:
        tally[item.outcome] += 1
    return render(
        request,
        "duties/spot_check_detail.html",
        {"check": check, "items": items, "tally": tally, "outcomes": SpotCheckOutcome},
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以抽查履职纪实")
@require_POST
def spot_check_conclude(request, pk):
    """What checking one sampled entry found."""
    item = get_object_or_404(
        SpotCheckItem.objects.filter(
            spot_check__in=SpotCheck.objects.visible_to(request.user)
        ).select_related("spot_check", "record__person__region", "checked_by"),
        pk=pk,
    )
    form = ConcludeForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.spot_check_conclude(
                item=item,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                comment=form.cleaned_data["comment"],
            )
        except SERVICE_ERRORS as failure:
            error = service_error_text(failure)
    else:
        error = error_text(form)
    if request.htmx:
        if error:
            item.refresh_from_db(fields=["outcome", "comment"])
        return render(
            request,
            "duties/spot_check_item.html",
            {"item": item, "error": error, "posted": request.POST, "saved": not error},
        )
    if error:
        messages.error(request, f"{item.record.person.name}“{item.record.title}”：{error}")
    else:
        messages.success(request, f"已记录核查结果：{item.get_outcome_display()}")
    return redirect(
        reverse("duties:spot_check_detail", args=[item.spot_check_id]) + f"#item-{item.pk}"
    )
