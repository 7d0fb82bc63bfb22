"""Joint inspections (联合检查 / 集中督查) of the handling of one session's
suggestions before the next session: the list for the user's scope, the
form to record one, a record's page and its correction. Office staff only;
rows are read through JointInspection.objects.visible_to(user), so another
township's record is 404; writes go through renda.suggestions.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from renda.core.areas import area_of
from renda.core.forms import add_service_error
from renda.core.permissions import OFFICE, can_manage_region, role_required
from renda.suggestions import services
from renda.suggestions.forms_inspections import JointInspectionForm, SessionPickForm
from renda.suggestions.models import Assignment, JointInspection, Suggestion, UnitRole

PAGE_SIZE = 30
REFUSED = "只有人大工作人员可以查看和录入联合检查"


def _posted(request):
    return request.POST if request.method == "POST" else None


def _inspections(user):
    return JointInspection.objects.visible_to(user).select_related(
        "session__term__body", "region", "recorded_by"
    )


@login_required
@role_required(OFFICE, REFUSED)
def inspection_list(request):
    inspections = (
        _inspections(request.user)
        .prefetch_related("deputies", "units")
        .annotate(item_count=Count("suggestions", distinct=True))
        .order_by("-held_on", "-pk")
    )
    page = Paginator(inspections, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "suggestions/inspection_list.html", {"page": page})


@login_required
@role_required(OFFICE, REFUSED)
def inspection_create(request):
    """First the session whose suggestions were inspected (?session=), then
    the record. A session outside the user's congresses is not found."""
    area = area_of(request)
    pick = SessionPickForm(
        request.GET if "session" in request.GET else None, user=request.user, area=area
    )
    if not pick.is_bound:
        return render(request, "suggestions/inspection_form.html", {"pick": pick, "area": area})
    if not pick.is_valid():
        if pick.has_error("session", "invalid_choice"):
            raise Http404("所选会议不存在，或不在您的工作范围内")
        return render(request, "suggestions/inspection_form.html", {"pick": pick, "area": area})
    session = pick.cleaned_data["session"]
    form = JointInspectionForm(_posted(request), user=request.user, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.joint_inspection_record(
                actor=request.user, session=session, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                f"已录入联合检查，{len(form.cleaned_data['suggestions'])}件建议的流转记录中已记载",
            )
            return redirect(inspection)
    return render(
        request,
        "suggestions/inspection_form.html",
        {"pick": pick, "form": form, "session": session},
    )


@login_required
@role_required(OFFICE, REFUSED)
def inspection_detail(request, pk):
    inspection = get_object_or_404(_inspections(request.user), pk=pk)
    leads = Assignment.objects.filter(active=True, role=UnitRole.LEAD).select_related("unit")
    items = (
        Suggestion.objects.visible_to(request.user)
        .filter(joint_inspections=inspection)
        .select_related("category")
        .prefetch_related(Prefetch("assignments", queryset=leads, to_attr="leads"))
        .order_by("number", "pk")
    )
    return render(
        request,
        "suggestions/inspection_detail.html",
        {
            "inspection": inspection,
            "deputies": inspection.deputies.select_related("region").order_by("name_pinyin"),
            "units": inspection.units.order_by("name"),
            "items": items,
            "can_edit": can_manage_region(request.user, inspection.region),
        },
    )


@login_required
@role_required(OFFICE, REFUSED)
def inspection_edit(request, pk):
    """Correct a record; the session and the items covered stay as recorded."""
    inspection = get_object_or_404(_inspections(request.user), pk=pk)
    if not can_manage_region(request.user, inspection.region):
        raise PermissionDenied("只有负责该次会议建议的人大工作人员可以修改联合检查记录")
    initial = {
        "held_on": inspection.held_on,
        "deputies": list(inspection.deputies.values_list("pk", flat=True)),
        "inspectors": inspection.inspectors,
        "units": list(inspection.units.values_list("pk", flat=True)),
        "findings": inspection.findings,
        "requirements": inspection.requirements,
    }
    form = JointInspectionForm(
        _posted(request),
        user=request.user,
        session=inspection.session,
        editing=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.joint_inspection_update(
                inspection=inspection, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "已修改联合检查记录")
            return redirect(inspection)
    return render(
        request,
        "suggestions/inspection_form.html",
        {
            "form": form,
            "session": inspection.session,
            "inspection": inspection,
            "covered": Suggestion.objects.visible_to(request.user)
            .filter(joint_inspections=inspection)
            .order_by("number", "pk"),
        },
    )
