"""The public disclosure board (公示牌): who represents each constituency.

Public pages: only public fields (name, photo, unit and post, the contact the
deputy chose to show, commitments, the average of the latest evaluation
round the office made public). Never an ID number, a birth date or a
private phone.
"""

from urllib.parse import quote

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from renda.deputies.models import Constituency, Mandate
from renda.deputies.selectors import published_evaluations


def _public_constituencies():
    return Constituency.objects.filter(mandates__ended_on__isnull=True).distinct()


def constituency_index(request):
    constituencies = (
        _public_constituencies()
        .select_related("term__body", "region__parent")
        .order_by("term__body__region__code", "term__body__name", "number")
    )
    return render(request, "deputies/disclosure_index.html", {"constituencies": constituencies})


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
