"""Evaluation pages: rounds (互评, 选民比评, 自评, 述职评议 ...) with their
results and star ratings, the deputies' rating page, the staff's entry of
voters' tallies, the four-good deputy list (四好人大代表) and duty reports
to voters (述职) with the region's figure.

Thin views: parse, check who may act, call renda.duties.services, render."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from renda.core.areas import area_of
from renda.core.forms import SERVICE_ERRORS, add_service_error
from renda.core.models import Region
from renda.core.params import as_id
from renda.core.permissions import DEPUTIES, OFFICE, can_manage_region, has_role, role_required
from renda.deputies.contacts import parse_year, year_choices
from renda.deputies.models import Person
from renda.deputies.selectors import deputy_of
from renda.duties import services
from renda.duties.forms_evaluations import (
    CloseForm,
    DutyReportForm,
    EnterForm,
    FourGoodForm,
    RoundForm,
)
from renda.duties.models import (
    DutyReport,
    EvaluationEntry,
    EvaluationRound,
    FourGoodSelection,
    RoundKind,
    RoundMethod,
    RoundStatus,
)

PAGE_SIZE = 50
OFFICE_AND_DEPUTIES = OFFICE | DEPUTIES
# Rounds whose entries deputies make themselves; the others are voters'
# tallies entered by staff.
BY_DEPUTY = (RoundKind.PEER, RoundKind.GROUP, RoundKind.SELF)
# The rounds the four-good list is drawn from (DOMAIN §3: self-assessment,
# group mutual assessment and public duty-report evaluation).
FOUR_GOOD_KINDS = {
    RoundKind.SELF: "自评",
    RoundKind.GROUP: "小组互评",
    RoundKind.DUTY_REPORT: "述职评议",
}
ONE_DECIMAL = Decimal("0.1")


def _posted(request):
    return request.POST if request.method == "POST" else None


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


DECIMAL = DecimalField(max_digits=12, decimal_places=2)


def _weight():
    """A voters' tally weighs as many voters as it counts; a deputy's rating one."""
    return Coalesce("voters", Value(1))


def _weighted(value):
    return Sum(ExpressionWrapper(value * _weight(), output_field=DECIMAL))


# --- rounds ------------------------------------------------------------------------------------


def _round_for(user, pk) -> EvaluationRound:
    return get_object_or_404(
        EvaluationRound.objects.visible_to(user).select_related("region", "station", "group"),
        pk=pk,
    )


@login_required
@role_required(OFFICE_AND_DEPUTIES)
def round_list(request):
    rounds = (
        EvaluationRound.objects.visible_to(request.user)
        .select_related("region", "station", "group")
        .annotate(entry_count=Count("entries"))
        .order_by("-period_to", "-pk")
    )
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "duties/round_list.html",
        {
            "page": page,
            "is_staff": has_role(request.user, OFFICE),
            "by_deputy": BY_DEPUTY,
        },
    )


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def round_create(request):
    today = timezone.localdate()
    initial = {
        "region": request.user.region_id,
        "period_from": today.replace(day=1),
        "period_to": today,
        "method": RoundMethod.STARS,
        "kind": request.GET.get("kind") or RoundKind.PEER,
    }
    form = RoundForm(_posted(request), user=request.user, initial=initial, area=area_of(request))
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_create(actor=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已建立评议“{round.title}”")
            return redirect(round)
    return render(request, "duties/round_form.html", {"form": form, "area": form.area})


def round_results(round: EvaluationRound) -> list[dict]:
    """Each deputy the round evaluates with the count and (voter-weighted)
    average of their evaluations; for a star round, the stars it gives
    (评星定级). Best first; deputies not yet evaluated last."""
    sums = {
        row["subject"]: row
        for row in EvaluationEntry.objects.filter(round=round)
        .order_by()
        .values("subject")
        .annotate(
            n=Count("pk"),
            voter_count=Sum("voters"),
            weighted=_weighted(F("value")),
            weight=Sum(_weight()),
        )
    }
    rows = []
    for person in services.round_subjects(round).select_related("region"):
        row = sums.get(person.pk)
        average = None
        if row:
            average = (Decimal(row["weighted"]) / row["weight"]).quantize(
                ONE_DECIMAL, ROUND_HALF_UP
            )
        rows.append(
            {
                "person": person,
                "count": row["n"] if row else 0,
                "voters": row["voter_count"] if row else None,
                "average": average,
                "stars": int(average.quantize(Decimal(1), ROUND_HALF_UP))
                if average is not None and round.method == RoundMethod.STARS
                else 0,
            }
        )
    rows.sort(key=lambda r: (r["average"] is None, -(r["average"] or 0), r["person"].name_pinyin))
    return rows


@login_required
@role_required(OFFICE_AND_DEPUTIES)
def round_detail(request, pk):
    """A round and its results; deputies see the results once published."""
    user = request.user
    round = _round_for(user, pk)
    is_staff = has_role(user, OFFICE)
    shown = is_staff or round.published
    return render(
        request,
        "duties/round_detail.html",
        {
            "round": round,
            "results": round_results(round) if shown else None,
            "is_staff": is_staff,
            "can_manage": can_manage_region(user, round.region),
            "by_deputy": round.kind in BY_DEPUTY,
            "star_range": range(1, 6),
        },
    )


def _ratings_posted(post) -> dict[int, str]:
    return {
        pk: value.strip()
        for key, value in post.items()
        if key.startswith("value_") and (pk := as_id(key[6:])) and value.strip()
    }


@login_required
@role_required(DEPUTIES)
@require_http_methods(["GET", "POST"])
def round_rate(request, pk):
    """A deputy rates their peers (or themself, in a self-assessment) on a phone."""
    user = request.user
    round = _round_for(user, pk)
    person = deputy_of(user)
    subjects = list(services.round_subjects(round).select_related("region"))
    in_round = person is not None and any(s.pk == person.pk for s in subjects)
    if round.kind == RoundKind.SELF:
        to_rate = [s for s in subjects if person and s.pk == person.pk]
    else:
        to_rate = [s for s in subjects if not person or s.pk != person.pk]
    errors = []
    posted = {}
    if request.method == "POST":
        posted = _ratings_posted(request.POST)
        if person is None:
            errors.append("您的账号尚未关联代表信息，请联系人大工作人员")
        elif not posted:
            errors.append("请至少评价一位代表")
        else:
            errors = _save_ratings(request, round, person, posted)
            if not errors:
                messages.success(request, f"已保存对 {len(posted)} 位代表的评价")
                return redirect("duties:round_rate", pk=round.pk)
    mine = {}
    if person is not None:
        mine = {
            e.subject_id: e for e in EvaluationEntry.objects.filter(round=round, evaluator=person)
        }
    rows = [
        {
            "person": s,
            "value": posted.get(s.pk)
            or (f"{mine[s.pk].value.normalize():f}" if s.pk in mine else ""),
            "comment": request.POST.get(f"comment_{s.pk}", "")
            if posted
            else (mine[s.pk].comment if s.pk in mine else ""),
            "rated": s.pk in mine,
        }
        for s in to_rate
    ]
    return render(
        request,
        "duties/round_rate.html",
        {
            "round": round,
            "person": person,
            "in_round": in_round,
            "by_deputy": round.kind in BY_DEPUTY,
            "rows": rows,
            "errors": errors,
            "star_choices": ["1", "2", "3", "4", "5"],
        },
    )


def _save_ratings(request, round, person, posted) -> list[str]:
    """Save every rating or none: a refusal names the deputy and the reason."""
    subjects = Person.objects.visible_to(request.user).in_bulk(list(posted))
    errors = []
    try:
        with transaction.atomic():
            for pk, value in posted.items():
                subject = subjects.get(pk)
                if subject is None:
                    errors.append("所评代表不在本次评议范围内")
                    continue
                try:
                    services.evaluation_enter(
                        round=round,
                        actor=request.user,
                        subject=subject,
                        evaluator=person,
                        value=value,
                        comment=request.POST.get(f"comment_{pk}", ""),
                    )
                except SERVICE_ERRORS as error:
                    errors.extend(f"{subject.name}：{message}" for message in error.messages)
            if errors:
                raise _Refused
    except _Refused:
        pass
    return errors


class _Refused(Exception):
    """Roll back the ratings already saved when one is refused."""


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def round_enter(request, pk):
    """Staff enter the voters' tallied rating of each deputy (选民比评)."""
    round = _round_for(request.user, pk)
    if not can_manage_region(request.user, round.region):
        raise PermissionDenied("您不能录入该评议的结果")
    by_deputy = round.kind in BY_DEPUTY
    form = None
    if not by_deputy and round.status == RoundStatus.OPEN:
        form = EnterForm(
            _posted(request), subjects=services.round_subjects(round), method=round.method
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.evaluation_enter(round=round, actor=request.user, **data)
            except SERVICE_ERRORS as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"已录入{entry.subject.name}的评议结果")
                return redirect("duties:round_enter", pk=round.pk)
    entries = (
        EvaluationEntry.objects.filter(round=round, evaluator__isnull=True)
        .select_related("subject", "entered_by")
        .order_by("-entered_at")
    )
    return render(
        request,
        "duties/round_enter.html",
        {"round": round, "form": form, "by_deputy": by_deputy, "entries": entries},
    )


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def round_close(request, pk):
    """End a round, and decide whether its results are shown."""
    round = _round_for(request.user, pk)
    if not can_manage_region(request.user, round.region):
        raise PermissionDenied("您不能结束该评议")
    form = CloseForm(_posted(request), initial={"publish": True})
    if request.method == "POST" and round.status == RoundStatus.OPEN and form.is_valid():
        try:
            services.round_close(
                round=round, actor=request.user, publish=form.cleaned_data["publish"]
            )
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            done = "结果已公开" if round.published else "结果未公开"
            messages.success(request, f"评议已结束，{done}")
            return redirect(round)
    return render(request, "duties/round_close.html", {"round": round, "form": form})


