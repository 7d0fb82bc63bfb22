"""Opinions endpoints for office staff, deputies, liaison officers and
handling units: the opinions and receptions a user may see, entering an
opinion on someone's behalf, and each step of its handling.

The same rules as the office pages, from the same places:
- reads go through `Opinion.objects.visible_to` (renda.opinions.selectors),
  so another township's or another unit's opinion is 404;
- the person's name and phone are masked unless the user handles the
  opinion (`selectors.can_see_submitter`);
- who may take a step is `selectors.may_act` (403 otherwise), whether the
  opinion's state allows it `selectors.action_open`;
- input is checked by the pages' forms (renda.opinions.forms_office), so a
  field error reads the same in the API as on the page; the serializers
  below describe the input for the schema and give its defaults;
- every write is a service of renda.opinions.services; its refusals
  (ValidationError, a refused move, a missing rule) come back as 400 in the
  API's error format.

Wired by `register(router)` from renda/api/urls.py.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.fields import empty
from rest_framework.response import Response

from renda.api.errors import call_service, form_data, form_errors
from renda.api.serializers import ErrorSerializer
from renda.core.permissions import OFFICE, REGIONAL, UNITS, has_role
from renda.opinions import selectors, services
from renda.opinions.forms_office import (
    ANSWER_METHODS,
    AnswerForm,
    AssignForm,
    ConvertForm,
    DeclineForm,
    EscalateForm,
    HandledForm,
    MergeForm,
    OpinionForm,
    ReceptionForm,
    ReturnForm,
    SolveForm,
    SortForm,
)
from renda.opinions.models import Channel, Opinion, OpinionStatus, Reception, ReceptionKind, Urgency

TAG_OPINIONS = "opinions"
TAG_RECEPTIONS = "receptions"
ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}

# API action -> the step of selectors.ACTIONS it takes. `handle` is the
# unit's report of its result, or the office recording a result.
STEPS = {
    "sort": ("sort",),
    "merge": ("merge",),
    "solve": ("solve",),
    "assign": ("assign",),
    "escalate": ("escalate",),
    "convert": ("convert",),
    "decline": ("decline",),
    "handle": ("unit_handle", "handled"),
    "answer": ("answer",),
    "return": ("unit_return",),
}
API_NAME = {step: name for name, steps in STEPS.items() for step in steps}

# Who may call each endpoint at all (the door); may_act decides per opinion.
OPINION_ROLES = {
    "list": REGIONAL | UNITS,
    "retrieve": REGIONAL | UNITS,
    "create": REGIONAL,
    "sort": REGIONAL,
    "solve": REGIONAL,
    "answer": REGIONAL,
    "merge": OFFICE,
    "assign": OFFICE,
    "escalate": OFFICE,
    "convert": OFFICE,
    "decline": OFFICE,
    "handle": OFFICE | UNITS,
    "unit_return": UNITS,
}


RECEPTION_ROLES = {"list": REGIONAL, "retrieve": REGIONAL, "create": REGIONAL}


class ByAction(permissions.BasePermission):
    """The roles of the view's `roles` table for the action (REGIONAL by default)."""

    message = "您的账号无权使用此接口"

    def has_permission(self, request, view):
        return has_role(request.user, view.roles.get(view.action, REGIONAL))


def _data(request, serializer_class):
    """The request's input with the defaults the schema promises (urgency,
    people received ...) filled in; the page's form then checks all of it,
    so every error is reported at once, in the pages' words."""
    data = form_data(request.data).copy()
    for name, field in serializer_class().fields.items():
        if field.default is not empty and name not in data:
            data[name] = field.default
    return data


def _checked(form):
    if not form.is_valid():
        raise serializers.ValidationError(form_errors(form))
    return form.cleaned_data


# --- opinions: what is read ----------------------------------------------------------------


