"""Activities pages: the list of activities, entering one with its
participants and their attendance (entered once, credited to everyone),
its page with attendance changed row by row, attachments, correcting and
deleting it.

Thin views: parse, check who may act (`services.can_record_activity`),
call a service, render. Rows are read through `visible_to`."""

import datetime
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from renda.core.areas import area_of, within_places
from renda.core.forms import SERVICE_ERRORS, add_service_error, error_text, service_error_text
from renda.core.models import Region, Role
from renda.core.paging import CappedPaginator
from renda.core.params import as_id
from renda.core.permissions import OFFICE, REGIONAL, role_required
from renda.core.search import contains_text
from renda.deputies.models import Group, Station
from renda.duties import services
from renda.duties.forms_activities import (
    ActivityForm,
    AttachmentForm,
    AttendanceForm,
)
from renda.duties.models import ACTIVITY_KINDS, Activity, ActivityAttachment, Attendance

PAGE_SIZE = 50
# Who enters activities: office staff, and liaison officers for their stations.
ACTIVITY_KEEPERS = OFFICE | {Role.LIAISON}
FILTERS = ("kind", "from", "to", "area", "township", "organiser", "q")
ORGANISER_FIELDS = {
    "body": "organiser_body_id",
    "group": "organiser_group_id",
    "station": "organiser_station_id",
}


def _posted(request):
    """The submitted data, or None for a GET: an empty POST is still a
    submission, so its missing fields are reported."""
    return request.POST if request.method == "POST" else None


def _day(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _activities(user, filters: dict, request=None):
    """The activities a user may read, filtered, newest first. The
    organisers (one of three, the others empty) are read by pk for the
    page rather than joined: each join multiplies the plans PostgreSQL
    weighs (4 ms of planning at 19 counties, for a 0.3 ms query)."""
    activities = (
        Activity.objects.visible_to(user)
        .select_related("region")
        .prefetch_related("organiser_body", "organiser_group", "organiser_station")
    )
    if filters["kind"]:
        activities = activities.filter(kind=filters["kind"])
    for name, lookup in (("from", "held_on__gte"), ("to", "held_on__lte")):
        if filters[name]:
            day = _day(filters[name])
            if day is None and request is not None:
                messages.warning(request, f"日期“{filters[name]}”格式不对，已忽略")
            elif day is not None:
                activities = activities.filter(**{lookup: day})
    activities = within_places(activities, filters)
    kind, _, pk = filters["organiser"].partition(":")
    if kind in ORGANISER_FIELDS and (pk := as_id(pk)):
        activities = activities.filter(**{ORGANISER_FIELDS[kind]: pk})
    if filters["q"]:
        activities = activities.filter(contains_text(filters["q"], "title", "place", "content"))
    return activities.order_by("-held_on", "-pk")


def _with_attendance(activities: list) -> list:
    """The page's activities with their participants counted by attendance,
    in one grouped query over those activities only (counting before paging
    grouped every activity of a province with its duty records)."""
    counts = {
        row["pk"]: row
        for row in Activity.objects.filter(pk__in=[a.pk for a in activities])
        .order_by()
        .values("pk")
        .annotate(
            participant_count=Count("records"),
            present_count=Count("records", filter=Q(records__attendance=Attendance.PRESENT)),
            leave_count=Count("records", filter=Q(records__attendance=Attendance.LEAVE)),
            absent_count=Count("records", filter=Q(records__attendance=Attendance.ABSENT)),
        )
    }
    for activity in activities:
        for name in ("participant_count", "present_count", "leave_count", "absent_count"):
            setattr(activity, name, counts[activity.pk][name])
    return activities


@login_required
@role_required(ACTIVITY_KEEPERS, "只有人大工作人员和联络站联络员可以管理履职活动")
def activity_list(request):
    user = request.user
    filters = {name: request.GET.get(name, "").strip() for name in FILTERS}
    page = CappedPaginator(_activities(user, filters, request), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = _with_attendance(list(page.object_list))
    area = area_of(request)
    groups = area.choices(Group.objects.visible_to(user).only("pk", "name"))
    stations = area.choices(Station.objects.visible_to(user).only("pk", "name"))
    organisers = [(f"group:{g.pk}", g.name) for g in groups] + [
        (f"station:{s.pk}", s.name) for s in stations
    ]
    return render(
        request,
        "duties/activity_list.html",
        {
            "page": page,
            "filters": filters,
            "kinds": [(k.value, k.label) for k in ACTIVITY_KINDS],
            "area": area,
            "townships": area.choices(
                Region.objects.visible_to(user).townships().only("code", "name")
            ),
            "organisers": organisers,
        },
    )


def _save_attachments(activity, actor, uploads) -> None:
    for upload, content_type in uploads:
        services.activity_attach(
            activity=activity, actor=actor, upload=upload, content_type=content_type
        )


@login_required
@role_required(ACTIVITY_KEEPERS, "只有人大工作人员和联络站联络员可以录入履职活动")
def activity_create(request):
    """Enter an activity once; every participant is credited with it."""
    user = request.user
    form = ActivityForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        user=user,
        area=area_of(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                activity = services.activity_create(
                    actor=user, region=form.cleaned_data["region"], **form.activity_fields()
                )
                _save_attachments(activity, user, form.cleaned_data["attachments"])
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"已录入“{activity.title}”，{len(form.attendance)} 名代表的履职记录已同步生成",
            )
            return redirect(activity)
    return _form_page(request, form, None)


def _form_page(request, form, activity):
    return render(
        request,
        "duties/activity_form.html",
        {
            "form": form,
            "activity": activity,
            "rows": form.participant_rows(),
            "picker": form.picker_data(),
            "attendance_choices": Attendance.choices,
        },
    )


def _activity_for(user, pk) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(user).select_related(
            "region", "organiser_body", "organiser_group", "organiser_station", "recorded_by"
        ),
        pk=pk,
    )


def _editable(user, pk) -> Activity:
    activity = _activity_for(user, pk)
    if not services.can_record_activity(user, activity.region):
        raise PermissionDenied("您不能修改该活动")
    return activity


def _attendance_counts(activity) -> dict:
    counts = dict.fromkeys(Attendance.values, 0)
    for attendance in activity.records.values_list("attendance", flat=True):
        counts[attendance] += 1
    return counts


def _participants(activity):
    return list(
        activity.records.select_related("person__region").order_by("person__name_pinyin", "pk")
    )


@login_required
@role_required(REGIONAL)
def activity_detail(request, pk):
    user = request.user
    activity = _activity_for(user, pk)
    records = _participants(activity)
    counts = dict.fromkeys(Attendance.values, 0)
    for record in records:
        counts[record.attendance] += 1
    return render(
        request,
        "duties/activity_detail.html",
        {
            "activity": activity,
            "records": records,
            "counts": counts,
            "attachments": activity.attachments.order_by("uploaded_at", "pk"),
            "can_edit": services.can_record_activity(user, activity.region),
            "attendance_choices": Attendance.choices,
            "attach_form": AttachmentForm(),
        },
    )


@login_required
@role_required(ACTIVITY_KEEPERS, "只有人大工作人员和联络站联络员可以修改履职活动")
def activity_update(request, pk):
    """Correct an activity; the participants' records follow."""
    user = request.user
    activity = _editable(user, pk)
    area = area_of(request).around(activity.region)
    form = ActivityForm(_posted(request), user=user, activity=activity, area=area)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, actor=user, **form.activity_fields())
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, "已保存修改，参加代表的履职记录已同步更新")
            return redirect(activity)
    return _form_page(request, form, activity)


