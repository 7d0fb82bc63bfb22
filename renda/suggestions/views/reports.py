"""Suggestions: figures with drill-down, the registers (记录簿, 登记卡), the
official documents (交办通知, 答复函) and the public disclosure of replies."""

from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from renda.core.areas import area_of
from renda.core.models import Role
from renda.core.paging import CappedPaginator
from renda.core.permissions import DEPUTIES, OFFICE, UNITS, role_required
from renda.core.search import contains_text
from renda.deputies.models import Person
from renda.suggestions import documents
from renda.suggestions.figures import (
    COLUMNS,
    DEFINITIONS,
    DIMENSIONS,
    FIGURE,
    NONE_KEY,
    NONE_LABEL,
    PLACE,
    RATE,
    RATES,
    FigureQueryForm,
    annotated,
    column_label,
    evaluated_items,
    evaluation_counts,
    figure_items,
    figures_report,
    figures_workbook,
    filtered,
    group_labels,
    in_group,
)
from renda.suggestions.models import (
    Assignment,
    AuthorRole,
    Authorship,
    Category,
    Reply,
    Status,
    Suggestion,
    UnitRole,
)
from renda.suggestions.registers import (
    REGISTER_COLUMNS,
    card_for,
    card_workbook,
    register_rows,
    register_title,
    register_workbook,
    with_handling,
)
from renda.suggestions.reply_classes import SchemeBook, label_replies
from renda.suggestions.selectors import published_items

REFUSED = "只有人大工作人员可以查看议案建议统计和登记簿"
OUT_OF_SCOPE = "所选会议、单位、类别或区划不存在，或不在您的工作范围内"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REGISTER_WAITS = "记录簿按县（市、区）编制，请先选择县（市、区）"
ITEMS_PER_PAGE = 50
PUBLIC_PER_PAGE = 20


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- the query shared by figures and registers ----------------------------------------------


def _form(request) -> FigureQueryForm:
    """The filters; a session, unit, category or region outside the user's
    scope is not found (404), as every other record of another township."""
    form = FigureQueryForm(request.GET, user=request.user, area=area_of(request))
    if not form.is_valid() and form.out_of_scope:
        raise Http404(OUT_OF_SCOPE)
    return form


def _query_values(form: FigureQueryForm) -> dict:
    """The valid filters and the dimension as URL parameters (empty ones left out)."""
    data = form.cleaned_data
    values = {
        "area": form.area.chosen.code if form.area.chosen else "",
        "session": data["session"].pk if data.get("session") else "",
        "year": data.get("year") or "",
        "unit": data["unit"].pk if data.get("unit") else "",
        "category": data["category"].pk if data.get("category") else "",
        "region": data["region"].pk if data.get("region") else "",
        "dimension": form.chosen_dimension(),
    }
    return {name: value for name, value in values.items() if value}


def _choices(form: FigureQueryForm, items) -> dict:
    """The filter selects' options, read once each (a province's user sees
    the region-bound ones once a county is picked)."""
    values = {name: form.data.get(name, "") for name in form.fields}
    values["dimension"] = form.chosen_dimension()
    return {
        "area": form.area,
        "sessions": list(form.offered["session"]),
        "units": list(form.offered["unit"]),
        "categories": list(form.offered["category"]),
        "regions": list(form.offered["region"]),
        "years": _years(form.area.narrow(items)),
        "dimensions": form.dimensions(),
        "values": values,
    }


def _years(items) -> list[int]:
    """The years from the latest submission back to the first, newest first.
    Each end is one step of the submission-date index; the years of every
    item (a DISTINCT over the dates) read all of a province's rows."""
    dated = items.exclude(submitted_at=None).order_by("submitted_at", "pk")
    dated = dated.values_list("submitted_at", flat=True)
    first, last = dated.first(), dated.last()
    if first is None:
        return []
    return list(range(timezone.localtime(last).year, timezone.localtime(first).year - 1, -1))


def _scope(request):
    return Suggestion.objects.visible_to(request.user)


# --- figures ------------------------------------------------------------------------------


