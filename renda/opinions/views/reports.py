"""Opinions: the registers (printable and .xlsx) and the figures with their
drill-down. Registers are for everyone who keeps or reads the station's
books (office staff, deputies, liaison officers), with the person's name
and phone masked by the privacy rule; figures are for office staff."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from renda.core.areas import PARAM, area_of
from renda.core.permissions import OFFICE, REGIONAL, role_required
from renda.core.registers import register_workbook
from renda.opinions import figures as fig
from renda.opinions import registers as reg
from renda.opinions import selectors

REGISTER_REFUSED = "只有人大工作人员、代表和联络员可以查看登记簿"
FIGURES_REFUSED = "只有人大工作人员可以查看社情民意统计"
REGISTER_WAITING = "请先选择县（市、区）再查看登记簿"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ITEMS_PAGE_SIZE = 100


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def _query(form) -> str:
    """The place and period as a query string, for links that keep them."""
    data = form.cleaned_data
    values = {
        PARAM: form.area.chosen.code if form.area.chosen else "",
        "township": data["township"].pk if data.get("township") else "",
        "station": data["station"].pk if data.get("station") else "",
        "date_from": data["date_from"].isoformat(),
        "date_to": data["date_to"].isoformat(),
    }
    if "dimension" in form.fields:
        values["dimension"] = form.chosen_dimension()
    return urlencode(values)


def _read(request, form_class):
    """The bound query form, narrowed to the county picked on a province's
    server; 404 for a township or station outside the user's scope.
    Returns (form, valid)."""
    form = form_class(request.GET, user=request.user, area=area_of(request))
    valid = form.is_valid()
    if not valid and form.out_of_scope:
        raise Http404("该乡镇或联络站不在您的工作范围内")
    return form, valid


# --- registers ----------------------------------------------------------------------------


def _register_context(request, kind):
    if kind not in reg.KINDS:
        raise Http404("没有这种登记簿")
    form, valid = _read(request, reg.PeriodQueryForm)
    context = {
        "form": form,
        "area": form.area,
        "kinds": list(reg.KINDS.values()),
        "kind": reg.KINDS[kind],
        "errors": [] if valid else form.error_lines(),
        "book": None,
        "notice": "",
    }
    if valid:
        context["query"] = _query(form)
        if form.waiting:
            context["notice"] = REGISTER_WAITING
        else:
            context["book"] = reg.register(kind, user=request.user, filters=form.filters())
    return context


@login_required
@role_required(REGIONAL, REGISTER_REFUSED)
def register(request, kind):
    return render(request, "opinions/register.html", _register_context(request, kind))


@login_required
@role_required(REGIONAL, REGISTER_REFUSED)
def register_xlsx(request, kind):
    context = _register_context(request, kind)
    book = context["book"]
    if book is None:
        return render(request, "opinions/register.html", context, status=400)
    filename = (
        f"{book.scope}{book.title}"
        f"{book.filters['date_from']:%Y%m%d}-{book.filters['date_to']:%Y%m%d}.xlsx"
    )
    return _xlsx(register_workbook(book), filename)


# --- figures -------------------------------------------------------------------------------


def _figures_context(request):
    form, valid = _read(request, fig.FigureQueryForm)
    context = {
        "form": form,
        "area": form.area,
        "dimensions": fig.DIMENSIONS,
        # Per-entity dimensions wait for a county on a province's server.
        "held_back": fig.PER_ENTITY if form.area.waiting else {},
        "errors": [] if valid else form.error_lines(),
        "report": None,
    }
    if valid:
        report = fig.figures_report(
            request.user, filters=form.filters(), dimension=form.chosen_dimension(), from_cells=True
        )
        context.update(
            dimensions=fig.dimension_choices(report.length),
            report=report,
            query=_query(form),
            columns=[fig.FIGURE[key] for key in fig.COLUMNS],
            charts=_charts(report),
            definitions=fig.DEFINITIONS,
        )
    return context


def _charts(report) -> dict:
    """Data for charts.js's rendaBarChart: {data element id: {labels, values}};
    each chart `chart-x` reads `chart-x-data`."""
    groups = report.groups
    return {
        "chart-opinions-data": {
            "labels": [group.label for group in groups],
            "values": [group.counts["opinions"] for group in groups],
        },
        "chart-receptions-data": {
            "labels": [group.label for group in groups],
            "values": [group.counts["deputy_times"] for group in groups],
        },
        "chart-channels-data": {
            "labels": [row.label for row in report.channels if row.count],
            "values": [row.count for row in report.channels if row.count],
        },
        "chart-categories-data": {
            "labels": [row.label for row in report.categories],
            "values": [row.count for row in report.categories],
        },
    }


@login_required
@role_required(OFFICE, FIGURES_REFUSED)
def figures(request):
    return render(request, "opinions/figures.html", _figures_context(request))


@login_required
@role_required(OFFICE, FIGURES_REFUSED)
def figures_xlsx(request):
    context = _figures_context(request)
    report = context["report"]
    if report is None:
        return render(request, "opinions/figures.html", context, status=400)
    filename = (
        f"{report.scope}社情民意统计"
        f"{report.filters['date_from']:%Y%m%d}-{report.filters['date_to']:%Y%m%d}.xlsx"
    )
    return _xlsx(fig.figures_workbook(report), filename)


@login_required
@role_required(OFFICE, FIGURES_REFUSED)
def figures_items(request):
    """The records behind one number of the figures page."""
    form, valid = _read(request, fig.FigureQueryForm)
    if not valid:
        return render(
            request,
            "opinions/figures_items.html",
            {"errors": form.error_lines(), "page": None},
            status=400,
        )
    key = request.GET.get("figure", "")
    group = request.GET.get("group", "")
    channel = request.GET.get("channel", "")
    category = request.GET.get("category", "")
    dimension = form.asked_dimension()
    try:
        source, records = fig.figure_items(
            request.user,
            key,
            filters=form.filters(),
            dimension=dimension,
            group=group,
            channel=channel,
            category=category,
        )
        breakdown = fig.breakdown_label(channel=channel, category=category)
    except (KeyError, ValueError):
        raise Http404("没有这项统计数字") from None
    page = Paginator(records, ITEMS_PAGE_SIZE).get_page(request.GET.get("page"))
    summed = fig.items_sum(records, key)
    if source == fig.OPINIONS:
        page.object_list = selectors.with_submitters(request.user, page.object_list)
        for opinion in page.object_list:
            opinion.outcome = reg.outcome_text(opinion)
    figure = fig.FIGURE[key]
    return render(
        request,
        "opinions/figures_items.html",
        {
            "figure": figure,
            "source": source,
            "page": page,
            "group": group,
            "group_label": _group_label(request.user, form.filters(), dimension, group),
            "breakdown": breakdown,
            "summed": summed,
            "period": reg.period_label(form.filters()),
            "scope": reg.scope_label(request.user, form.filters()),
            "query": _query(form),
            "errors": [],
        },
    )


def _group_label(user, filters: dict, dimension: str, group: str) -> str:
    """One query at most; an unknown group is still listed (it is empty)."""
    if not group:
        return ""
    length = fig.place_length(user, filters)
    return fig.group_labels(dimension, [group], length).get(group, group)