class OpinionSerializer(serializers.ModelSerializer):
    """An opinion as the user may see it. `submitter_name` and
    `submitter_phone` are masked (刘*, 139****5678) and `receipt_code` is null
    unless the user handles it (`submitter_visible`)."""

    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    urgency_label = serializers.CharField(source="get_urgency_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    station_name = serializers.CharField(
        source="station.name", read_only=True, default=None, allow_null=True
    )
    category_name = serializers.CharField(
        source="category.name", read_only=True, default=None, allow_null=True
    )
    unit_name = serializers.CharField(
        source="unit.name", read_only=True, default=None, allow_null=True
    )
    collected_by_name = serializers.CharField(
        source="collected_by.name", read_only=True, default=None, allow_null=True
    )
    receipt_code = serializers.SerializerMethodField()
    submitter_name = serializers.SerializerMethodField()
    submitter_phone = serializers.SerializerMethodField()
    submitter_visible = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = Opinion
        fields = [
            "id",
            "number",
            "receipt_code",
            "channel",
            "channel_label",
            "status",
            "status_label",
            "title",
            "content",
            "urgency",
            "urgency_label",
            "category",
            "category_name",
            "region",
            "region_name",
            "station",
            "station_name",
            "reception",
            "collected_by",
            "collected_by_name",
            "people_concerned",
            "submitter_name",
            "submitter_phone",
            "submitter_visible",
            "received_at",
            "unit",
            "unit_name",
            "due_on",
            "escalated_to",
            "suggestion",
            "merged_into",
            "decline_reason",
            "handling_result",
            "answer",
            "answer_method",
            "answered_at",
            "actions",
        ]
        read_only_fields = fields

    def _submitter(self, opinion) -> selectors.Submitter:
        cache = self.context.setdefault("submitters", {})
        if opinion.pk not in cache:
            stations = self.context.get("stations")
            if stations is None:
                stations = self.context["stations"] = selectors.liaison_stations(self._user)
            cache[opinion.pk] = selectors.submitter_for(self._user, opinion, stations=stations)
        return cache[opinion.pk]

    @property
    def _user(self):
        return self.context["request"].user

    def get_receipt_code(self, opinion) -> str | None:
        return opinion.receipt_code if self._submitter(opinion).full else None

    def get_submitter_name(self, opinion) -> str:
        return self._submitter(opinion).name

    def get_submitter_phone(self, opinion) -> str:
        return self._submitter(opinion).phone

    def get_submitter_visible(self, opinion) -> bool:
        return self._submitter(opinion).full

    def get_actions(self, opinion) -> list[str]:
        """The steps this user may take on it now (POST /api/opinions/{id}/{step}/)."""
        self._submitter(opinion)  # loads the liaison stations once
        steps = selectors.actions_for(self._user, opinion, stations=self.context["stations"])
        return sorted({API_NAME[step] for step, _ in steps})


# --- opinions: what is sent (the schema; the office forms validate) -------------------------


class OpinionCreateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=[c for c in Channel.choices if c[0] != Channel.WEB])
    reception = serializers.IntegerField(required=False, allow_null=True, help_text="接待活动 id")
    station = serializers.IntegerField(
        required=False, allow_null=True, help_text="联络站 id；联络员必填"
    )
    region = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="所涉村（社区）或乡镇 id；不填按接待活动、联络站或本人工作区划",
    )
    place = serializers.CharField(required=False, allow_blank=True, max_length=60)
    title = serializers.CharField(max_length=120)
    content = serializers.CharField()
    category = serializers.IntegerField(required=False, allow_null=True)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    people_concerned = serializers.IntegerField(min_value=1, default=1)
    submitter_name = serializers.CharField(max_length=30)
    submitter_phone = serializers.CharField(max_length=20)
    collected_by = serializers.IntegerField(
        required=False, allow_null=True, help_text="收集代表 id；代表本人录入时自动为本人"
    )


class SortRequestSerializer(serializers.Serializer):
    category = serializers.IntegerField()
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    title = serializers.CharField(required=False, allow_blank=True, max_length=120)