# --- the four-good deputy list ----------------------------------------------------------------


def four_good_candidates(user, year: int) -> list[dict]:
    """Deputies ranked by the mean of their results in the year's self,
    group and duty-report rounds (stars scaled to 100) and their duty
    reports' satisfaction; each component is aggregated in SQL."""
    rounds = EvaluationRound.objects.visible_to(user).filter(
        kind__in=FOUR_GOOD_KINDS, period_to__year=year
    )
    scaled = Case(
        When(round__method=RoundMethod.STARS, then=F("value") * 20),
        default=F("value"),
        output_field=DECIMAL,
    )
    components: dict[int, dict] = {}
    for row in (
        EvaluationEntry.objects.filter(round__in=rounds)
        .order_by()
        .values("subject", "round__kind")
        .annotate(
            weighted=_weighted(scaled),
            weight=Sum(_weight()),
        )
    ):
        average = (Decimal(row["weighted"]) / row["weight"]).quantize(ONE_DECIMAL)
        components.setdefault(row["subject"], {})[row["round__kind"]] = average
    for row in (
        DutyReport.objects.visible_to(user)
        .filter(reported_on__year=year)
        .order_by()
        .values("person")
        .annotate(
            content=Sum(F("satisfied") + F("basically_satisfied")),
            votes=Sum(F("satisfied") + F("basically_satisfied") + F("dissatisfied")),
        )
    ):
        if row["votes"]:
            components.setdefault(row["person"], {})["satisfaction"] = _percent(
                row["content"], row["votes"]
            )
    selected = {
        s.person_id: s
        for s in FourGoodSelection.objects.visible_to(user)
        .filter(year=year)
        .select_related("selected_by")
    }
    persons = (
        Person.objects.visible_to(user)
        .filter(pk__in=set(components) | set(selected))
        .select_related("region")
    )
    rows = []
    for person in persons:
        parts = components.get(person.pk, {})
        values = list(parts.values())
        score = (sum(values) / len(values)).quantize(ONE_DECIMAL) if values else None
        basis = [
            f"{label}{parts[kind]}分" for kind, label in FOUR_GOOD_KINDS.items() if kind in parts
        ]
        if "satisfaction" in parts:
            basis.append(f"述职满意率{parts['satisfaction']}%")
        rows.append(
            {
                "person": person,
                "self": parts.get(RoundKind.SELF),
                "group": parts.get(RoundKind.GROUP),
                "duty_report": parts.get(RoundKind.DUTY_REPORT),
                "satisfaction": parts.get("satisfaction"),
                "score": score,
                "basis": "，".join(basis),
                "selection": selected.get(person.pk),
            }
        )
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["person"].name_pinyin))
    return rows


