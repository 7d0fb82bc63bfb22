"""Stations, their reception schedules, standards checklists and assessments.

Reading: office staff, deputies and liaison officers see the stations of their
region (`Station.objects.visible_to`). Writing: office staff manage stations
of their region and below; a liaison officer may also keep the stations they
are assigned to (the place's facts and its reception schedule). Checklists are
kept by the office of the region that made them (national ones by a superuser);
assessments are recorded by office staff over the station's region.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from renda.core.areas import area_of
from renda.core.models import Region, Role
from renda.core.permissions import OFFICE, REGIONAL, can_manage_region, role_required
from renda.core.search import contains_text
from renda.deputies import services_stations as services
from renda.deputies.forms_stations import (
    AssessmentForm,
    ChecklistChoiceForm,
    ChecklistForm,
    ScheduleForm,
    StationForm,
)
from renda.deputies.models import (
    Assessment,
    AssessmentResult,
    Checklist,
    ChecklistItem,
    Person,
    ReceptionSchedule,
    Station,
    StationKind,
)
from renda.deputies.schedule import describe_schedule, upcoming_reception_days

PAGE_SIZE = 50
UPCOMING_DAYS = 8


def can_edit_station(user, station: Station) -> bool:
    """Office staff over the station's region, or a liaison officer assigned to it."""
    if can_manage_region(user, station.region):
        return True
    return (
        user.is_authenticated
        and user.role == Role.LIAISON
        and station.liaison_officers.filter(pk=user.pk).exists()
    )


def _visible_station(user, pk) -> Station:
    return get_object_or_404(
        Station.objects.visible_to(user).select_related("region__parent"), pk=pk
    )


def _editable_station(user, pk) -> Station:
    station = _visible_station(user, pk)
    if not can_edit_station(user, station):
        raise PermissionDenied("只有本级人大工作人员或本站联络员可以修改联络站")
    return station


def _percent(met: int, total: int) -> int:
    return round(100 * met / total) if total else 0


# --- stations -------------------------------------------------------------------


@login_required
@role_required(REGIONAL)
def station_list(request):
    user = request.user
    stations = (
        Station.objects.visible_to(user)
        .select_related("region__parent")
        .annotate(deputy_count=Count("resident_deputies", distinct=True))
        .prefetch_related("schedules")
        .order_by("region__code", "name", "pk")
    )
    townships = list(Region.objects.visible_to(user).townships().order_by("code"))
    township = next((t for t in townships if str(t.pk) == request.GET.get("township")), None)
    if township is not None:
        stations = stations.filter(region__code__startswith=township.code)
    kind = request.GET.get("kind", "")
    if kind in StationKind.values:
        stations = stations.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        stations = stations.filter(contains_text(query, "name"))
    page = Paginator(stations, PAGE_SIZE).get_page(request.GET.get("page"))
    for station in page:
        station.schedule_labels = [describe_schedule(s) for s in station.schedules.all()]
    return render(
        request,
        "deputies/station_list.html",
        {
            "page": page,
            "q": query,
            "kind": kind,
            "kinds": StationKind.choices,
            "townships": townships,
            "township": township,
            "can_create": user.is_office_staff,
        },
    )


