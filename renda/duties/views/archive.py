"""Duties: the archive (履职档案) of a deputy for a year or a term, as a page
and a PDF; the index of archives and the yearly archiving export; the four
registers (printable and .xlsx); the figures with their drill-down.

Archives are for office staff of the deputy's region, the deputy themself
and the region's liaison officers (who see no score); registers for office
staff and liaison officers; the export and the figures for office staff.
"""

import tempfile
from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from renda.core.areas import area_of
from renda.core.models import Role
from renda.core.paging import CappedPaginator
from renda.core.permissions import OFFICE, REGIONAL, has_role, role_required
from renda.core.registers import register_workbook
from renda.deputies.models import Person
from renda.duties import archive as arc
from renda.duties import figures as fig
from renda.duties import registers as reg
from renda.duties.points import ZERO

ARCHIVE_REFUSED = "只有人大工作人员、代表本人和联络员可以查看履职档案"
EXPORT_REFUSED = "只有人大工作人员可以导出履职档案"
EXPORT_WAIT = "年度归档表请先选择县（市、区）或乡镇"
REGISTER_REFUSED = "只有人大工作人员和联络员可以查看履职登记簿"
FIGURES_REFUSED = "只有人大工作人员可以查看履职统计"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INDEX_PAGE_SIZE = 50
ITEMS_PAGE_SIZE = 100
REGISTER_STAFF = OFFICE | {Role.LIAISON}


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


# --- the index and the export ------------------------------------------------------------


def _archive_query(request):
    form = arc.ArchiveQueryForm(request.GET, user=request.user, area=area_of(request))
    valid = form.is_valid()
    if not valid and form.out_of_scope:
        raise Http404("该乡镇不在您的工作范围内")
    return form, valid


@login_required
@role_required(REGIONAL, ARCHIVE_REFUSED)
def archive_index(request):
    """The deputies whose archives the user may open, with the year's
    counts; a deputy goes straight to their own archive."""
    if request.user.role == Role.DEPUTY and not request.user.is_superuser:
        person = request.user.own_person
        if person is None:
            raise Http404("您的账号尚未关联代表信息")
        return redirect("duties:archive", pk=person.pk, year=timezone.localdate().year)
    form, valid = _archive_query(request)
    context = {"form": form, "errors": [] if valid else form.error_lines(), "page": None}
    if valid:
        year = form.chosen_year
        persons = arc.archive_deputies(
            request.user, place=form.place(), year=year, q=form.cleaned_data.get("q", "").strip()
        )
        page = CappedPaginator(persons, INDEX_PAGE_SIZE).get_page(request.GET.get("page"))
        period = arc.year_period(year)
        counts = reg.deputy_counts(
            request.user,
            # The page's deputies by key: already in scope, and a plain key
            # list lets the planner count their rows alone.
            Person.objects.filter(pk__in=[p.pk for p in page.object_list]),
            period.date_from,
            period.date_to,
        )
        for person in page.object_list:
            person.counts = counts[person.pk]
        region, area = form.cleaned_data.get("region"), form.area.chosen
        context.update(
            page=page,
            year=year,
            years=list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
            may_export=has_role(request.user, OFFICE) and not form.waiting,
            export_query=urlencode(
                {
                    "area": area.code if area else "",
                    "region": region.pk if region else "",
                    "year": year,
                }
            ),
        )
    return render(request, "duties/archive_index.html", context)


@login_required
@role_required(OFFICE, EXPORT_REFUSED)
def archive_export(request):
    """The yearly archiving export (.xlsx) of a township's or a county's
    deputies; a province's user names a county first."""
    form, valid = _archive_query(request)
    if not valid or form.waiting:
        errors = form.error_lines() if not valid else [EXPORT_WAIT]
        return render(
            request,
            "duties/archive_index.html",
            {"form": form, "errors": errors, "page": None},
            status=400,
        )
    place, year = form.place(), form.chosen_year
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    arc.archive_workbook(
        request.user, place=place, year=year, absolute=request.build_absolute_uri, out=out
    )
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"{arc.archive_place(request.user, place)}{year}年度代表履职档案.xlsx",
        content_type=XLSX,
    )


# --- one deputy's archive ------------------------------------------------------------------


def _archive_context(request, pk, *, year=None, term=None):
    person = arc.readable_person(request.user, pk)
    period = arc.term_period(person, term) if term is not None else arc.year_period(year)
    archive = arc.archive_for(request.user, person, period)
    return {
        "archive": archive,
        "person": person,
        "period": period,
        "terms": arc.archive_terms(person),
        "years": arc.archive_years(archive.mandates),
    }


@login_required
@role_required(REGIONAL, ARCHIVE_REFUSED)
def archive_detail(request, pk, year):
    return render(request, "duties/archive_detail.html", _archive_context(request, pk, year=year))


@login_required
@role_required(REGIONAL, ARCHIVE_REFUSED)
def archive_term(request, pk, term):
    return render(request, "duties/archive_detail.html", _archive_context(request, pk, term=term))


