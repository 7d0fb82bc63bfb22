"""The roster: list, search, detail, edit, mandates, groups, ID reveal, photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from renda.core.areas import area_of
from renda.core.forms import error_text, service_error_text
from renda.core.models import Region
from renda.core.paging import CappedPaginator
from renda.core.params import as_id
from renda.core.permissions import OFFICE, REGIONAL, can_manage_region, role_required
from renda.deputies import services
from renda.deputies.forms import GroupForm, MandateEndForm, MandateForm, MembershipForm, PersonForm
from renda.deputies.idcard import mask_id_number
from renda.deputies.models import (
    Gender,
    Group,
    GroupKind,
    GroupMembership,
    Level,
    Mandate,
    Occupation,
    Party,
    Person,
    Station,
)
from renda.deputies.selectors import SORTS, can_read_private, roster, term_labels

PAGE_SIZE = 50
FILTERS = (
    "q",
    "area",
    "level",
    "term",
    "township",
    "group",
    "station",
    "party",
    "gender",
    "occupation",
)


def roster_filters(request) -> dict:
    """The roster's filters from the query, shared by the list, its print
    and its export: a group or station that is not an id, or a level that
    is not one, is ignored (an empty string), not a 500."""
    filters = {name: request.GET.get(name, "").strip() for name in FILTERS}
    for name in ("group", "station"):
        filters[name] = str(as_id(filters[name]) or "")
    if filters["level"] not in Level.values:
        filters["level"] = ""
    return filters


# A city's congress and above: a province's or a city's own deputies, a few
# thousand at most, where all its counties' are a hundred thousand.
OWN_LEVELS = {Level.NATIONAL, Level.PROVINCIAL, Level.MUNICIPAL}
ROSTER_WAIT = "打印或导出花名册请先选择县（市、区），或选择市人大代表及以上的层级"


def waits_for_county(area, filters: dict) -> bool:
    """A province's or a city's printed or exported roster is of one county
    (or a township in one) or of its own levels' deputies: every deputy of a
    hundred counties is minutes of work and megabytes in one request."""
    narrowed = filters.get("township", "").isdigit() or filters.get("level") in OWN_LEVELS
    return area.waiting and not narrowed


def roster_waits(request, filters: dict):
    """The list, with a message saying what to pick, when the roster
    `filters` name `waits_for_county`; else None."""
    if not waits_for_county(area_of(request), filters):
        return None
    messages.info(request, ROSTER_WAIT)
    return redirect(f"{reverse('deputies:list')}?{request.GET.urlencode()}")


def _filter_choices(request) -> dict:
    user, area = request.user, area_of(request)
    return {
        "area": area,
        "levels": Level.choices,
        "terms": term_labels(Mandate.objects.visible_to(user)),
        "townships": area.choices(Region.objects.visible_to(user).townships()),
        "groups": area.choices(Group.objects.visible_to(user).only("pk", "name")),
        "stations": area.choices(Station.objects.visible_to(user).only("pk", "name")),
        "parties": Party.choices,
        "genders": Gender.choices,
        "occupations": Occupation.choices,
    }


@login_required
@role_required(REGIONAL)
def person_list(request):
    filters = roster_filters(request)
    sort = request.GET.get("sort", "name")
    page = CappedPaginator(roster(request.user, filters=filters, sort=sort), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deputies/person_list.html",
        {
            "page": page,
            "filters": filters,
            "sort": sort if sort in SORTS else "name",
            "today": timezone.localdate(),
            "is_office": request.user.is_office_staff,
            **_filter_choices(request),
        },
    )


@login_required
@role_required(REGIONAL)
def person_print(request):
    """人大代表花名册, printable: the filtered roster in the register's columns."""
    filters = roster_filters(request)
    if waiting := roster_waits(request, filters):
        return waiting
    people = roster(request.user, filters=filters, sort=request.GET.get("sort", "township"))
    rows = [
        {
            "person": person,
            "id_number": person.id_number
            if can_manage_region(request.user, person.region)
            else mask_id_number(person.id_number),
            "private": can_read_private(request.user, person),
        }
        for person in people
    ]
    return render(
        request, "deputies/person_print.html", {"rows": rows, "today": timezone.localdate()}
    )


def _person_for(user, pk) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(user).select_related("region", "user"), pk=pk
    )


