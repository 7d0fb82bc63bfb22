"""Contact links pages: the yearly overview, one linker's links and visits,
and the register 代表联系选民登记卡 (printable and .xlsx).

Office staff in scope keep everyone's links; a deputy keeps their own;
liaison officers read. Reads go through `renda.deputies.contacts`, writes
through `renda.deputies.services_contacts`."""

from io import BytesIO
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from renda.core.models import Region, Role
from renda.core.permissions import REGIONAL, can_manage_region, role_required
from renda.deputies import contacts
from renda.deputies import services_contacts as services
from renda.deputies.forms_contacts import ContactLinkEndForm, ContactLinkForm, ContactVisitForm
from renda.deputies.models import ContactKind, ContactLink

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- helpers -------------------------------------------------------------------------


def _overview_filters(request):
    user = request.user
    year = contacts.parse_year(request.GET.get("year"))
    kind = request.GET.get("kind", "")
    if kind not in ContactKind.values:
        kind = ""
    townships = []
    township = None
    if user.is_county_staff:
        townships = list(Region.objects.visible_to(user).townships().order_by("code"))
        chosen = request.GET.get("township", "")
        township = next((t for t in townships if str(t.pk) == chosen), None)
    q = request.GET.get("q", "").strip()[:30]
    return year, kind, townships, township, q


def _linker(request, pk):
    """The linker Person, if the user may read their links (else 404)."""
    return get_object_or_404(
        contacts.linkers_visible_to(request.user).select_related("region"), pk=pk
    )


def _require_manage(user, person):
    if not contacts.can_manage_contacts(user, person):
        raise PermissionDenied("只有本级人大工作人员或代表本人可以登记联系情况")


def _put_errors_on_form(form, error: ValidationError):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, field_messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, field_messages)


def _with_phones(links, visible: bool):
    for link in links:
        link.phone_shown = contacts.shown_phone(link.target_phone, visible)
        link.object_name = contacts.link_object(link)
    return links


def _xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _check_text(kind_summary) -> str:
    if kind_summary.met is None:
        return "无考核要求"
    return "；".join(
        f"{check.label}：{'达标' if check.met else '未达标'}（依据：{check.source}）"
        for check in kind_summary.checks
    )


# --- the overview -----------------------------------------------------------------------


@login_required
@role_required(REGIONAL, "只有人大工作人员、代表和联络员可以查看联系情况")
def contact_list(request):
    year, kind, townships, township, q = _overview_filters(request)
    people = contacts.overview_people(request.user, year, kind=kind, township=township, q=q)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    summaries = contacts.contact_summaries(page.object_list, year, kind=kind)
    return render(
        request,
        "deputies/contact_list.html",
        {
            "page": page,
            "summaries": summaries,
            "year": year,
            "years": contacts.year_choices(year),
            "kind": kind,
            "kinds": ContactKind.choices,
            "townships": townships,
            "township": township,
            "q": q,
            "reference_date": contacts.reference_date(year),
            # A deputy with no links yet still needs a way to their own page.
            "own_page": (
                contacts.linkers_visible_to(request.user).first()
                if request.user.role == Role.DEPUTY
                else None
            ),
        },
    )