def _chart_data(report) -> dict:
    groups = report.groups
    return {
        "labels": [group.label for group in groups],
        "counts": [
            {"name": column_label(key), "values": [group.counts[key] for group in groups]}
            for key in ("submitted", "assigned", "answered", "closed", "implemented")
        ],
        "rates": [
            {
                "name": rate.label,
                "values": [
                    None if group.rates[rate.key] is None else float(group.rates[rate.key])
                    for group in groups
                ],
            }
            for rate in RATES
        ],
    }


@login_required
@role_required(OFFICE, REFUSED)
def figures(request):
    form = _form(request)
    items = _scope(request)
    context = {"form": form, "definitions": DEFINITIONS, **_choices(form, items)}
    if form.is_valid():
        query = urlencode(_query_values(form))
        report = figures_report(
            items,
            filters=form.filters(),
            dimension=form.chosen_dimension(),
            place=form.place(),
            cells_for=request.user,
        )
        context.update(
            report=report,
            notice=form.held_back(),
            register=form.within_a_county(),
            query=query,
            # Each number's link: the drill-down under the same filters (one
            # reverse for the page, not one per number).
            items_url=f"{reverse('suggestions:figures_items')}?{query}{'&' if query else ''}",
            headers=[
                {"key": key, "label": column_label(key), "is_rate": key in RATE} for key in COLUMNS
            ],
            chart=_chart_data(report),
        )
    else:
        context["errors"] = form.error_lines()
    return render(request, "suggestions/figures.html", context)


@login_required
@role_required(OFFICE, REFUSED)
def figures_export(request):
    form = _form(request)
    if not form.is_valid():
        return HttpResponse("；".join(form.error_lines()), status=400)
    report = figures_report(
        _scope(request),
        filters=form.filters(),
        dimension=form.chosen_dimension(),
        place=form.place(),
        cells_for=request.user,
    )
    filename = f"议案建议办理情况统计_{report.dimension_label}_{timezone.localdate():%Y%m%d}.xlsx"
    return _attachment(figures_workbook(report), XLSX, filename)


def _group_label(form: FigureQueryForm, group: str) -> str:
    dimension = form.chosen_dimension()
    if not group:
        return "合计"
    if group == NONE_KEY:
        return NONE_LABEL[dimension]
    key = group if dimension == PLACE else int(group)
    label = group_labels(dimension, [key], place=form.place()).get(key)
    if label is None:
        raise Http404("没有这个分组")
    return label