@login_required
@role_required(REGIONAL)
def person_detail(request, pk):
    person = _person_for(request.user, pk)
    mandates = person.mandates.select_related("term__body", "constituency").order_by(
        "ended_on", "level"
    )
    memberships = person.memberships.select_related("group")
    return render(
        request,
        "deputies/person_detail.html",
        {
            "person": person,
            "mandates": mandates,
            "memberships": memberships,
            "stations": person.stations.all(),
            "private": can_read_private(request.user, person),
            "can_manage": can_manage_region(request.user, person.region),
            "masked_id": mask_id_number(person.id_number),
            "age": person.age_on(timezone.localdate()),
            "end_form": MandateEndForm(),
        },
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以维护代表信息")
def person_edit(request, pk=None):
    person = None
    if pk is not None:
        person = _person_for(request.user, pk)
        if not can_manage_region(request.user, person.region):
            raise PermissionDenied("该代表不在您的管理范围")
    form = PersonForm(
        request.POST or None, request.FILES or None, instance=person, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.person_save(person=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已保存代表“{saved.name}”")
            return redirect(saved)
    return render(request, "deputies/person_form.html", {"form": form, "person": person})


@login_required
@role_required(OFFICE, "只有代表名册管理人员可以查看完整身份证号码")
@require_POST
def person_reveal_id(request, pk):
    person = _person_for(request.user, pk)
    if not can_manage_region(request.user, person.region):
        raise PermissionDenied("只有代表名册管理人员可以查看完整身份证号码")
    number = services.id_number_reveal(
        person=person, actor=request.user, ip_address=request.META.get("REMOTE_ADDR")
    )
    return HttpResponse(
        format_html('<span class="font-monospace" data-testid="full-id">{}</span>', number)
    )


def person_photo(request, pk):
    """A deputy's photo: public, as it is on the disclosure board, for people
    holding a current mandate; otherwise only within scope."""
    person = Person.objects.filter(pk=pk).first()
    if person is None or not person.photo:
        raise Http404
    if (
        not Person.objects.filter(pk=pk).serving().exists()
        and not Person.objects.visible_to(request.user).filter(pk=pk).exists()
    ):
        raise Http404
    return FileResponse(person.photo.open("rb"))


@login_required
@role_required(OFFICE, "只有人大工作人员可以维护代表职务")
def mandate_add(request, pk):
    person = _person_for(request.user, pk)
    if not can_manage_region(request.user, person.region):
        raise PermissionDenied("该代表不在您的管理范围")
    form = MandateForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_add(mandate=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "已添加代表职务")
            return redirect(person)
    return render(request, "deputies/mandate_form.html", {"form": form, "person": person})


@login_required
@role_required(OFFICE, "只有人大工作人员可以维护代表职务")
@require_POST
def mandate_end(request, pk):
    mandate = get_object_or_404(
        Mandate.objects.visible_to(request.user).select_related("person__region"), pk=pk
    )
    if not can_manage_region(request.user, mandate.person.region):
        raise PermissionDenied("该代表不在您的管理范围")
    form = MandateEndForm(request.POST)
    if form.is_valid():
        try:
            services.mandate_end(mandate=mandate, actor=request.user, **form.cleaned_data)
            messages.success(request, f"已终止：{mandate}")
        except ValidationError as error:
            messages.error(request, service_error_text(error))
    else:
        messages.error(request, error_text(form))
    return redirect(mandate.person)


# --- groups and topic groups -------------------------------------------------


@login_required
@role_required(REGIONAL)
def group_list(request):
    groups = (
        Group.objects.visible_to(request.user)
        .select_related("region")
        .annotate(member_count=Count("memberships"))
        .order_by("region__code", "kind", "name")
    )
    kind = request.GET.get("kind", "")
    if kind in GroupKind.values:
        groups = groups.filter(kind=kind)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "deputies/group_list.html",
        {
            "page": page,
            "kind": kind,
            "kinds": GroupKind.choices,
            "is_office": request.user.is_office_staff,
        },
    )


def _group_for(user, pk) -> Group:
    return get_object_or_404(Group.objects.visible_to(user).select_related("region"), pk=pk)


@login_required
@role_required(REGIONAL)
def group_detail(request, pk):
    group = _group_for(request.user, pk)
    memberships = group.memberships.select_related("person").order_by("role", "person__name_pinyin")
    can_manage = can_manage_region(request.user, group.region)
    return render(
        request,
        "deputies/group_detail.html",
        {
            "group": group,
            "memberships": memberships,
            "can_manage": can_manage,
            "member_form": MembershipForm(user=request.user) if can_manage else None,
        },
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以维护代表小组")
def group_edit(request, pk=None):
    group = None
    if pk is not None:
        group = _group_for(request.user, pk)
        if not can_manage_region(request.user, group.region):
            raise PermissionDenied("该小组不在您的管理范围")
    form = GroupForm(request.POST or None, instance=group, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.group_save(group=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"已保存“{saved.name}”")
            return redirect(saved)
    return render(request, "deputies/group_form.html", {"form": form, "group": group})


@login_required
@role_required(OFFICE, "只有人大工作人员可以维护代表小组")
@require_POST
def group_member_add(request, pk):
    group = _group_for(request.user, pk)
    if not can_manage_region(request.user, group.region):
        raise PermissionDenied("该小组不在您的管理范围")
    form = MembershipForm(request.POST, user=request.user)
    if form.is_valid():
        services.group_add_member(
            group=group, person=form.cleaned_data["person"], role=form.cleaned_data["role"]
        )
        messages.success(
            request,
            f"已将{form.cleaned_data['person']}加入{group}（同类小组只能参加一个，原小组已自动退出）",
        )
    else:
        messages.error(request, error_text(form))
    return redirect(group)


@login_required
@role_required(OFFICE, "只有人大工作人员可以维护代表小组")
@require_POST
def group_member_remove(request, pk, person_pk):
    group = _group_for(request.user, pk)
    if not can_manage_region(request.user, group.region):
        raise PermissionDenied("该小组不在您的管理范围")
    membership = get_object_or_404(GroupMembership, group=group, person_id=person_pk)
    services.group_remove_member(group=group, person=membership.person)
    messages.success(request, f"已将{membership.person}移出{group}")
    return redirect(group)