def _pdf(request, context) -> HttpResponse:
    """The archive as an A4 PDF in the official layout (WeasyPrint, Noto CJK fonts)."""
    from weasyprint import (
        HTML,  # imported here: loading it costs ~0.5 s and only the PDFs need it
    )

    html = render_to_string("duties/archive_pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{context['archive'].title}.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@role_required(REGIONAL, ARCHIVE_REFUSED)
def archive_pdf(request, pk, year):
    return _pdf(request, _archive_context(request, pk, year=year))


@login_required
@role_required(REGIONAL, ARCHIVE_REFUSED)
def archive_term_pdf(request, pk, term):
    return _pdf(request, _archive_context(request, pk, term=term))


# --- registers ------------------------------------------------------------------------------


REGISTERS_WAIT = "登记簿请先选择县（市、区）"


def _read(request, form_class):
    """The bound query form; 404 for a place outside the user's scope."""
    form = form_class(request.GET, user=request.user, area=area_of(request))
    valid = form.is_valid()
    if not valid and form.out_of_scope:
        raise Http404("该乡镇、代表小组或联络站不在您的工作范围内")
    return form, valid


def _register_context(request, kind):
    if kind not in reg.KINDS:
        raise Http404("没有这种登记簿")
    form, valid = _read(request, reg.RegisterQueryForm)
    context = {
        "form": form,
        "kinds": list(reg.KINDS.values()),
        "kind": reg.KINDS[kind],
        "errors": [] if valid else form.error_lines(),
        "book": None,
        "notice": REGISTERS_WAIT if valid and form.waiting else "",
    }
    if valid and not form.waiting:
        # A province's register would list every record, activity or deputy
        # of a hundred counties: it waits for a county (or a place in one).
        context["book"] = reg.register(kind, user=request.user, filters=form.filters())
        context["query"] = urlencode(form.query())
    return context


@login_required
@role_required(REGISTER_STAFF, REGISTER_REFUSED)
def register(request, kind):
    return render(request, "duties/register_book.html", _register_context(request, kind))


@login_required
@role_required(REGISTER_STAFF, REGISTER_REFUSED)
def register_xlsx(request, kind):
    context = _register_context(request, kind)
    book = context["book"]
    if book is None:
        return render(request, "duties/register_book.html", context, status=400)
    filename = (
        f"{book.scope}{book.title}"
        f"{book.filters['held_from']:%Y%m%d}-{book.filters['held_to']:%Y%m%d}.xlsx"
    )
    return _xlsx(register_workbook(book), filename)


# --- figures ---------------------------------------------------------------------------------


def _charts(report) -> dict:
    """Data for charts.js's rendaBarChart: {data element id: {labels, values}};
    each chart `chart-x` reads `chart-x-data`."""
    charts = {}
    for table in report.tables:
        if table.notice:
            continue
        attribute, _ = table.chart
        charts[f"chart-{table.key}-data"] = {
            "labels": [row.label for row in table.rows],
            "values": [getattr(row, attribute) for row in table.rows],
        }
    bands = report.bands.bands if report.bands else []
    charts["chart-bands-data"] = {
        "labels": [band.label for band in bands],
        "values": [band.count for band in bands],
    }
    return charts


def _figures_context(request):
    form, valid = _read(request, fig.FigureQueryForm)
    context = {"form": form, "errors": [] if valid else form.error_lines(), "report": None}
    if valid:
        report = fig.figures_report(
            request.user, filters=form.filters(), organisers=not form.waiting, from_cells=True
        )
        context.update(
            report=report,
            query=urlencode(form.query()),
            charts=_charts(report),
            definitions=fig.DEFINITIONS,
        )
    return context


@login_required
@role_required(OFFICE, FIGURES_REFUSED)
def figures(request):
    return render(request, "duties/figures.html", _figures_context(request))


@login_required
@role_required(OFFICE, FIGURES_REFUSED)
def figures_xlsx(request):
    context = _figures_context(request)
    report = context["report"]
    if report is None:
        return render(request, "duties/figures.html", context, status=400)
    filename = (
        f"{report.scope}代表履职统计"
        f"{report.filters['held_from']:%Y%m%d}-{report.filters['held_to']:%Y%m%d}.xlsx"
    )
    return _xlsx(fig.figures_workbook(report), filename)


@login_required
@role_required(OFFICE, FIGURES_REFUSED)
def figures_items(request):
    """The activities, records, deputies or reports behind one number."""
    form, valid = _read(request, fig.FigureQueryForm)
    if not valid:
        return render(
            request,
            "duties/figures_items.html",
            {"errors": form.error_lines(), "page": None},
            status=400,
        )
    dimension = request.GET.get("dimension", "")
    group = request.GET.get("group", "")
    try:
        items = fig.figure_items(
            request.user,
            request.GET.get("figure", ""),
            filters=form.filters(),
            dimension=dimension,
            group=group,
        )
    except (KeyError, ValueError):
        raise Http404("没有这项统计数字") from None
    page = Paginator(items.rows, ITEMS_PAGE_SIZE).get_page(request.GET.get("page"))
    if items.score_year is not None:
        totals = items.scores(page.object_list)
        for person in page.object_list:
            person.score_total = totals.get(person.pk, ZERO)
    filters = form.filters()
    length = fig.place_length(request.user, filters)
    return render(
        request,
        "duties/figures_items.html",
        {
            "items": items,
            "page": page,
            "group_label": fig.group_label(dimension, group, length),
            "dimension_label": fig.dimension_label(dimension, length),
            "period": reg.period_label(filters),
            "scope": reg.scope_label(request.user, filters),
            "query": urlencode(form.query()),
            "year": filters["held_to"].year,
            "figures_url": reverse("duties:figures"),
            "errors": [],
        },
    )
