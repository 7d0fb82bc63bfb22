"""The public opinion API, for the congress's app and website: the places to
choose from, a captcha, submitting an opinion and tracking it. Open to
everyone (AllowAny) and validated by the same form, rate limits and
duplicate guard as the pages (forms_public.py, abuse.py).

No authentication classes: a signed-in browser needs no CSRF token here and
a stale token is not a 401; the submission is recorded without an actor.
Wired by `register(router)` from renda/api/urls.py.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from renda.api.errors import form_data, form_errors
from renda.api.serializers import ErrorSerializer
from renda.opinions import abuse, captcha
from renda.opinions.forms_public import (
    MAX_CONTENT_CHARS,
    OpinionPublicForm,
    TrackForm,
    counties,
    county_chosen,
    places,
    public_progress,
)

TAG = "public-opinions"


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
    default_detail = abuse.TOO_LARGE_MESSAGE


# --- serializers (the schema; the Django forms validate) ----------------------


class VillageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CountySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    parent = serializers.CharField(source="parent.name", default="", help_text="上级（市）")


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    villages = VillageSerializer(many=True)


class CaptchaSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="验证问题，如“3 加 4 等于几？”")
    token = serializers.CharField(help_text="提交意见时原样放在 captcha_token 中；10 分钟内有效")


class OpinionSubmitSerializer(serializers.Serializer):
    """The submission; checked by OpinionPublicForm, the page's own form."""

    township = serializers.IntegerField(help_text="乡镇（街道）的 id，见 places")
    village = serializers.IntegerField(
        required=False, allow_null=True, help_text="村（社区）的 id，可不填"
    )
    title = serializers.CharField(max_length=120, help_text="事由")
    content = serializers.CharField(max_length=MAX_CONTENT_CHARS, help_text="具体内容")
    people_concerned = serializers.IntegerField(min_value=1, default=1, help_text="涉及人数")
    submitter_name = serializers.CharField(max_length=30, help_text="姓名（不公开）")
    submitter_phone = serializers.CharField(
        max_length=20, help_text="11 位手机号码（不公开）；查询进度时需要后四位"
    )
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=abuse.MAX_PHOTOS,
        help_text="照片，最多 3 张，JPG 或 PNG，每张不超过 5 MB（multipart/form-data）",
    )
    captcha_token = serializers.CharField(help_text="captcha 接口给出的 token")
    captcha_answer = serializers.CharField(help_text="验证问题的数字答案")


class ReceiptSerializer(serializers.Serializer):
    receipt_code = serializers.CharField(help_text="回执码，查询进度用")
    duplicate = serializers.BooleanField(help_text="几分钟内重复提交的同一内容：返回原回执码")
    message = serializers.CharField()


class TrackSerializer(serializers.Serializer):
    receipt_code = serializers.CharField(max_length=20)
    phone_last4 = serializers.CharField(max_length=4, help_text="提交时所填手机号码的后四位")


class StepSerializer(serializers.Serializer):
    label = serializers.CharField()
    on = serializers.DateField()


class SuggestionProgressSerializer(serializers.Serializer):
    number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reply_unit = serializers.CharField(help_text="答复单位；未答复时为空")
    reply_text = serializers.CharField(help_text="答复内容（公开文本优先）；未答复时为空")
    replied_on = serializers.DateField(allow_null=True)


class JoinedProgressSerializer(serializers.Serializer):
    status = serializers.CharField()
    status_label = serializers.CharField()
    unit = serializers.CharField()
    handling_result = serializers.CharField()
    suggestion = SuggestionProgressSerializer(allow_null=True)


class ProgressSerializer(serializers.Serializer):
    receipt_code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(help_text="办理状态（通俗说法）")
    received_on = serializers.DateField()
    steps = StepSerializer(many=True)
    unit = serializers.CharField(help_text="办理单位；未交办时为空")
    due_on = serializers.DateField(allow_null=True)
    decline_reason = serializers.CharField()
    handling_result = serializers.CharField()
    answer = serializers.CharField(help_text="给反映人的答复；未答复时为空")
    answer_method = serializers.CharField()
    answered_on = serializers.DateField(allow_null=True)
    suggestion = SuggestionProgressSerializer(allow_null=True)
    merged_into = JoinedProgressSerializer(
        allow_null=True, help_text="合并办理时，所并入意见的进展"
    )


# --- the endpoints ----------------------------------------------------------------

ERRORS = {400: ErrorSerializer, 413: ErrorSerializer, 429: ErrorSerializer}