@login_required
@role_required(REGIONAL, "只有人大工作人员、代表和联络员可以导出联系情况")
def contact_list_xlsx(request):
    year, kind, _townships, township, q = _overview_filters(request)
    people = contacts.overview_people(request.user, year, kind=kind, township=township, q=q)
    summaries = contacts.contact_summaries(
        people,
        year,
        kind=kind,
        links=ContactLink.objects.filter(linker__in=people),
    )
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年联系情况"
    sheet.append([f"{year}年度代表联系情况统计（截至 {contacts.reference_date(year):%Y-%m-%d}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["联系人", "所属乡镇（街道）", "联系类别", "有效联系数", "本年联系次数", "考核"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for summary in summaries:
        if not summary.kinds:
            sheet.append([summary.person.name, summary.person.region.name, "暂无联系", 0, 0, ""])
        for row in summary.kinds:
            sheet.append(
                [
                    summary.person.name,
                    summary.person.region.name,
                    row.kind_label,
                    row.links,
                    row.visits,
                    _check_text(row),
                ]
            )
    for column, width in zip("ABCDEF", (12, 16, 24, 12, 14, 80), strict=True):
        sheet.column_dimensions[column].width = width
    return _xlsx_response(book, f"{year}年代表联系情况.xlsx")


# --- one linker --------------------------------------------------------------------------


@login_required
@role_required(REGIONAL, "只有人大工作人员、代表和联络员可以查看联系情况")
def contact_person(request, pk):
    person = _linker(request, pk)
    year = contacts.parse_year(request.GET.get("year"))
    record = contacts.linker_year(person, year, all_links=True)
    visible = contacts.can_see_private_phone(request.user, person)
    _with_phones(record.links, visible)
    for visit in record.visits:
        visit.object_name = contacts.link_object(visit.link)
    return render(
        request,
        "deputies/contact_person.html",
        {
            "person": person,
            "record": record,
            "year": year,
            "years": contacts.year_choices(year),
            "can_manage": contacts.can_manage_contacts(request.user, person),
            "today": timezone.localdate(),
        },
    )


@login_required
@role_required(REGIONAL, "只有人大工作人员或代表本人可以登记联系情况")
def contact_link_create(request, pk):
    person = _linker(request, pk)
    _require_manage(request.user, person)
    office = can_manage_region(request.user, person.region)
    form = ContactLinkForm(request.POST or None, user=request.user, linker=person, office=office)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            link = services.contact_link_create(
                linker=person,
                kind=data["kind"],
                started_on=data["started_on"],
                actor=request.user,
                deputy=data.get("deputy"),
                linker_title=data.get("linker_title", ""),
                target_name=data["target_name"],
                target_category=data["target_category"],
                target_address=data["target_address"],
                target_phone=data["target_phone"],
            )
        except ValidationError as error:
            _put_errors_on_form(form, error)
        else:
            messages.success(request, f"已建立与“{contacts.link_object(link)}”的联系")
            return redirect("deputies:contact_person", pk=person.pk)
    return render(request, "deputies/contact_link_form.html", {"form": form, "person": person})


def _managed_link(request, pk):
    link = get_object_or_404(
        contacts.contact_links_visible_to(request.user).select_related("linker__region", "deputy"),
        pk=pk,
    )
    _require_manage(request.user, link.linker)
    return link


@login_required
@role_required(REGIONAL, "只有人大工作人员或代表本人可以登记联系情况")
def contact_link_end(request, pk):
    link = _managed_link(request, pk)
    if link.ended_on is not None:
        messages.info(request, f"该联系已于 {link.ended_on:%Y-%m-%d} 结束")
        return redirect("deputies:contact_person", pk=link.linker_id)
    form = ContactLinkEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_link_end(
                link=link, ended_on=form.cleaned_data["ended_on"], actor=request.user
            )
        except ValidationError as error:
            _put_errors_on_form(form, error)
        else:
            messages.success(request, f"与“{contacts.link_object(link)}”的联系已结束，记录仍保留")
            return redirect("deputies:contact_person", pk=link.linker_id)
    return render(
        request,
        "deputies/contact_link_end.html",
        {"form": form, "link": link, "object_name": contacts.link_object(link)},
    )


@login_required
@role_required(REGIONAL, "只有人大工作人员或代表本人可以登记联系情况")
def contact_visit_create(request, pk):
    link = _managed_link(request, pk)
    form = ContactVisitForm(request.POST or None, link=link)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.contact_visit_record(
                link=link,
                visited_on=data["visited_on"],
                method=data["method"],
                summary=data["summary"],
                actor=request.user,
            )
        except ValidationError as error:
            _put_errors_on_form(form, error)
        else:
            messages.success(request, f"已登记 {visit.visited_on:%Y-%m-%d} 的联系")
            url = reverse("deputies:contact_person", kwargs={"pk": link.linker_id})
            return redirect(f"{url}?year={visit.visited_on.year}")
    return render(
        request,
        "deputies/contact_visit_form.html",
        {"form": form, "link": link, "object_name": contacts.link_object(link)},
    )


# --- the register 代表联系选民登记卡 ------------------------------------------------------


def _card(request, pk, year):
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404("没有该年度的登记卡")
    person = _linker(request, pk)
    record = contacts.linker_year(person, year)
    _with_phones(record.links, contacts.can_see_private_phone(request.user, person))
    for visit in record.visits:
        visit.object_name = contacts.link_object(visit.link)
    return person, record


@login_required
@role_required(REGIONAL, "只有人大工作人员、代表和联络员可以查看登记卡")
def contact_card(request, pk, year):
    person, record = _card(request, pk, year)
    return render(
        request,
        "deputies/contact_card.html",
        {
            "person": person,
            "record": record,
            "year": year,
            "reference_date": contacts.reference_date(year),
        },
    )


@login_required
@role_required(REGIONAL, "只有人大工作人员、代表和联络员可以导出登记卡")
def contact_card_xlsx(request, pk, year):
    person, record = _card(request, pk, year)
    book = Workbook()
    sheet = book.active
    sheet.title = "代表联系选民登记卡"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([f"代表联系选民登记卡（{year}年度）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        ["代表姓名", person.name, "所属乡镇（街道）", person.region.name, "工作单位及职务"]
        + [person.unit_and_post]
    )
    sheet.append([])
    sheet.append(["一、联系对象"])
    sheet.cell(sheet.max_row, 1).font = bold
    sheet.append(["联系类别", "联系对象", "对象类别", "住址", "联系电话", "建立日期", "结束日期"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for link in record.links:
        sheet.append(
            [
                link.get_kind_display(),
                link.object_name,
                link.get_target_category_display() if link.target_category else "",
                link.target_address,
                link.phone_shown,
                link.started_on,
                link.ended_on,
            ]
        )
        sheet.cell(sheet.max_row, 6).number_format = "yyyy-mm-dd"
        sheet.cell(sheet.max_row, 7).number_format = "yyyy-mm-dd"
    sheet.append([])
    sheet.append(["二、联系记录"])
    sheet.cell(sheet.max_row, 1).font = bold
    sheet.append(["联系日期", "联系对象", "联系方式", "联系内容"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for visit in record.visits:
        sheet.append([visit.visited_on, visit.object_name, visit.method, visit.summary])
        sheet.cell(sheet.max_row, 1).number_format = "yyyy-mm-dd"
        sheet.cell(sheet.max_row, 4).alignment = wrap
    sheet.append([])
    sheet.append([f"三、年度小结（截至 {contacts.reference_date(year):%Y-%m-%d}）"])
    sheet.cell(sheet.max_row, 1).font = bold
    sheet.append(["联系类别", "有效联系数", "本年联系次数", "考核"])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in record.summary.kinds:
        sheet.append([row.kind_label, row.links, row.visits, _check_text(row)])
    for column, width in zip("ABCDEFG", (24, 14, 16, 40, 16, 12, 12), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    return _xlsx_response(book, f"代表联系选民登记卡-{person.name}-{year}.xlsx")