@login_required
@role_required(REGIONAL)
def station_detail(request, pk):
    user = request.user
    station = get_object_or_404(
        Station.objects.visible_to(user)
        .select_related("region__parent")
        .prefetch_related(
            Prefetch("resident_deputies", queryset=Person.objects.select_related("region")),
            "liaison_officers",
            "schedules",
        ),
        pk=pk,
    )
    assessments = list(
        station.assessments.select_related("checklist", "assessor")
        .annotate(met_count=Count("results", filter=Q(results__met=True)), total=Count("results"))
        .order_by("-assessed_on", "-pk")
    )
    latest = {}
    for assessment in assessments:
        latest.setdefault(assessment.checklist_id, assessment)
    missing = {}
    for result in (
        AssessmentResult.objects.filter(assessment__in=list(latest.values()), met=False)
        .select_related("item")
        .order_by("item__order")
    ):
        missing.setdefault(result.assessment_id, []).append(result.item)
    latest_rows = [
        {
            "assessment": assessment,
            "met": assessment.met_count,
            "total": assessment.total,
            "percent": _percent(assessment.met_count, assessment.total),
            "missing": missing.get(assessment.pk, []),
        }
        for assessment in latest.values()
    ]
    schedules = [
        (schedule, describe_schedule(schedule))
        for schedule in sorted(station.schedules.all(), key=lambda s: (s.kind, s.pk))
    ]
    can_edit = can_edit_station(user, station)
    return render(
        request,
        "deputies/station_detail.html",
        {
            "station": station,
            "schedules": schedules,
            "upcoming": upcoming_reception_days(station, timezone.localdate(), UPCOMING_DAYS),
            "latest_assessments": latest_rows,
            "assessments": assessments,
            "can_edit": can_edit,
            "can_assess": can_manage_region(user, station.region),
            "history": station.history.select_related("history_user")[:10] if can_edit else [],
        },
    )