@login_required
@role_required(ACTIVITY_KEEPERS, "只有人大工作人员和联络站联络员可以删除履职活动")
@require_http_methods(["GET", "POST"])
def activity_delete(request, pk):
    """A confirmation page, then the activity and the records it credited go."""
    user = request.user
    activity = _editable(user, pk)
    count = activity.records.count()
    if request.method == "POST":
        try:
            services.activity_delete(activity=activity, actor=user)
        except SERVICE_ERRORS as error:
            messages.error(request, service_error_text(error))
            return redirect(activity)
        messages.success(request, f"已删除“{activity.title}”及 {count} 条履职记录")
        return redirect("duties:activity_list")
    return render(
        request, "duties/activity_delete.html", {"activity": activity, "record_count": count}
    )


@login_required
@role_required(ACTIVITY_KEEPERS, "只有人大工作人员和联络站联络员可以修改出勤情况")
@require_POST
def activity_attendance(request, pk, person_pk):
    """One participant marked present, on leave or absent: only their
    record changes. Answers htmx with the row, others with the page."""
    user = request.user
    activity = _editable(user, pk)
    record = get_object_or_404(
        activity.records.select_related("person__region"), person_id=person_pk
    )
    form = AttendanceForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            record = services.activity_set_attendance(
                activity=activity,
                actor=user,
                person=record.person,
                attendance=form.cleaned_data["attendance"],
                leave_reason=form.cleaned_data["leave_reason"].strip(),
            )
        except SERVICE_ERRORS as failure:
            error = service_error_text(failure)
    else:
        error = error_text(form)
    if request.htmx:
        if error:
            # Keep what was chosen, so the clerk only adds what is missing.
            record.attendance = form.data.get("attendance", record.attendance)
            record.leave_reason = form.data.get("leave_reason", "")
        response = render(
            request,
            "duties/activity_attendance_row.html",
            {
                "activity": activity,
                "record": record,
                "can_edit": True,
                "attendance_choices": Attendance.choices,
                "row_error": error,
                "saved": not error,
            },
        )
        # The page's totals follow (static/renda/duties.js listens).
        response["HX-Trigger"] = json.dumps({"renda:attendance": _attendance_counts(activity)})
        return response
    if error:
        messages.error(request, f"{record.person.name}：{error}")
    else:
        messages.success(
            request, f"已将{record.person.name}改为“{record.get_attendance_display()}”"
        )
    return redirect(reverse("duties:activity_detail", args=[activity.pk]) + "#participants")


@login_required
@role_required(ACTIVITY_KEEPERS, "只有人大工作人员和联络站联络员可以上传活动附件")
@require_POST
def activity_attach(request, pk):
    user = request.user
    activity = _editable(user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            with transaction.atomic():
                _save_attachments(activity, user, form.cleaned_data["files"])
        except SERVICE_ERRORS as error:
            messages.error(request, service_error_text(error))
        else:
            messages.success(request, f"已上传 {len(form.cleaned_data['files'])} 个附件")
    else:
        for error in form.errors.get("files", []):
            messages.error(request, f"上传附件：{error}")
    return redirect(reverse("duties:activity_detail", args=[activity.pk]) + "#attachments")


@login_required
@role_required(REGIONAL)
def activity_attachment(request, pk):
    """An attachment, to those who may read its activity."""
    attachment = get_object_or_404(
        ActivityAttachment.objects.filter(activity__in=Activity.objects.visible_to(request.user)),
        pk=pk,
    )
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        return HttpResponse("附件文件已丢失，请联系系统管理员", status=410)
    inline = attachment.content_type.startswith("image/") or attachment.content_type.endswith("pdf")
    return FileResponse(
        handle,
        content_type=attachment.content_type,
        filename=attachment.name,
        as_attachment=not inline,
    )
