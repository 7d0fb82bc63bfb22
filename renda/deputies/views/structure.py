"""Deputies: structure statistics (结构比例) page and its Excel export."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from renda.core.models import Region
from renda.core.permissions import OFFICE, role_required
from renda.deputies.models import Level, Mandate
from renda.deputies.structure import (
    STATISTIC_LEVELS,
    StructureQueryForm,
    structure_report,
    structure_workbook,
    term_numbers_present,
)

REFUSED = "只有人大工作人员可以查看代表结构比例"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _prepare(request) -> dict:
    """Read the query (filling defaults), check the region is in the user's
    scope (404 if not) and compute the report. Returns the page context;
    `report` is None when the query has a problem, listed in `errors`."""
    user = request.user
    regions = list(
        Region.objects.visible_to(user).filter(level__in=STATISTIC_LEVELS).order_by("code")
    )
    own = next((region for region in regions if region.pk == user.region_id), None)
    default_region = own or (regions[0] if regions else None)
    values = {name: request.GET.get(name, "").strip() for name in ("region", "level", "term", "on")}
    values["region"] = values["region"] or (default_region.code if default_region else "")
    values["level"] = values["level"] or Level.COUNTY
    values["on"] = values["on"] or timezone.localdate().isoformat()
    context = {
        "regions": regions,
        "levels": Level.choices,
        "values": values,
        "terms": [],
        "errors": [],
        "report": None,
    }
    if not regions:
        context["errors"] = ["您的账号没有可统计的区划"]
        return context

    form = StructureQueryForm(values)
    if not form.is_valid():
        context["errors"] = form.error_lines()
        return context
    region, level = form.cleaned_data["region"], form.cleaned_data["level"]
    if region.pk not in {visible.pk for visible in regions}:
        raise Http404("该区划不在您的工作范围内")

    mandates = Mandate.objects.visible_to(user)
    context["terms"] = term_numbers_present(region=region, level=level, mandates=mandates)
    term = form.cleaned_data["term"] or next(iter(context["terms"]), None)
    if term is None:
        context["errors"] = [f"届次：{region.name}还没有{Level(level).label}的届次记录，请填写届次"]
        return context
    values["term"] = str(term)
    report = structure_report(
        region=region, level=level, term_number=term, on=form.cleaned_data["on"], mandates=mandates
    )
    context["report"] = report
    context["query"] = urlencode(values)
    context["charts"] = [_chart(dimension) for dimension in report.dimensions]
    return context


def _chart(dimension) -> dict:
    """One chart's data for structure.js: rows with deputies, subtotals left out."""
    rows = [row for row in dimension.rows if row.count and not row.subtotal]
    return {
        "element": f"chart-{dimension.key}",
        "kind": dimension.chart,
        "labels": [row.label for row in rows],
        "values": [row.count for row in rows],
        "percents": [str(row.percent) for row in rows],
    }


@login_required
@role_required(OFFICE, REFUSED)
def structure(request):
    return render(request, "deputies/structure.html", _prepare(request))


@login_required
@role_required(OFFICE, REFUSED)
def structure_export(request):
    context = _prepare(request)
    report = context["report"]
    if report is None:
        return render(request, "deputies/structure.html", context, status=400)
    response = HttpResponse(structure_workbook(report), content_type=XLSX)
    filename = (
        f"{report.region.name}{report.level_label}{report.term_label}结构比例"
        f"{report.on:%Y%m%d}.xlsx"
    )
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
