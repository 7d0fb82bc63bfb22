"""Deputies: roster import (upload, check, confirm) and roster export pages."""

import tempfile
import zipfile

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from renda.core.areas import area_of
from renda.core.models import Region, RegionLevel
from renda.core.permissions import OFFICE, REGIONAL, can_manage_region, has_role, role_required
from renda.core.services import audit_record
from renda.deputies.models import ImportStatus, Level, RosterImport
from renda.deputies.roster_io import roster_import_confirm, roster_import_start, roster_workbook
from renda.deputies.selectors import roster
from renda.deputies.views.roster import roster_filters, roster_waits, waits_for_county

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PROBLEMS_PER_PAGE = 100
IMPORTS_PER_PAGE = 30
RUNNING = (ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.WRITING)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="花名册文件",
        help_text="Excel 2007 及以上版本的 .xlsx 文件，不超过 10 MB；第一行可为标题，列名见导出的花名册",
    )
    region = forms.ModelChoiceField(
        label="导入范围",
        queryset=Region.objects.none(),
        help_text="文件中的代表须属于这个范围内的乡镇（街道）",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.visible_to(user).filter(
            level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.STREET]
        )
        if user.region_id:
            regions = regions.filter(code__startswith=user.region.code)
            self.fields["region"].initial = user.region_id
        self.fields["region"].queryset = regions

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                "只能上传 .xlsx 文件；.xls 或 WPS 文件请先在 Excel 中“另存为”.xlsx 格式"
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("文件不能超过 10 MB，请分成几个文件导入")
        try:
            with zipfile.ZipFile(upload) as archive:
                is_workbook = "xl/workbook.xml" in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            is_workbook = False
        upload.seek(0)
        if not is_workbook:
            raise forms.ValidationError(
                "文件内容不是 Excel 工作簿（可能只是改了扩展名），请在 Excel 中另存为 .xlsx 后重新上传"
            )
        return upload


def _visible_imports(user):
    return RosterImport.objects.visible_to(user).select_related("region", "created_by")


@login_required
@role_required(OFFICE, "只有人大工作人员可以导入花名册")
def import_list(request):
    # The problem lists can be long: count problem rows instead of loading them.
    imports = (
        _visible_imports(request.user)
        .defer("problems")
        .annotate(problem_rows=F("total_rows") - F("good_rows") - F("unchanged_rows"))
    )
    page = Paginator(imports, IMPORTS_PER_PAGE).get_page(request.GET.get("page"))
    # The export menu offers what exports without a county, and the list for the rest.
    area = area_of(request)
    whole = not waits_for_county(area, {})
    levels = [(v, label) for v, label in Level.choices if not waits_for_county(area, {"level": v})]
    return render(
        request, "deputies/import_list.html", {"page": page, "levels": levels, "whole": whole}
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以导入花名册")
def import_create(request):
    form = RosterUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        region = form.cleaned_data["region"]
        if not can_manage_region(request.user, region):
            raise PermissionDenied("只能导入本级及下级区划的花名册")
        job = roster_import_start(
            upload=form.cleaned_data["file"], region=region, actor=request.user
        )
        messages.info(request, f"已上传“{job.original_name}”，正在校验")
        return redirect("deputies:import_detail", pk=job.pk)
    return render(request, "deputies/import_create.html", {"form": form})


def _progress(job: RosterImport) -> dict:
    if job.status == ImportStatus.WRITING:
        done, total, what = job.written_rows, job.good_rows, "写入"
    else:
        done, total, what = job.processed_rows, job.total_rows, "校验"
    percent = int(done * 100 / total) if total else 0
    return {"done": done, "total": total, "what": what, "percent": min(percent, 100)}


@login_required
@role_required(OFFICE, "只有人大工作人员可以导入花名册")
def import_detail(request, pk):
    job = get_object_or_404(_visible_imports(request.user), pk=pk)
    problems = job.problems or []
    page = Paginator(problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "deputies/import_detail.html",
        {
            "job": job,
            "running": job.status in RUNNING,
            "progress": _progress(job),
            "page": page,
            "problem_rows": len({p["row"] for p in problems}),
            "can_confirm": job.status == ImportStatus.CHECKED
            and job.good_rows > 0
            and can_manage_region(request.user, job.region),
        },
    )


@login_required
@role_required(OFFICE, "只有人大工作人员可以导入花名册")
def import_status(request, pk):
    """The progress fragment the detail page polls; once the step is over it
    asks htmx to reload the page, which then shows the results."""
    job = get_object_or_404(RosterImport.objects.visible_to(request.user), pk=pk)
    response = render(
        request,
        "deputies/import_status.html",
        {"job": job, "running": job.status in RUNNING, "progress": _progress(job)},
    )
    if job.status not in RUNNING and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@role_required(OFFICE, "只有人大工作人员可以导入花名册")
@require_POST
def import_confirm(request, pk):
    job = get_object_or_404(_visible_imports(request.user), pk=pk)
    if not can_manage_region(request.user, job.region):
        raise PermissionDenied("只能导入本级及下级区划的花名册")
    if roster_import_confirm(job=job, actor=request.user):
        job.refresh_from_db()
        if job.status == ImportStatus.DONE:  # the task ran at once (no separate worker)
            messages.success(request, f"已写入 {job.written_rows} 行")
        else:
            messages.success(request, "已确认，正在写入无误的行")
    else:
        messages.error(request, "该导入不在待确认状态（可能已由他人确认），请刷新后查看")
    return redirect("deputies:import_detail", pk=job.pk)


@login_required
@role_required(REGIONAL, "您的账号无权导出代表花名册")
def roster_export(request):
    user = request.user
    # The roster list page's filters, so its export button exports what it shows.
    filters = roster_filters(request)
    if waiting := roster_waits(request, filters):
        return waiting
    persons = roster(user, filters=filters)
    level = filters["level"]
    # Office staff see only their own region and below, all of which they
    # manage, so they get full ID numbers; deputies and liaison officers get
    # them masked.
    reveal = has_role(user, OFFICE)
    place = user.region.name if user.region_id else ""
    title = f"{place}{Level(level).label if level else '人大代表'}花名册"
    workbook = roster_workbook(persons, reveal_private=reveal, title=title, level=level or None)
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(output)
    output.seek(0)
    if reveal:
        audit_record(
            actor=user,
            action="roster_export",
            detail={
                "full_id_numbers": True,
                "filters": {
                    key: value for key, value in filters.items() if value and key != "level"
                },
                "level": level,
            },
            ip_address=request.META.get("REMOTE_ADDR"),
        )
    filename = f"{title}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX)
