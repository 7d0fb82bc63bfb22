"""The public disclosure board (公示牌): who represents each constituency.

The index also shows, at a township, its stations and their next
reception days, so a citizen knows where and when to meet a deputy.

Public pages: only public fields (name, photo, unit and post, the contact the
deputy chose to show, commitments, the average of the latest evaluation
round the office made public). Never an ID number, a birth date or a
private phone.
"""

from urllib.parse import quote

from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from renda.core.models import Body, Region, RegionLevel
from renda.core.paging import CappedPaginator
from renda.core.params import as_id
from renda.core.search import contains_text
from renda.deputies.models import Constituency, Mandate, Person, Station
from renda.deputies.schedule import upcoming_reception_days
from renda.deputies.selectors import published_evaluations

INDEX_PAGE_SIZE = 50
STATIONS_SHOWN = 20  # a township has one to a few
UPCOMING_SHOWN = 3
# Levels that have a congress of their own; villages and communities do not.
CONGRESS_LEVELS = [
    RegionLevel.PROVINCE,
    RegionLevel.CITY,
    RegionLevel.COUNTY,
    RegionLevel.TOWNSHIP,
    RegionLevel.STREET,
]


def _public_constituencies():
    """Constituencies with at least one deputy in office."""
    serving = Mandate.objects.filter(constituency=OuterRef("pk"), ended_on__isnull=True)
    return Constituency.objects.filter(Exists(serving))


def _index_place(key: str | None) -> tuple[Region | None, bool]:
    """The region the index is opened at — the one asked for, else the only
    top region (a county's or a province's own server), else none (the
    top) — and whether there are several top regions to go back to."""
    roots = list(Region.objects.filter(parent__isnull=True)[:2])
    if pk := as_id(key):
        place = Region.objects.filter(pk=pk, level__in=CONGRESS_LEVELS).first()
        if place is not None:
            return place, len(roots) > 1
    return (roots[0] if len(roots) == 1 else None), len(roots) > 1


def constituency_index(request):
    """Where a citizen finds their constituency: walk down the regions
    (province ▸ county ▸ township) or search by name, one page at a time, so
    the page stays small at a province's 50,000 constituencies."""
    place, several_tops = _index_place(request.GET.get("region"))
    query = request.GET.get("q", "").strip()[:30]
    constituencies = _public_constituencies().select_related("term__body", "region__parent")
    if query:
        places = Region.objects.filter(contains_text(query, "name")).values("pk")
        constituencies = constituencies.filter(
            contains_text(query, "name", among={"region": places})
        )
        if place is not None:
            constituencies = constituencies.filter(region__code__startswith=place.code)
    else:
        constituencies = constituencies.filter(term__body__region=place)
    page = CappedPaginator(
        constituencies.order_by("term__body__region__code", "term__body__name", "number"),
        INDEX_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    with_congress = Body.objects.filter(region__code__startswith=OuterRef("code"))
    below = (
        Region.objects.filter(parent=place, level__in=CONGRESS_LEVELS)
        .filter(Exists(with_congress))
        .order_by("code")
    )
    trail = (
        Region.objects.filter(code__in=place.ancestor_codes()).order_by("code")
        if place is not None
        else []
    )
    return render(
        request,
        "deputies/disclosure_index.html",
        {
            "place": place,
            "trail": trail,
            "several_tops": several_tops,
            "below": below,
            "query": query,
            "page": page,
            "stations": _township_stations(place) if not query else [],
        },
    )


def _township_stations(place: Region | None) -> list[Station]:
    """A township's stations, where its people meet their deputies: the
    address, the office phone, the resident deputies and the next reception
    days (each station's `upcoming`)."""
    if place is None or place.level not in (RegionLevel.TOWNSHIP, RegionLevel.STREET):
        return []
    serving = Person.objects.serving().order_by("name_pinyin", "pk")
    stations = list(
        Station.objects.filter(active=True, region__code__startswith=place.code)
        .prefetch_related("schedules", Prefetch("resident_deputies", queryset=serving))
        .order_by("name", "pk")[:STATIONS_SHOWN]
    )
    today = timezone.localdate()
    for station in stations:
        station.upcoming = upcoming_reception_days(station, today, UPCOMING_SHOWN)
    return stations


def _board(pk):
    current = (
        Mandate.objects.filter(ended_on__isnull=True)
        .select_related("person")
        .order_by("person__name_pinyin")
    )
    constituency = get_object_or_404(
        _public_constituencies()
        .select_related("term__body", "region")
        .prefetch_related(Prefetch("mandates", queryset=current, to_attr="current_mandates")),
        pk=pk,
    )
    deputies = [m.person for m in constituency.current_mandates]
    evaluations = published_evaluations([p.pk for p in deputies])
    for person in deputies:
        person.evaluation = evaluations.get(person.pk)
    return {
        "constituency": constituency,
        "deputies": deputies,
        "today": timezone.localdate(),
    }


def constituency_board(request, pk):
    return render(request, "deputies/disclosure_board.html", _board(pk))


def constituency_board_pdf(request, pk):
    """The board as an A4 PDF to print and post (WeasyPrint, Noto CJK fonts)."""
    from weasyprint import (
        HTML,  # imported here: loading it costs ~0.5 s and only this view needs it
    )

    context = _board(pk)
    html = render_to_string(
        "deputies/disclosure_pdf.html", {**context, "pdf": True}, request=request
    )
    # Photos are referenced as local files (file://), so rendering never
    # makes an HTTP request back to this server.
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{context['constituency'].name}代表公示牌.pdf"
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response