def _station_form(request, station: Station | None, *, liaison_only=False):
    form = StationForm(
        request.POST or None,
        instance=station,
        user=request.user,
        liaison_only=liaison_only,
        area=area_of(request),
    )
    if request.method == "POST" and form.is_valid():
        candidate = form.save(commit=False)
        if not liaison_only and not can_manage_region(request.user, candidate.region):
            raise PermissionDenied("只能在本级及下级区划设立联络站")
        try:
            saved = services.station_save(
                station=candidate,
                actor=request.user,
                resident_deputies=form.deputies(),
                liaison_officers=form.officers(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已保存“{saved.name}”")
            return redirect(saved)
    return render(
        request,
        "deputies/station_form.html",
        {"form": form, "station": station, "liaison_only": liaison_only},
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以新增联络站")
def station_create(request):
    return _station_form(request, None)


@login_required
@role_required(REGIONAL)
def station_edit(request, pk):
    station = _editable_station(request.user, pk)
    return _station_form(
        request, station, liaison_only=not can_manage_region(request.user, station.region)
    )


# --- reception schedules --------------------------------------------------------------


def _schedule_form(request, station: Station, schedule: ReceptionSchedule | None):
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        candidate = form.save(commit=False)
        candidate.station = station
        try:
            services.schedule_save(schedule=candidate, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已保存接待安排：{describe_schedule(candidate)}")
            return redirect(station)
    return render(
        request,
        "deputies/schedule_form.html",
        {"form": form, "station": station, "schedule": schedule},
    )


def _editable_schedule(user, pk) -> ReceptionSchedule:
    schedule = get_object_or_404(
        ReceptionSchedule.objects.filter(
            station__in=Station.objects.visible_to(user)
        ).select_related("station__region"),
        pk=pk,
    )
    if not can_edit_station(user, schedule.station):
        raise PermissionDenied("只有本级人大工作人员或本站联络员可以修改接待安排")
    return schedule


@login_required
@role_required(REGIONAL)
def schedule_create(request, station_pk):
    station = _editable_station(request.user, station_pk)
    return _schedule_form(request, station, None)


@login_required
@role_required(REGIONAL)
def schedule_edit(request, pk):
    schedule = _editable_schedule(request.user, pk)
    return _schedule_form(request, schedule.station, schedule)


@login_required
@role_required(REGIONAL)
@require_POST
def schedule_delete(request, pk):
    schedule = _editable_schedule(request.user, pk)
    station = schedule.station
    label = describe_schedule(schedule)
    services.schedule_delete(schedule=schedule, actor=request.user)
    messages.success(request, f"已删除接待安排：{label}")
    return redirect(station)


# --- standards checklists --------------------------------------------------------------


@login_required
@role_required(REGIONAL)
def checklist_list(request):
    checklists = (
        Checklist.objects.visible_to(request.user)
        .select_related("region")
        .annotate(item_count=Count("items"))
        .order_by("name", "pk")
    )
    page = Paginator(checklists, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "deputies/checklist_list.html",
        {"page": page, "can_create": request.user.is_office_staff},
    )


@login_required
@role_required(REGIONAL)
def checklist_detail(request, pk):
    user = request.user
    checklist = get_object_or_404(
        Checklist.objects.visible_to(user).select_related("region"), pk=pk
    )
    assessments = (
        checklist.assessments.filter(station__in=Station.objects.visible_to(user))
        .select_related("station__region")
        .annotate(met_count=Count("results", filter=Q(results__met=True)), total=Count("results"))
        .order_by("-assessed_on", "-pk")[:20]
    )
    return render(
        request,
        "deputies/checklist_detail.html",
        {
            "checklist": checklist,
            "items": checklist.items.all(),
            "assessments": assessments,
            "can_manage": can_manage_region(user, checklist.region),
        },
    )


def _checklist_form(request, checklist: Checklist | None):
    form = ChecklistForm(request.POST or None, instance=checklist, user=request.user)
    if request.method == "POST" and form.is_valid():
        candidate = form.save(commit=False)
        if not can_manage_region(request.user, candidate.region):
            raise PermissionDenied("只能为本级及下级区划制定建设标准")
        try:
            saved = services.checklist_save(
                checklist=candidate, items=form.cleaned_data["items"], actor=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已保存建设标准“{saved.name}”")
            return redirect("deputies:checklist_detail", pk=saved.pk)
    return render(request, "deputies/checklist_form.html", {"form": form, "checklist": checklist})


@login_required
@role_required(OFFICE, "只有人大工作人员可以制定建设标准")
def checklist_create(request):
    return _checklist_form(request, None)


@login_required
@role_required(OFFICE, "只有人大工作人员可以修改建设标准")
def checklist_edit(request, pk):
    checklist = get_object_or_404(
        Checklist.objects.visible_to(request.user).select_related("region"), pk=pk
    )
    if not can_manage_region(request.user, checklist.region):
        raise PermissionDenied("该标准由上级制定（或为通用标准），本级不能修改")
    return _checklist_form(request, checklist)


# --- assessments -------------------------------------------------------------------


@login_required
@role_required(OFFICE, "只有人大工作人员可以进行达标评估")
def assessment_create(request, station_pk):
    user = request.user
    station = _visible_station(user, station_pk)
    if not can_manage_region(user, station.region):
        raise PermissionDenied("只有本级人大工作人员可以评估该联络站")
    checklists = services.checklists_for_station(Checklist.objects.visible_to(user), station)
    # The checklist comes from the chooser (GET), or with the filled-in form (POST).
    chosen = next((d for d in (request.POST, request.GET) if "checklist" in d), None)
    if chosen is None and len(only := list(checklists[:2])) == 1:
        chosen = {"checklist": only[0].pk}
    chooser = ChecklistChoiceForm(chosen, checklists=checklists)
    if not chooser.is_bound or not chooser.is_valid():
        return render(
            request,
            "deputies/assessment_choose.html",
            {"station": station, "chooser": chooser, "has_checklists": checklists.exists()},
        )
    checklist = chooser.cleaned_data["checklist"]
    items = ChecklistItem.objects.filter(checklist=checklist).order_by("order")
    form = AssessmentForm(request.POST or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                station=station,
                checklist=checklist,
                assessed_on=form.cleaned_data["assessed_on"],
                results=form.results(),
                note=form.cleaned_data["note"].strip(),
                actor=user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已保存达标评估")
            return redirect("deputies:assessment_detail", pk=assessment.pk)
    return render(
        request,
        "deputies/assessment_form.html",
        {"station": station, "checklist": checklist, "form": form},
    )


@login_required
@role_required(REGIONAL)
def assessment_detail(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.filter(
            station__in=Station.objects.visible_to(request.user)
        ).select_related("station__region", "checklist", "assessor"),
        pk=pk,
    )
    results = list(assessment.results.select_related("item").order_by("item__order"))
    met = sum(1 for result in results if result.met)
    return render(
        request,
        "deputies/assessment_detail.html",
        {
            "assessment": assessment,
            "results": results,
            "met": met,
            "total": len(results),
            "percent": _percent(met, len(results)),
            "missing": [result for result in results if not result.met],
        },
    )