def _limit(limit: abuse.Limit, key: str) -> None:
    try:
        abuse.hit(limit, key)
    except abuse.RateLimited as refusal:
        raise exceptions.Throttled(wait=refusal.retry_after) from None


def _bound(form_class, request):
    """The form over the request's data and files; Django's caps on parsed
    fields (DATA_UPLOAD_MAX_*) answer 413, a body that is not an object 400."""
    try:
        data, files = request.data, request.FILES
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        raise TooLarge() from None
    return form_class(data=form_data(data), files=files)


class PublicOpinionViewSet(viewsets.ViewSet):
    """社情民意公开接口：任何人可用，无需登录。"""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        tags=[TAG],
        summary="提交社情民意",
        description=(
            "先调用 captcha 取得验证问题。同一网络 10 分钟内最多提交 5 次，"
            "同一手机号 1 小时内最多 3 条（超出答 429）；几分钟内重复提交的同一内容"
            "返回原回执码（200，duplicate 为 true），新意见答 201。"
        ),
        request={
            "application/json": OpinionSubmitSerializer,
            "multipart/form-data": OpinionSubmitSerializer,
        },
        responses={201: ReceiptSerializer, 200: ReceiptSerializer, **ERRORS},
    )
    def create(self, request):
        if abuse.body_too_large(request):
            raise TooLarge()
        address = abuse.client_ip(request)
        _limit(abuse.SUBMIT_PER_ADDRESS, address or "unknown")
        form = _bound(OpinionPublicForm, request)
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form))
        _limit(abuse.SUBMIT_PER_PHONE, form.cleaned_data["submitter_phone"])
        opinion, created = form.save(client_ip=address)
        receipt = {
            "receipt_code": opinion.receipt_code,
            "duplicate": not created,
            "message": "已收到您的意见" if created else "已收到您刚才提交的意见",
        }
        return Response(
            ReceiptSerializer(receipt).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(tags=[TAG], summary="取得验证问题", responses={200: CaptchaSerializer})
    @action(detail=False, methods=["get"])
    def captcha(self, request):
        challenge = captcha.new_challenge()
        response = Response(
            CaptchaSerializer({"question": challenge.question, "token": challenge.token}).data
        )
        add_never_cache_headers(response)
        return response

    @extend_schema(
        tags=[TAG],
        summary="可选择的县（市、区）",
        description="省级部署有多个县（市、区）时，先选县，再以 county 参数取其乡镇和村。",
        responses={200: CountySerializer(many=True)},
    )
    @action(detail=False, methods=["get"])
    def counties(self, request):
        return Response(CountySerializer(counties(), many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="可选择的乡镇（街道）和村（社区）",
        description=(
            "只有一个县（市、区）时可不带参数；有多个时必须带 county（见 counties），否则答 400。"
        ),
        parameters=[OpenApiParameter("county", int, description="县（市、区）的 id，见 counties")],
        responses={200: PlaceSerializer(many=True), 400: ErrorSerializer},
    )
    @action(detail=False, methods=["get"])
    def places(self, request):
        county, options = county_chosen(request.query_params.get("county"))
        if options and county is None:
            raise serializers.ValidationError(
                {"county": ["请选择县（市、区）：county 参数取 counties 给出的 id"]}
            )
        townships, villages = places(county)
        by_township = {}
        for village in villages:
            by_township.setdefault(village.parent_id, []).append(
                {"id": village.pk, "name": village.name}
            )
        rows = [
            {"id": t.pk, "name": t.name, "villages": by_township.get(t.pk, [])} for t in townships
        ]
        return Response(PlaceSerializer(rows, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="查询办理进度",
        description=(
            "回执码和手机号后四位任一不对，都答同一句话（400）。"
            "同一网络 10 分钟内最多查询 10 次（超出答 429）。只给出进度和答复，不含姓名和电话。"
        ),
        request=TrackSerializer,
        responses={200: ProgressSerializer, **ERRORS},
    )
    @action(detail=False, methods=["post"])
    def track(self, request):
        if abuse.body_too_large(request, files_allowed=False):
            raise TooLarge()
        _limit(abuse.TRACK_PER_ADDRESS, abuse.client_ip(request) or "unknown")
        form = _bound(TrackForm, request)
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form))
        return Response(ProgressSerializer(public_progress(form.opinion)).data)


def register(router) -> None:
    """Route the public opinion endpoints under /api/public/opinions/."""
    router.register("public/opinions", PublicOpinionViewSet, basename="public-opinion")