@login_required
@role_required(OFFICE, REFUSED)
def figures_items(request):
    """The items behind one number of the figures table."""
    form = _form(request)
    if not form.is_valid():
        return HttpResponse("；".join(form.error_lines()), status=400)
    key = request.GET.get("figure", "")
    group = request.GET.get("group", "")
    if key not in FIGURE and key not in RATE:
        raise Http404("没有这项统计")
    if group not in ("", NONE_KEY) and not group.isdigit():
        raise Http404("没有这个分组")
    if group and form.held_back():
        raise Http404(form.held_back())
    dimension = form.chosen_dimension()
    items = figure_items(
        in_group(
            filtered(annotated(_scope(request)), form.filters()),
            dimension,
            group,
            place=form.place(),
        ),
        key,
    )
    rate = RATE.get(key)
    evaluations = key in ("evaluations", "satisfied", "satisfaction_rate")
    summary = items.aggregate(
        items=Count("pk"),
        counted=Count("pk", filter=FIGURE[rate.numerator].condition) if rate else Count("pk"),
    )
    if evaluations:
        summary.update(evaluated_items(items).aggregate(**evaluation_counts()))
    lead_author = Authorship.objects.filter(suggestion=OuterRef("pk"), role=AuthorRole.LEAD).values(
        "person__name"
    )[:1]
    lead_unit = (
        Assignment.objects.filter(suggestion=OuterRef("pk"), role=UnitRole.LEAD)
        .order_by("-active", "-assigned_at", "-pk")
        .values("unit__name")[:1]
    )
    latest_reply = Reply.objects.filter(suggestion=OuterRef("pk")).order_by("-round")
    rows = (
        items.select_related("region", "category")
        .annotate(
            lead_author=Subquery(lead_author),
            lead_unit=Subquery(lead_unit),
            replied_on=Subquery(latest_reply.values("replied_on")[:1]),
        )
        .order_by("-submitted_at", "-pk")
    )
    if evaluations:
        rows = rows.annotate(evaluation_count=F("f_evaluations"), satisfied_count=F("f_satisfied"))
    page = Paginator(rows, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    # Each item's class as its office's scheme wrote it on its latest reply date.
    book = SchemeBook(item.region for item in page)
    for item in page:
        item.class_label = (
            book.scheme(item.region, item.replied_on).label(item.reply_class)
            if item.reply_class and item.replied_on
            else ""
        )
    values = _query_values(form)
    return render(
        request,
        "suggestions/figures_items.html",
        {
            "title": rate.label if rate else FIGURE[key].label,
            "figure": FIGURE.get(key),
            "rate": rate,
            "numerator": column_label(rate.numerator) if rate else "",
            "denominator": column_label(rate.denominator) if rate else "",
            "group_label": _group_label(form, group),
            "dimension_label": dict(DIMENSIONS)[dimension],
            "summary": summary,
            "show_counted": bool(rate) and not evaluations,
            "show_evaluations": evaluations,
            "page": page,
            "back": urlencode(values),
            "page_query": urlencode({**values, "figure": key, "group": group}),
        },
    )


# --- registers ---------------------------------------------------------------------------


def _register(request):
    """The register's filters (a session or a year; this year when neither is
    given) and rows, or a 400 response listing the problems. A register is
    one county's book at most: a province's user picks the county first (a
    year of a whole province would be a hundred thousand rows on one page)."""
    form = _form(request)
    if not form.is_valid():
        return None, None, HttpResponse("；".join(form.error_lines()), status=400)
    if not form.within_a_county():
        return None, None, HttpResponse(REGISTER_WAITS, status=400)
    filters = form.filters()
    if not filters["session"] and not filters["year"]:
        filters["year"] = timezone.localdate().year
    rows = register_rows(filtered(annotated(_scope(request)), filters))
    return filters, rows, None


@login_required
@role_required(OFFICE, REFUSED)
def register_print(request):
    filters, rows, problem = _register(request)
    if problem:
        return problem
    return render(
        request,
        "suggestions/register_print.html",
        {
            "title": register_title(filters),
            "columns": [name for name, _width in REGISTER_COLUMNS],
            "rows": rows,
            "today": timezone.localdate(),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@role_required(OFFICE, REFUSED)
def register_xlsx(request):
    filters, rows, problem = _register(request)
    if problem:
        return problem
    title = register_title(filters)
    return _attachment(register_workbook(rows, title=title), XLSX, f"{title}.xlsx")


def _card(request, pk):
    item = get_object_or_404(with_handling(_scope(request)), pk=pk)
    return card_for(item)


@login_required
@role_required(OFFICE, REFUSED)
def card_print(request, pk):
    card = _card(request, pk)
    return render(
        request,
        "suggestions/card_print.html",
        {"card": card, "item": card.item, "handling": card.handling},
    )


@login_required
@role_required(OFFICE, REFUSED)
def card_xlsx(request, pk):
    card = _card(request, pk)
    filename = f"代表建议办理情况登记卡_{card.item.number or card.item.pk}.xlsx"
    return _attachment(card_workbook(card), XLSX, filename)


# --- official documents ---------------------------------------------------------------------


@login_required
@role_required(OFFICE | UNITS, "只有人大工作人员和主办单位可以下载交办通知")
def notice_docx(request, pk):
    """交办通知 to the lead unit: office staff, and the lead unit itself."""
    item = get_object_or_404(
        _scope(request).select_related("session__term__body", "congress", "region"), pk=pk
    )
    lead = item.assignments.filter(active=True, role=UnitRole.LEAD).first()
    if lead is None:
        raise Http404("该建议尚未交办，没有交办通知")
    user = request.user
    if not user.is_superuser and user.role == Role.UNIT and lead.unit_id != user.unit_id:
        raise PermissionDenied("只有主办单位可以下载交办通知")
    filename = f"交办通知_{item.number}_{lead.unit.name}.docx"
    return _attachment(documents.notice_document(item), DOCX, filename)


@login_required
@role_required(OFFICE | UNITS | DEPUTIES, "您的账号无权下载答复函")
def reply_docx(request, pk):
    """答复函: office staff and the replying unit get one letter per author
    (or `?person=` for one); an author gets their own letter."""
    reply = get_object_or_404(
        Reply.objects.filter(suggestion__in=_scope(request)).select_related(
            "unit", "suggestion__session__term__body", "suggestion__congress", "suggestion__region"
        ),
        pk=pk,
    )
    user = request.user
    recipients = documents.letter_recipients(reply)
    wanted = request.GET.get("person", "")
    if not user.is_superuser and user.role == Role.UNIT and reply.unit_id != user.unit_id:
        raise PermissionDenied("只有作出答复的单位可以下载答复函")
    if not user.is_superuser and user.role == Role.DEPUTY:
        person = user.own_person
        recipients = [r for r in recipients if person is not None and r.person_id == person.pk]
        if not recipients:
            raise PermissionDenied("只有提出该建议的代表可以下载答复函")
    elif wanted:
        recipients = [r for r in recipients if str(r.person_id) == wanted]
        if not recipients:
            raise Http404("该代表不是这件建议的提出人")
    names = "、".join(r.person.name for r in recipients) if len(recipients) == 1 else "全部代表"
    filename = f"答复函_{reply.suggestion.number}_{names}.docx"
    return _attachment(documents.reply_document(reply, recipients), DOCX, filename)


# --- public disclosure -------------------------------------------------------------------------


def public_search(query: str) -> Q:
    """What the public list's search box finds: the word in an item's title
    or number, its category's name or an author's name."""
    named = Person.objects.filter(contains_text(query, "name"))
    return contains_text(
        query,
        "title",
        "number",
        among={
            "category": Category.objects.filter(contains_text(query, "name")).values("pk"),
            "pk": Authorship.objects.filter(person__in=named).values("suggestion"),
        },
    )


def public_list(request):
    """Published replies, the latest published first: the order and the count
    come from the `suggestion_published` index; the reply date, author and
    unit are looked up for the page's rows only."""
    query = request.GET.get("q", "").strip()
    lead_author = Authorship.objects.filter(suggestion=OuterRef("pk"), role=AuthorRole.LEAD).values(
        "person__name"
    )[:1]
    latest = Reply.objects.filter(suggestion=OuterRef("pk")).order_by("-round")
    items = (
        published_items()
        .select_related("category")
        .annotate(
            last_replied_on=Subquery(
                Reply.objects.filter(suggestion=OuterRef("pk"))
                .order_by("-replied_on")
                .values("replied_on")[:1]
            ),
            lead_author=Subquery(lead_author),
            reply_unit=Subquery(latest.values("unit__name")[:1]),
        )
        .order_by("-published_at", "-pk")
    )
    if query:
        items = items.filter(public_search(query))
    page = CappedPaginator(items, PUBLIC_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/public_list.html",
        {"page": page, "q": query, "search": urlencode({"q": query}) if query else ""},
    )


def public_detail(request, pk):
    """Title and replies only: never the item's body, a phone or an ID number."""
    item = get_object_or_404(
        published_items().select_related("region", "category", "session__term__body", "congress"),
        pk=pk,
    )
    authors = list(
        Authorship.objects.filter(suggestion=item)
        .order_by("-role", "pk")
        .values_list("person__name", "role")
    )
    lead = (
        item.assignments.filter(role=UnitRole.LEAD)
        .order_by("-active", "-assigned_at", "-pk")
        .values_list("unit__name", flat=True)
        .first()
    )
    replies = [
        {
            "round": reply.round,
            "unit": reply.unit.name,
            "reply_class": reply.class_label,
            "replied_on": reply.replied_on,
            "text": reply.public_text or reply.text,
        }
        for reply in label_replies(
            item.replies.select_related("unit").order_by("round"), region=item.region
        )
    ]
    return render(
        request,
        "suggestions/public_detail.html",
        {
            "item": item,
            "lead_authors": [name for name, role in authors if role == AuthorRole.LEAD],
            "co_authors": [name for name, role in authors if role == AuthorRole.CO],
            "lead_unit": lead,
            "replies": replies,
            "closed": item.status == Status.CLOSED,
        },
    )