@login_required
@role_required(OFFICE)
def four_good(request):
    year = parse_year(request.GET.get("year"))
    rows = four_good_candidates(request.user, year)
    return render(
        request,
        "duties/four_good_list.html",
        {
            "year": year,
            "years": year_choices(year),
            "rows": rows,
            "selected": [r for r in rows if r["selection"]],
        },
    )


@login_required
@role_required(OFFICE)
def four_good_print(request):
    """The year's list as the office prints it."""
    year = parse_year(request.GET.get("year"))
    selections = (
        FourGoodSelection.objects.visible_to(request.user)
        .filter(year=year)
        .select_related("person__region")
        .order_by("person__region__code", "person__name_pinyin")
    )
    return render(
        request,
        "duties/four_good_print.html",
        {"year": year, "selections": selections, "today": timezone.localdate()},
    )


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def four_good_select(request):
    initial = {
        "person": request.GET.get("person"),
        "year": parse_year(request.GET.get("year")),
        "basis": request.GET.get("basis", "")[:200],
    }
    form = FourGoodForm(_posted(request), user=request.user, initial=initial, area=area_of(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            selection = services.four_good_select(actor=request.user, **data)
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, f"已将{selection.person.name}列入{selection.year}年度四好人大代表名单"
            )
            return redirect(f"{reverse('duties:four_good')}?year={selection.year}")
    return render(request, "duties/four_good_select.html", {"form": form})


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def four_good_unselect(request, pk):
    selection = get_object_or_404(
        FourGoodSelection.objects.visible_to(request.user).select_related("person__region"),
        pk=pk,
    )
    if not can_manage_region(request.user, selection.person.region):
        raise PermissionDenied("您不能修改该名单")
    if request.method == "POST":
        services.four_good_unselect(actor=request.user, selection=selection)
        messages.success(request, f"已将{selection.person.name}移出{selection.year}年度名单")
        return redirect(f"{reverse('duties:four_good')}?year={selection.year}")
    return render(request, "duties/four_good_unselect.html", {"selection": selection})


# --- duty reports to voters (述职) --------------------------------------------------------------


def duty_report_figure(user, region: Region | None, year: int) -> dict:
    """ "N of M deputies reported (x%), satisfaction y%" for the deputies
    serving in `region` (the user's whole scope when None), in two queries."""
    day = min(timezone.localdate(), datetime.date(year, 12, 31))
    persons = Person.objects.visible_to(user).serving(day)
    reports = DutyReport.objects.visible_to(user).filter(reported_on__year=year)
    if region is not None:
        persons = persons.filter(region__code__startswith=region.code)
        reports = reports.filter(person__region__code__startswith=region.code)
    reported = DutyReport.objects.filter(person=OuterRef("pk"), reported_on__year=year)
    deputies = persons.annotate(has_report=Exists(reported)).aggregate(
        total=Count("pk"), reported=Count("pk", filter=Q(has_report=True))
    )
    votes = reports.aggregate(
        reports=Count("pk"),
        content=Sum(F("satisfied") + F("basically_satisfied")),
        votes=Sum(F("satisfied") + F("basically_satisfied") + F("dissatisfied")),
    )
    return {
        "total": deputies["total"],
        "reported": deputies["reported"],
        "share": _percent(deputies["reported"], deputies["total"]),
        "reports": votes["reports"],
        "satisfaction": _percent(votes["content"] or 0, votes["votes"]),
        "day": day,
    }


@login_required
@role_required(OFFICE)
def duty_report_list(request):
    user = request.user
    year = parse_year(request.GET.get("year"))
    townships = list(Region.objects.visible_to(user).townships().only("pk", "code", "name"))
    chosen = request.GET.get("township", "")
    township = next((t for t in townships if str(t.pk) == chosen), None)
    region = township or user.region
    reports = (
        DutyReport.objects.visible_to(user)
        .filter(reported_on__year=year)
        .select_related("person__region")
    )
    if township is not None:
        reports = reports.filter(person__region__code__startswith=township.code)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    for report in page.object_list:
        report.percent = _percent(report.satisfied + report.basically_satisfied, report.votes)
    return render(
        request,
        "duties/duty_report_list.html",
        {
            "page": page,
            "year": year,
            "years": year_choices(year),
            "townships": townships if len(townships) > 1 else [],
            "township": township,
            "region": region,
            "figure": duty_report_figure(user, region, year),
        },
    )


@login_required
@role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def duty_report_create(request):
    """Record a deputy's report to voters and the voters' rating; the deputy
    is credited with the duty."""
    initial = {"person": request.GET.get("person"), "reported_on": timezone.localdate()}
    form = DutyReportForm(
        _posted(request), user=request.user, initial=initial, area=area_of(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.duty_report_record(actor=request.user, **form.cleaned_data)
        except SERVICE_ERRORS as error:
            add_service_error(form, error)
        else:
            messages.success(request, f"已登记{report.person.name}的述职")
            return redirect(f"{reverse('duties:duty_report_list')}?year={report.reported_on.year}")
    return render(request, "duties/duty_report_form.html", {"form": form})
