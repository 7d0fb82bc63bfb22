"""Duties endpoints for the deputy's app (/api/duties/...): the deputy's
own year of duty records, adding an entry with a photo and mending a
returned one, their score and how it was earned, the score lists published
to their region, and requests to correct a score.

Only a deputy signed in as themself may call them (403 for other roles, 401
without signing in). Rows are read through `visible_to`, so a deputy never
reaches another deputy's records or corrections (404). Every write is a
service of renda.duties.services; its refusals come back as 400 in the API's
one error format. Wired by `register(router)` from renda/api/urls.py.
"""

import datetime

from django.http import FileResponse, Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from renda.api.errors import call_service
from renda.api.serializers import ErrorSerializer
from renda.core import clock
from renda.core.params import as_year
from renda.duties import points, services
from renda.duties.models import (
    OWN_ENTRY_KINDS,
    Correction,
    DutyKind,
    DutyRecord,
    RecordStatus,
    ScorePublication,
)
from renda.duties.serializers import (
    CorrectionCreateSerializer,
    CorrectionSerializer,
    DutyEntrySerializer,
    DutyKindOptionSerializer,
    DutyRecordDetailSerializer,
    DutyRecordSerializer,
    DutyScoreSerializer,
    ScorePublicationDetailSerializer,
    ScorePublicationSerializer,
)
from renda.suggestions.api import IsDeputy