class MergeRequestSerializer(serializers.Serializer):
    into = serializers.IntegerField(required=False, allow_null=True, help_text="并入意见的 id")
    code = serializers.CharField(
        required=False, allow_blank=True, help_text="或并入意见的登记编号、回执码"
    )


class ResultRequestSerializer(serializers.Serializer):
    result = serializers.CharField(help_text="解决情况或办理结果")


class AssignRequestSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="承办单位 id")


class EscalateRequestSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=80, help_text="如：县人大常委会")
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ConvertRequestSerializer(serializers.Serializer):
    congress = serializers.IntegerField(help_text="提交至的人民代表大会（机构 id）")
    lead = serializers.IntegerField(help_text="领衔代表 id")
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    category = serializers.IntegerField(required=False, allow_null=True)


class ReasonRequestSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AnswerRequestSerializer(serializers.Serializer):
    answer = serializers.CharField()
    method = serializers.ChoiceField(choices=[(m, m) for m in ANSWER_METHODS])


LIST_FILTERS = [
    OpenApiParameter("status", str, enum=OpinionStatus.values, description="状态"),
    OpenApiParameter("channel", str, enum=Channel.values, description="渠道"),
    OpenApiParameter("urgency", str, enum=Urgency.values, description="轻重缓急"),
    OpenApiParameter("category", int, description="类别 id"),
    OpenApiParameter("station", int, description="联络站 id"),
    OpenApiParameter("township", str, description="乡镇（街道）区划代码"),
    OpenApiParameter("month", str, description="收集月份，如 2026-11"),
    OpenApiParameter("overdue", bool, description="只看逾期未办结的"),
    OpenApiParameter("q", str, description="事由、内容、登记编号或回执码"),
]


def _step(summary: str, request, description: str = ""):
    return extend_schema(
        tags=[TAG_OPINIONS],
        summary=summary,
        description=description,
        request=request,
        responses={200: OpinionSerializer, **ERRORS},
    )


