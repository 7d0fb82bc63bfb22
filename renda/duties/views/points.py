"""Points scheme pages (积分制管理): scheme versions and their items, the
staff's score table and .xlsx, a deputy's own score with how each point was
earned, awards, correction requests and answers, and publications.

Scores are private: a deputy reads only their own breakdown and sees other
deputies' totals only in a publication of their region. The points scheme
is optional per office; where none is in force the pages say so.

Thin views: parse, check who may act, call renda.duties.services, render.
Rows are read through `visible_to`; scores through renda.duties.points."""

import datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Font

from renda.core.areas import area_of
from renda.core.forms import SERVICE_ERRORS, add_service_error
from renda.core.models import Region, Role
from renda.core.permissions import DEPUTIES, OFFICE, can_manage_region, has_role, role_required
from renda.core.workflow import timeline
from renda.deputies.contacts import parse_year, year_choices
from renda.deputies.models import Person
from renda.deputies.selectors import deputy_of
from renda.duties import points, services
from renda.duties.forms_points import (
    AwardForm,
    BandsForm,
    CategoryForm,
    CorrectionAnswerForm,
    CorrectionRequestForm,
    ItemForm,
    PublicationForm,
    SchemeForm,
    kind_grid,
)
from renda.duties.models import (
    Correction,
    CorrectionStatus,
    ItemBasis,
    PointsAward,
    PointsItem,
    PointsItemKind,
    PointsScheme,
    ScorePublication,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Office staff, and deputies for what concerns them (their own score,
# corrections, their region's publications).
OFFICE_AND_DEPUTIES = OFFICE | DEPUTIES
NO_SCHEME = "本地未启用积分制"
CORRECTION_EVENTS = {"requested": "提出申请", "accepted": "采纳", "refused": "不予采纳"}
SORTS = {"total": "总分", "name": "姓名", "township": "乡镇"}


def _posted(request):
    return request.POST if request.method == "POST" else None


def _standing_day(year: int) -> datetime.date:
    """Scores of a past year are read at its end; of this year, today."""
    return min(timezone.localdate(), datetime.date(year, 12, 31))


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _url_or_none(name: str, *args) -> str | None:
    # Record lists are another sub-topic's pages; link to them once they exist.
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _require_manage(user, region, message="您不能管理该区划的积分"):
    if not can_manage_region(user, region):
        raise PermissionDenied(message)


# --- scheme versions ---------------------------------------------------------------------


def _scheme_state(scheme: PointsScheme, today) -> str:
    if scheme.effective_from > today:
        return "未生效"
    if scheme.effective_to is not None and scheme.effective_to < today:
        return "已失效"
    return "施行中"


@login_required
@role_required(OFFICE)
def scheme_list(request):
    """Every version of the schemes governing the user's region and below."""
    user = request.user
    today = timezone.localdate()
    schemes = list(
        PointsScheme.objects.visible_to(user)
        .select_related("region")
        .annotate(item_count=Count("items"))
    )
    for scheme in schemes:
        scheme.state = _scheme_state(scheme, today)
    if user.region_id:
        current = points.scheme_for(user.region, today)
    else:
        current = next((s for s in schemes if s.state == "施行中"), None)
    return render(
        request,
        "duties/scheme_list.html",
        {"schemes": schemes, "current": current, "no_scheme": NO_SCHEME},
    )


def _scheme_for(user, pk) -> PointsScheme:
    return get_object_or_404(
        PointsScheme.objects.visible_to(user).select_related("region", "created_by"), pk=pk
    )


@login_required
@role_required(OFFICE)
def scheme_detail(request, pk):
    """A version's categories and items: basis, points, cap, the records
    each counts, and the base points every serving deputy gets."""
    scheme = _scheme_for(request.user, pk)
    items = PointsItem.objects.prefetch_related("kinds").order_by("order", "pk")
    categories = list(scheme.categories.prefetch_related(Prefetch("items", queryset=items)))
    base_total = sum(
        (i.points for c in categories for i in c.items.all() if i.basis == ItemBasis.BASE),
        Decimal("0.0"),
    )
    return render(
        request,
        "duties/scheme_detail.html",
        {
            "scheme": scheme,
            "state": _scheme_state(scheme, timezone.localdate()),
            "categories": categories,
            "item_count": sum(len(c.items.all()) for c in categories),
            "base_total": base_total,
            "can_manage": can_manage_region(request.user, scheme.region),
        },
    )


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def scheme_create(request):
    """A new version from the 1st of a month; the one in force before it
    ends the day before, so earlier months keep their scores."""
    user = request.user
    today = timezone.localdate()
    current = points.scheme_for(user.region, today) if user.region_id else None
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    initial = {"region": user.region_id, "effective_from": next_month, "copy_items": True}
    form = SchemeForm(_posted(request), user=user, current=current, initial=initial)
    bands = BandsForm(_posted(request), initial=BandsForm.initial_for(current))
    # Both forms are checked so every mistake shows at once.
    valid = [form.is_valid(), bands.is_valid()] if request.method == "POST" else [False]
    if all(valid):
        data = form.cleaned_data
        copy_from = None
        if data.get("copy_items"):
            copy_from = points.scheme_for(data["region"], today)
        try:
            scheme = services.scheme_create(
                actor=user,
                region=data["region"],
                name=data["name"],
                effective_from=data["effective_from"],
                source=data["source"],
                scale=data["scale"],
                bands=bands.cleaned_data["bands"],
                stars=bands.cleaned_data["stars"],
                copy_from=copy_from,
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
            if hasattr(error, "error_dict"):
                for name in ("bands", "stars"):
                    for message in error.message_dict.get(name, []):
                        bands.add_error(None, message)
        else:
            messages.success(
                request, f"已建立“{scheme.name}”，自{_day(scheme.effective_from)}起施行"
            )
            return redirect(scheme)
    return render(
        request,
        "duties/scheme_form.html",
        {"form": form, "bands": bands, "current": current},
    )


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def scheme_category_add(request, pk):
    scheme = _scheme_for(request.user, pk)
    _require_manage(request.user, scheme.region, "您不能修改该积分方案")
    next_order = (max((c.order for c in scheme.categories.all()), default=0)) + 1
    form = CategoryForm(_posted(request), initial={"order": next_order})
    if request.method == "POST" and form.is_valid():
        try:
            category = services.scheme_category_add(
                actor=request.user, scheme=scheme, **form.cleaned_data
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已添加类别“{category.name}”")
            return redirect(f"{scheme.get_absolute_url()}#category-{category.pk}")
    return render(request, "duties/scheme_category_form.html", {"scheme": scheme, "form": form})


def _item_for(user, pk) -> PointsItem:
    return get_object_or_404(
        PointsItem.objects.filter(scheme__in=PointsScheme.objects.visible_to(user))
        .select_related("scheme__region", "category")
        .prefetch_related("kinds"),
        pk=pk,
    )


def _item_page(request, scheme: PointsScheme, item: PointsItem | None):
    _require_manage(request.user, scheme.region, "您不能修改该积分方案")
    if item is not None:
        initial = ItemForm.initial_for(item)
    else:
        initial = {"category": request.GET.get("category"), "basis": ItemBasis.RECORDS}
    form = ItemForm(_posted(request), scheme=scheme, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.scheme_item_save(
                actor=request.user,
                category=data["category"],
                name=data["name"],
                basis=data["basis"],
                points_each=data["points"],
                cap=data["cap"],
                kinds=data["kind_pairs"],
                order=data["order"],
                item=item,
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已保存计分项目“{saved.name}”，积分已按新规则重新计算")
            return redirect(f"{scheme.get_absolute_url()}#item-{saved.pk}")
    taken = {
        f"{k.kind}:{k.attendance}": k.item.name
        for k in PointsItemKind.objects.filter(scheme=scheme)
        .exclude(item=item)
        .select_related("item")
    }
    return render(
        request,
        "duties/scheme_item_form.html",
        {
            "scheme": scheme,
            "item": item,
            "form": form,
            "grid": kind_grid(form, taken),
            "has_categories": scheme.categories.exists(),
        },
    )


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def scheme_item_create(request, pk):
    return _item_page(request, _scheme_for(request.user, pk), None)


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def scheme_item_edit(request, pk):
    item = _item_for(request.user, pk)
    return _item_page(request, item.scheme, item)


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def scheme_item_delete(request, pk):
    item = _item_for(request.user, pk)
    scheme = item.scheme
    _require_manage(request.user, scheme.region, "您不能修改该积分方案")
    error = None
    if request.method == "POST":
        try:
            services.scheme_item_delete(actor=request.user, item=item)
        except SERVICE_ERRORS as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, f"已删除计分项目“{item.name}”，积分已重新计算")
            return redirect(scheme)
    return render(
        request,
        "duties/scheme_item_delete.html",
        {"scheme": scheme, "item": item, "error": error},
    )


# --- the score table ------------------------------------------------------------------------


def _score_rows(user, year: int, area, township: Region | None) -> tuple[list[dict], bool]:
    """Every serving deputy in scope (in the area's county, in the township)
    with their total, band and stars, in a fixed number of queries; and
    whether any scheme governs them."""
    day = _standing_day(year)
    persons = area.narrow(Person.objects.visible_to(user).serving(day))
    if township is not None:
        persons = persons.filter(region__code__startswith=township.code)
    totals = points.score_totals(persons.values("pk"), year)
    people = list(persons.select_related("region").order_by("region__code", "name_pinyin", "pk"))
    schemes = points.schemes_governing({p.region for p in people}, day)
    rows = []
    for person in people:
        scheme = schemes.get(person.region_id)
        total = totals.get(person.pk, Decimal("0.0")) if scheme else None
        rows.append(
            {
                "person": person,
                "total": total,
                "band": scheme.band_for(total) if scheme else "",
                "stars": scheme.stars_for(total) if scheme else 0,
                "scheme": scheme,
            }
        )
    return rows, any(schemes.values())


def _sorted_rows(rows, sort: str):
    if sort == "name":
        return sorted(rows, key=lambda r: (r["person"].name_pinyin, r["person"].pk))
    if sort == "township":
        return sorted(rows, key=lambda r: (r["person"].region.code, -(r["total"] or 0)))
    return sorted(rows, key=lambda r: -(r["total"] if r["total"] is not None else -1))


def _distribution(rows) -> dict:
    """Deputies per band, bands in the scheme's order (best first)."""
    order = []
    for row in rows:
        scheme = row["scheme"]
        if scheme is None:
            continue
        for band in sorted(scheme.bands, key=lambda b: -b["min"]):
            if band["label"] not in order:
                order.append(band["label"])
    counts = dict.fromkeys(order, 0)
    for row in rows:
        if row["band"]:
            counts[row["band"]] = counts.get(row["band"], 0) + 1
    return {"labels": list(counts), "values": list(counts.values())}


SCORES_WAIT = "积分表请先选择县（市、区）"


def _score_filters(request):
    """Year, area, the townships offered, the one chosen, and the order. A
    scheme is a county's or a township's, and a province's table would rank
    every deputy of a hundred counties: a province's user picks a county
    first (renda/core/areas.py)."""
    user = request.user
    year = parse_year(request.GET.get("year"))
    area = area_of(request)
    townships = list(
        area.choices(Region.objects.visible_to(user).townships()).only("pk", "code", "name")
    )
    chosen = request.GET.get("township", "")
    township = next((t for t in townships if str(t.pk) == chosen), None)
    sort = request.GET.get("sort", "total")
    if sort not in SORTS:
        sort = "total"
    return year, area, townships, township, sort


@login_required
@role_required(OFFICE)
def score_list(request):
    """The region's deputies with their year's total, band and stars."""
    year, area, townships, township, sort = _score_filters(request)
    rows, enabled = [], False
    if not area.waiting:
        rows, enabled = _score_rows(request.user, year, area, township)
    rows = _sorted_rows(rows, sort)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    chart = _distribution(rows)
    query = urlencode(
        {
            "year": year,
            "area": area.chosen.code if area.chosen else "",
            "township": township.pk if township else "",
        }
    )
    return render(
        request,
        "duties/score_list.html",
        {
            "page": page,
            "count": len(rows),
            "enabled": enabled,
            "no_scheme": NO_SCHEME,
            "notice": SCORES_WAIT if area.waiting else "",
            "area": area,
            "year": year,
            "years": year_choices(year),
            "townships": townships if len(townships) > 1 else [],
            "township": township,
            "sort": sort,
            "sorts": SORTS,
            "query": query,
            "chart": chart,
            "band_counts": list(zip(chart["labels"], chart["values"], strict=True)),
            "day": _standing_day(year),
        },
    )


@login_required
@role_required(OFFICE)
def score_export(request):
    """The score table as .xlsx, every row, in the page's order; a province's
    user names a county first."""
    year, area, _, township, sort = _score_filters(request)
    if area.waiting:  # the list says what to pick
        return redirect(f"{reverse('duties:score_list')}?{request.GET.urlencode()}")
    rows, _ = _score_rows(request.user, year, area, township)
    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年度积分"
    where = township.name if township else (request.user.region or "全部")
    sheet.append([f"{where}{year}年度代表履职积分（截至{_day(_standing_day(year))}）"])
    sheet["A1"].font = Font(bold=True, size=14)
    header = ["序号", "姓名", "乡镇（街道）", "总分", "等次", "星级"]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for number, row in enumerate(_sorted_rows(rows, sort), start=1):
        total = row["total"]
        sheet.append(
            [
                number,
                row["person"].name,
                row["person"].region.name,
                float(total) if total is not None else NO_SCHEME,
                row["band"],
                row["stars"] or "",
            ]
        )
    for column, width in zip("ABCDEF", (6, 12, 16, 10, 10, 8), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"代表履职积分-{where}-{year}.xlsx"
    )
    return response


# --- one deputy's score -------------------------------------------------------------------


def _score_context(user, person: Person, year: int) -> dict:
    day = _standing_day(year)
    scheme = points.scheme_for(person.region, day)
    total = points.score_totals([person.pk], year).get(person.pk, Decimal("0.0"))
    lines = points.score_breakdown(person, year)
    corrections = (
        Correction.objects.visible_to(user)
        .filter(person=person)
        .select_related("item", "record", "award")
        .order_by("-requested_at")
    )
    return {
        "person": person,
        "year": year,
        "years": year_choices(year),
        "day": day,
        "scheme": scheme,
        "no_scheme": NO_SCHEME,
        "total": total,
        "band": scheme.band_for(total) if scheme else "",
        "stars": scheme.stars_for(total) if scheme else 0,
        "star_range": range(1, 6),
        "lines": lines,
        "raw_total": sum((line.points for line in lines), Decimal("0.0")),
        "corrections": corrections,
        "awards": PointsAward.objects.visible_to(user)
        .filter(person=person, awarded_on__year=year)
        .select_related("item"),
    }


def _correction_items(person: Person, year: int, lines):
    scheme = points.scheme_for(person.region, _standing_day(year))
    return (
        PointsItem.objects.filter(Q(pk__in=[line.item.pk for line in lines]) | Q(scheme=scheme))
        .select_related("category")
        .order_by("scheme__effective_from", "category__order", "order", "pk")
    )


@login_required
@role_required(DEPUTIES)
def my_score(request):
    """A deputy's own score: total, band, stars and how each point was
    earned, with their correction requests and the office's answers."""
    person = deputy_of(request.user)
    if person is None:
        return render(request, "duties/score_mine.html", {"person": None})
    year = parse_year(request.GET.get("year"))
    context = _score_context(request.user, person, year)
    form = CorrectionRequestForm(
        initial={"year": year}, items=_correction_items(person, year, context["lines"])
    )
    return render(
        request,
        "duties/score_mine.html",
        {
            **context,
            "form": form,
            "records_url": _url_or_none("duties:my_records"),
            "records_query": f"year={year}&",
            "publications": ScorePublication.objects.visible_to(request.user)
            .filter(withdrawn_at__isnull=True, year=year)
            .only("pk", "title", "as_of"),
        },
    )


@login_required
@role_required(OFFICE)
def score_detail(request, pk):
    """Staff read any deputy's score in their region."""
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("region"), pk=pk
    )
    year = parse_year(request.GET.get("year"))
    return render(
        request,
        "duties/score_detail.html",
        {
            **_score_context(request.user, person, year),
            # The deputy's archive for the year lists the records behind each line.
            "records_url": _url_or_none("duties:archive", person.pk, year),
            "records_query": "",
            "can_manage": can_manage_region(request.user, person.region),
        },
    )


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def award_create(request):
    """Points given or taken by the office's decision (表彰, 书面告诫)."""
    user = request.user
    initial = {"person": request.GET.get("person"), "awarded_on": timezone.localdate()}
    form = AwardForm(_posted(request), user=user, initial=initial, area=area_of(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            award = services.points_award(
                actor=user,
                person=data["person"],
                item=data["item"],
                awarded_on=data["awarded_on"],
                points_given=data["points"],
                reason=data["reason"],
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已为{award.person.name}认定{award.points}分")
            url = reverse("duties:score_detail", args=[award.person_id])
            return redirect(f"{url}?year={award.awarded_on.year}")
    return render(request, "duties/score_award_form.html", {"form": form})


# --- corrections --------------------------------------------------------------------------


@login_required
@role_required(DEPUTIES)
@require_http_methods(["GET", "POST"])
def correction_create(request):
    """A deputy asks for their score to be corrected."""
    person = deputy_of(request.user)
    if person is None:
        raise PermissionDenied("您的账号尚未关联代表信息，请联系人大工作人员")
    year = parse_year(request.POST.get("year") or request.GET.get("year"))
    items = _correction_items(person, year, points.score_breakdown(person, year))
    form = CorrectionRequestForm(_posted(request), initial={"year": year}, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.correction_request(
                actor=request.user,
                person=person,
                year=data["year"],
                item=data["item"],
                reason=data["reason"],
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, "已提交更正申请，人大工作人员处理后会在本页答复")
            return redirect(f"{reverse('duties:my_score')}?year={data['year']}#corrections")
    return render(request, "duties/correction_form.html", {"form": form, "year": year})


@login_required
@role_required(OFFICE)
def correction_list(request):
    """The office's queue of correction requests."""
    status = request.GET.get("status", CorrectionStatus.OPEN)
    corrections = (
        Correction.objects.visible_to(request.user)
        .select_related("person__region", "item", "answered_by")
        .order_by("-requested_at")
    )
    if status in CorrectionStatus.values:
        corrections = corrections.filter(status=status)
    else:
        status = ""
    page = Paginator(corrections, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "duties/correction_list.html",
        {"page": page, "status": status, "statuses": CorrectionStatus.choices},
    )


@login_required
@role_required(OFFICE_AND_DEPUTIES)
@require_http_methods(["GET", "POST"])
def correction_detail(request, pk):
    """A request, its answer and timeline; office staff answer it here."""
    user = request.user
    correction = get_object_or_404(
        Correction.objects.visible_to(user).select_related(
            "person__region", "item__category", "record", "award__item", "answered_by"
        ),
        pk=pk,
    )
    can_answer = has_role(user, OFFICE) and can_manage_region(user, correction.person.region)
    if request.method == "POST" and not can_answer:
        raise PermissionDenied("只有本级人大工作人员可以处理更正申请")
    items = PointsItem.objects.filter(
        basis=ItemBasis.AWARD, scheme__in=PointsScheme.objects.visible_to(user)
    ).select_related("scheme")
    form = CorrectionAnswerForm(_posted(request), items=items) if can_answer else None
    if form is not None:
        form.fields["award_item"].label_from_instance = lambda i: f"{i.name}（{i.scheme.name}）"
    if request.method == "POST":
        if correction.status != CorrectionStatus.OPEN:
            form.add_error(None, f"该申请已{correction.get_status_display()}，不能再次处理")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.correction_answer(
                    correction=correction,
                    actor=user,
                    accept=data["decision"] == "accept",
                    answer=data["answer"],
                    award_item=data["award_item"],
                    award_points=data["award_points"],
                )
            except SERVICE_ERRORS as error:
                add_service_error(
                    form,
                    error,
                    renamed={"points": "award_points", "item": "award_item"},
                )
            else:
                messages.success(request, "已答复更正申请")
                return redirect(correction)
    changes = timeline(correction)
    for change in changes:
        change.event_label = CORRECTION_EVENTS.get(change.event, change.to_label)
    score_url = (
        f"{reverse('duties:score_detail', args=[correction.person_id])}?year={correction.year}"
        if has_role(user, OFFICE)
        else f"{reverse('duties:my_score')}?year={correction.year}"
    )
    return render(
        request,
        "duties/correction_detail.html",
        {
            "correction": correction,
            "form": form if correction.status == CorrectionStatus.OPEN else None,
            "timeline": changes,
            "score_url": score_url,
        },
    )


# --- publications ----------------------------------------------------------------------------


def _publications_for(user):
    publications = ScorePublication.objects.visible_to(user).select_related(
        "region", "published_by"
    )
    if not has_role(user, OFFICE):
        # A withdrawn publication is no longer shown to deputies.
        publications = publications.filter(withdrawn_at__isnull=True)
    return publications


@login_required
@role_required(OFFICE_AND_DEPUTIES)
def publication_list(request):
    publications = _publications_for(request.user).defer("totals")
    return render(
        request,
        "duties/publication_list.html",
        {
            "publications": Paginator(publications, PAGE_SIZE).get_page(request.GET.get("page")),
            "is_staff": has_role(request.user, OFFICE),
        },
    )


@login_required
@role_required(OFFICE_AND_DEPUTIES)
def publication_detail(request, pk):
    """The published totals as they stood on the publication's date."""
    publication = get_object_or_404(_publications_for(request.user), pk=pk)
    person = deputy_of(request.user) if request.user.role == Role.DEPUTY else None
    return render(
        request,
        "duties/publication_detail.html",
        {
            "publication": publication,
            "rows": publication.totals,
            "own_pk": person.pk if person else None,
            "can_manage": can_manage_region(request.user, publication.region),
        },
    )


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def publication_create(request):
    """Publish the region's totals as they stand (每季度公示)."""
    today = timezone.localdate()
    initial = {"region": request.user.region_id, "year": today.year, "as_of": today}
    form = PublicationForm(_posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            publication = services.score_publish(actor=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已公示“{publication.title}”，本区划代表可以查看")
            return redirect("duties:publication_detail", pk=publication.pk)
    return render(request, "duties/publication_form.html", {"form": form})


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def publication_withdraw(request, pk):
    publication = get_object_or_404(_publications_for(request.user), pk=pk)
    _require_manage(request.user, publication.region, "您不能撤回该公示")
    if request.method == "POST":
        if publication.withdrawn_at is None:
            services.score_publication_withdraw(publication=publication, actor=request.user)
            messages.success(request, f"已撤回“{publication.title}”，代表不再能看到")
        return redirect("duties:publication_list")
    return render(request, "duties/publication_withdraw.html", {"publication": publication})