TAG = "duties"
ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
READ_ERRORS = {401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def register(router) -> None:
    """Called by renda/api/urls.py: route this app's viewsets."""
    router.register("duties/records", MyRecordViewSet, basename="duty-record")
    router.register("duties/corrections", MyCorrectionViewSet, basename="duty-correction")
    router.register("duties/publications", MyPublicationViewSet, basename="duty-publication")
    router.register("duties", MyScoreViewSet, basename="duty")


def _year(request) -> int:
    """?year=, this year when absent; a bad value is a 400 naming the field."""
    raw = request.query_params.get("year", "")
    if not raw:
        return clock.today().year
    year = as_year(raw, latest=clock.today().year + 1)
    if year is None:
        raise serializers.ValidationError({"year": ["年度应为四位数字，如 2026"]})
    return year


YEAR = OpenApiParameter("year", int, description="年度，默认今年")


# --- records --------------------------------------------------------------------------------


def _photo_response(record):
    try:
        handle = record.photo.open("rb")
    except FileNotFoundError:
        return HttpResponse("照片文件已丢失，请联系人大工作人员", status=410)
    name = record.photo.name.rsplit("/", 1)[-1]
    kind = "image/png" if name.lower().endswith(".png") else "image/jpeg"
    return FileResponse(handle, content_type=kind, filename=name)


RECORD_FILTERS = [
    YEAR,
    OpenApiParameter("status", str, enum=RecordStatus.values, description="只看某一状态"),
]


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="本人的履职记录",
        description="一年内记到本人名下的全部履职：组织者登记的活动、接待、建议和本人录入的。",
        parameters=RECORD_FILTERS,
        responses={200: DutyRecordSerializer(many=True), **ERRORS},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="一条履职记录",
        responses={200: DutyRecordDetailSerializer, **READ_ERRORS},
    ),
)
class MyRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [IsDeputy]
    queryset = DutyRecord.objects.none()  # the schema's hint; rows come from get_queryset

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return DutyRecord.objects.none()
        records = DutyRecord.objects.visible_to(self.request.user).select_related("source_type")
        if self.action == "list":
            records = records.filter(occurred_on__year=_year(self.request))
            wanted = self.request.query_params.get("status")
            if wanted:
                if wanted not in RecordStatus.values:
                    raise serializers.ValidationError({"status": ["状态不正确"]})
                records = records.filter(status=wanted)
        return records

    def get_serializer_class(self):
        if self.action == "list":
            return DutyRecordSerializer
        return DutyRecordDetailSerializer

    def _respond(self, record, code=status.HTTP_200_OK):
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(record).data, status=code)

    @extend_schema(
        tags=[TAG],
        summary="录入一条本人履职",
        description=(
            "代表本人补记组织者没有登记的履职（入户走访、化解纠纷、办实事等），"
            "附情况说明或一张照片；人大工作人员核实后计入档案和积分。"
        ),
        request={
            "multipart/form-data": DutyEntrySerializer,
            "application/json": DutyEntrySerializer,
        },
        responses={201: DutyRecordDetailSerializer, **ERRORS},
    )
    def create(self, request):
        data = DutyEntrySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = call_service(
            services.entry_submit,
            actor=request.user,
            person=request.user.deputy,
            **data.validated_data,
        )
        return self._respond(record, status.HTTP_201_CREATED)

    @extend_schema(
        tags=[TAG],
        summary="修改退回的履职记录并重新提交",
        description="只有被退回的本人录入可以修改；不重新上传照片则保留原照片。",
        request={
            "multipart/form-data": DutyEntrySerializer,
            "application/json": DutyEntrySerializer,
        },
        responses={200: DutyRecordDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        record = self.get_object()
        if not record.is_own_entry or record.status != RecordStatus.RETURNED:
            raise serializers.ValidationError(
                {"non_field_errors": [f"这条记录为“{record.get_status_display()}”，不能重新提交"]}
            )
        data = DutyEntrySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_service(
            services.entry_resubmit, record=record, actor=request.user, **data.validated_data
        )
        return self._respond(record)

    @extend_schema(
        tags=[TAG],
        summary="履职记录的佐证照片",
        responses={
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY, description="照片"),
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY, description="照片"),
            410: OpenApiResponse(description="照片文件已丢失"),
            **READ_ERRORS,
        },
    )
    @action(detail=True, methods=["get"])
    def photo(self, request, pk=None):
        record = self.get_object()
        if not record.photo:
            raise Http404
        return _photo_response(record)

    @extend_schema(
        tags=[TAG],
        summary="代表本人可录入的履职类型",
        responses={200: DutyKindOptionSerializer(many=True), **READ_ERRORS},
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def kinds(self, request):
        rows = [{"value": kind, "label": DutyKind(kind).label} for kind in OWN_ENTRY_KINDS]
        return Response(DutyKindOptionSerializer(rows, many=True).data)


# --- score ------------------------------------------------------------------------------------


class MyScoreViewSet(viewsets.GenericViewSet):
    permission_classes = [IsDeputy]
    serializer_class = DutyScoreSerializer

    @extend_schema(
        tags=[TAG],
        summary="本人的履职积分",
        description=(
            "按本地积分方案由履职记录计算的年度积分、等次、星级和每个计分项目的得分。"
            "积分只有本人和人大工作人员可见，公示后才向本区域代表公开。"
        ),
        parameters=[YEAR],
        responses={200: DutyScoreSerializer, **ERRORS},
    )
    @action(detail=False, methods=["get"])
    def score(self, request):
        person, year = request.user.deputy, _year(request)
        today = clock.today()
        scheme = points.scheme_for(person.region, min(today, datetime.date(year, 12, 31)))
        total = None
        if scheme is not None:
            total = points.score_totals([person.pk], year).get(person.pk, points.ZERO)
        band, stars = points.score_standing(person.region, year, total, today)
        score = {
            "year": year,
            "scheme": scheme,
            "total": total,
            "band": band,
            "stars": stars,
            "lines": points.score_breakdown(person, year),
        }
        return Response(DutyScoreSerializer(score).data)


# --- publications ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="本区域的积分公示",
        description="人大常委会（主席团）公示的、涵盖本人所在乡镇的积分结果，已撤回的不列。",
        responses={200: ScorePublicationSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        tags=[TAG],
        summary="一次积分公示的全部结果",
        responses={200: ScorePublicationDetailSerializer, **READ_ERRORS},
    ),
)
class MyPublicationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    permission_classes = [IsDeputy]
    queryset = ScorePublication.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ScorePublication.objects.none()
        # A publication is shown to the deputies it covers: those of its
        # region, including a township's deputies under a county-wide list.
        return (
            ScorePublication.objects.visible_to(self.request.user)
            .filter(withdrawn_at__isnull=True)
            .select_related("region")
            .order_by("-as_of", "-published_at")
        )

    def get_serializer_class(self):
        return (
            ScorePublicationSerializer
            if self.action == "list"
            else ScorePublicationDetailSerializer
        )


# --- corrections -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        tags=[TAG],
        summary="本人的积分更正申请",
        description="申请及人大工作人员的处理意见。",
        responses={200: CorrectionSerializer(many=True), **READ_ERRORS},
    ),
    retrieve=extend_schema(
        tags=[TAG], summary="一条更正申请", responses={200: CorrectionSerializer, **READ_ERRORS}
    ),
    create=extend_schema(
        tags=[TAG],
        summary="申请更正积分",
        description="对某个计分项目或某条履职记录有异议时提出，写明理由。",
        request=CorrectionCreateSerializer,
        responses={201: CorrectionSerializer, **ERRORS},
    ),
)
class MyCorrectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsDeputy]
    queryset = Correction.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Correction.objects.none()
        return Correction.objects.visible_to(self.request.user).select_related(
            "item", "record", "award"
        )

    def get_serializer_class(self):
        return CorrectionCreateSerializer if self.action == "create" else CorrectionSerializer

    def create(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = call_service(
            services.correction_request,
            actor=request.user,
            person=request.user.deputy,
            **data.validated_data,
        )
        correction = self.get_queryset().get(pk=correction.pk)
        return Response(CorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)