@extend_schema_view(
    list=extend_schema(
        tags=[TAG_OPINIONS],
        summary="社情民意台账",
        description="本人工作范围内的意见；承办单位只看到交本单位办理的。",
        parameters=LIST_FILTERS,
        responses={200: OpinionSerializer(many=True)},
    ),
    retrieve=extend_schema(tags=[TAG_OPINIONS], summary="一条意见", responses=OpinionSerializer),
)
class OpinionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = OpinionSerializer
    permission_classes = [ByAction]
    roles = OPINION_ROLES

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            return (
                selectors.ledger(user, self.request.query_params, today=timezone.localdate())
                .prefetch_related("collected_by")
                .order_by("-received_at", "-pk")
            )
        return selectors.opinions_in_full(user)

    def _respond(self, opinion, code=status.HTTP_200_OK):
        # Read again for the names; a unit that returned it no longer sees it
        # and gets the opinion as it left it.
        opinion = self.get_queryset().filter(pk=opinion.pk).first() or opinion
        return Response(self.get_serializer(opinion).data, status=code)

    @extend_schema(
        tags=[TAG_OPINIONS],
        summary="代为登记一条意见",
        description=(
            "代表、联络员或人大工作人员代反映人登记。几分钟内同一电话的同一内容"
            "视为同一条，答 200 并返回原意见；新登记答 201。"
        ),
        request=OpinionCreateSerializer,
        responses={201: OpinionSerializer, 200: OpinionSerializer, **ERRORS},
    )
    def create(self, request):
        form = OpinionForm(data=_data(request, OpinionCreateSerializer), user=request.user)
        _checked(form)
        opinion, created = call_service(
            services.opinion_receive, actor=request.user, **form.opinion_fields()
        )
        return self._respond(opinion, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def _act(self, request, name: str, form_class, perform, input_class):
        """The opinion visible to the user (404), the user allowed to take the
        step (403), the state allowing it and the input valid (400), then the service."""
        opinion = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        stations = selectors.liaison_stations(request.user)
        steps = [
            step
            for step in STEPS[name]
            if selectors.may_act(request.user, opinion, step, stations=stations)
        ]
        if not steps:
            label = selectors.ACTIONS[STEPS[name][0]].label
            raise PermissionDenied(f"您无权对这条意见进行“{label}”")
        open_steps = [step for step in steps if selectors.action_open(opinion, step)]
        if not open_steps:
            label = selectors.ACTIONS[steps[0]].label
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        f"这条意见当前为“{opinion.get_status_display()}”，不能{label}"
                    ]
                }
            )
        form = form_class(data=_data(request, input_class), user=request.user, opinion=opinion)
        data = _checked(form)
        call_service(perform, opinion=opinion, actor=request.user, data=data)
        return self._respond(opinion)

    @_step("整理登记", SortRequestSerializer, "确定类别和轻重缓急，编登记编号。")
    @action(detail=True, methods=["post"])
    def sort(self, request, pk=None):
        def perform(*, opinion, actor, data):
            services.opinion_sort(
                opinion=opinion,
                actor=actor,
                category=data["category"],
                urgency=data["urgency"],
                title=data["title"],
            )

        return self._act(request, "sort", SortForm, perform, SortRequestSerializer)

    @_step("归并", MergeRequestSerializer, "与同一事项的意见合并办理；每位反映人仍会得到答复。")
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        def perform(*, opinion, actor, data):
            services.opinion_merge(opinion=opinion, into=data["into"], actor=actor)

        return self._act(request, "merge", MergeForm, perform, MergeRequestSerializer)

    @_step("当场解决", ResultRequestSerializer)
    @action(detail=True, methods=["post"])
    def solve(self, request, pk=None):
        def perform(*, opinion, actor, data):
            services.opinion_solve(opinion=opinion, actor=actor, result=data["result"])

        return self._act(request, "solve", SolveForm, perform, ResultRequestSerializer)

    @_step("交办承办单位", AssignRequestSerializer, "办理期限按规则自动计算。")
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        def perform(*, opinion, actor, data):
            services.opinion_assign(opinion=opinion, actor=actor, unit=data["unit"])

        return self._act(request, "assign", AssignForm, perform, AssignRequestSerializer)

    @_step("上报上级人大", EscalateRequestSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        def perform(*, opinion, actor, data):
            services.opinion_escalate(
                opinion=opinion, actor=actor, to=data["to"], note=data["note"]
            )

        return self._act(request, "escalate", EscalateForm, perform, EscalateRequestSerializer)

    @_step("转为代表建议", ConvertRequestSerializer, "以领衔代表名义提出闭会期间建议，双向关联。")
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        def perform(*, opinion, actor, data):
            services.opinion_convert(
                opinion=opinion,
                actor=actor,
                congress=data["congress"],
                lead=data["lead"],
                title=data["title"],
                body=data["body"],
                category=data["category"],
            )

        return self._act(request, "convert", ConvertForm, perform, ConvertRequestSerializer)

    @_step("不予受理", ReasonRequestSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        def perform(*, opinion, actor, data):
            services.opinion_decline(opinion=opinion, actor=actor, reason=data["reason"])

        return self._act(request, "decline", DeclineForm, perform, ReasonRequestSerializer)

    @_step(
        "报送（记录）办理结果",
        ResultRequestSerializer,
        "承办单位报送交本单位办理的意见的结果；人大工作人员记录上报、转建议或未使用本系统的单位的办理结果。",
    )
    @action(detail=True, methods=["post"])
    def handle(self, request, pk=None):
        def perform(*, opinion, actor, data):
            services.opinion_handled(opinion=opinion, actor=actor, result=data["result"])

        return self._act(request, "handle", HandledForm, perform, ResultRequestSerializer)

    @_step("退回", ReasonRequestSerializer, "承办单位认为不属本单位职责时退回人大，重新交办。")
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def unit_return(self, request, pk=None):
        def perform(*, opinion, actor, data):
            services.opinion_unit_return(opinion=opinion, actor=actor, reason=data["reason"])

        return self._act(request, "return", ReturnForm, perform, ReasonRequestSerializer)

    @_step("答复反映人", AnswerRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        def perform(*, opinion, actor, data):
            services.opinion_answer(
                opinion=opinion, actor=actor, answer=data["answer"], method=data["method"]
            )

        return self._act(request, "answer", AnswerForm, perform, AnswerRequestSerializer)


# --- receptions --------------------------------------------------------------------------------


class ReceptionSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    station_name = serializers.CharField(
        source="station.name", read_only=True, default=None, allow_null=True
    )
    region_name = serializers.CharField(source="region.name", read_only=True)
    deputy_names = serializers.SerializerMethodField()
    opinion_count = serializers.IntegerField(read_only=True, help_text="在此收集的意见（件）")

    class Meta:
        model = Reception
        fields = [
            "id",
            "held_on",
            "kind",
            "kind_label",
            "station",
            "station_name",
            "region",
            "region_name",
            "place",
            "deputies",
            "deputy_names",
            "people_received",
            "note",
            "opinion_count",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_deputy_names(self, reception) -> list[str]:
        return [person.name for person in reception.deputies.all()]


class ReceptionCreateSerializer(serializers.Serializer):
    station = serializers.IntegerField(
        required=False, allow_null=True, help_text="联络站 id；联络员必填"
    )
    # Text rather than an enum: the same choices in two components collide in
    # the schema's enum names with the other "kind" fields of the API.
    kind = serializers.CharField(
        help_text="接待方式："
        + "、".join(f"{value}（{label}）" for value, label in ReceptionKind.choices)
        + "；代表本人只能登记入户走访"
    )
    held_on = serializers.DateField()
    region = serializers.IntegerField(
        required=False, allow_null=True, help_text="选了联络站可不填；入户走访请填所到村（社区）"
    )
    place = serializers.CharField(required=False, allow_blank=True, max_length=120)
    deputies = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        help_text="接待代表 id；代表本人登记时自动包括本人",
    )
    people_received = serializers.IntegerField(min_value=0, default=0)
    note = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        tags=[TAG_RECEPTIONS],
        summary="接待活动",
        description=("人大工作人员看本区划的全部接待；联络员看所管联络站的；代表看本人参加的。"),
        parameters=[
            OpenApiParameter("station", int, description="联络站 id"),
            OpenApiParameter("kind", str, enum=ReceptionKind.values, description="接待方式"),
            OpenApiParameter("month", str, description="月份，如 2026-11"),
        ],
    ),
    retrieve=extend_schema(tags=[TAG_RECEPTIONS], summary="一次接待活动"),
)
class ReceptionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReceptionSerializer
    permission_classes = [ByAction]
    roles = RECEPTION_ROLES

    def get_queryset(self):
        filters = self.request.query_params if self.action == "list" else {}
        return selectors.reception_list(self.request.user, filters)

    @extend_schema(
        tags=[TAG_RECEPTIONS],
        summary="登记一次接待活动",
        request=ReceptionCreateSerializer,
        responses={201: ReceptionSerializer, **ERRORS},
    )
    def create(self, request):
        form = ReceptionForm(data=_data(request, ReceptionCreateSerializer), user=request.user)
        data = _checked(form)
        reception = call_service(
            services.reception_record,
            actor=request.user,
            region=data["region"],
            kind=data["kind"],
            held_on=data["held_on"],
            deputies=data["deputies"],
            station=data["station"],
            place=data["place"],
            people_received=data["people_received"],
            note=data["note"],
        )
        reception = self.get_queryset().get(pk=reception.pk)
        return Response(self.get_serializer(reception).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Route the endpoints under /api/opinions/ and /api/receptions/."""
    router.register("opinions", OpinionViewSet, basename="opinion")
    router.register("receptions", ReceptionViewSet, basename="reception")
