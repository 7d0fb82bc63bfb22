"""Serializers of the duties API (renda.duties.api): what the deputy's app
reads and sends. Reads only; every write goes through the services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import NoReverseMatch, reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from renda.core import clock
from renda.core.workflow import timeline
from renda.duties.models import (
    OWN_ENTRY_KINDS,
    Correction,
    DutyKind,
    DutyRecord,
    PointsItem,
    PointsScheme,
    RecordStatus,
    ScorePublication,
)
from renda.opinions.forms_office import check_photo
from renda.suggestions.api import TimelineEntrySerializer

KINDS_HELP = "、".join(f"{kind}（{DutyKind(kind).label}）" for kind in OWN_ENTRY_KINDS)

# Where a record came from: (stable code for the app, label, page showing it).
SOURCES = {
    ("duties", "activity"): ("activity", "履职活动", "duties:activity_detail"),
    ("duties", "dutyreport"): ("duty_report", "向选民述职", None),
    ("opinions", "reception"): ("reception", "接待选民活动", "opinions:reception_detail"),
    ("opinions", "opinion"): ("opinion", "社情民意", "opinions:detail"),
    ("suggestions", "suggestion"): ("suggestion", "议案建议", "suggestions:my_detail"),
}


# --- records --------------------------------------------------------------------------------


class DutyRecordSerializer(serializers.ModelSerializer):
    """One duty credited to the deputy. Own entries (`is_own_entry`) count
    once the office has verified them; `check_comment` says why one was
    returned."""

    # Plain strings: the names kind/status collide with other apps' enums in the schema.
    kind = serializers.CharField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status = serializers.CharField(
        read_only=True,
        help_text="、".join(f"{value}（{label}）" for value, label in RecordStatus.choices),
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    attendance = serializers.CharField(read_only=True, help_text="present/leave/absent")
    attendance_label = serializers.CharField(source="get_attendance_display", read_only=True)
    counts = serializers.BooleanField(read_only=True, help_text="是否计入履职档案和积分")
    is_own_entry = serializers.BooleanField(read_only=True)
    source_type = serializers.SerializerMethodField(
        help_text="activity、reception、opinion、suggestion、duty_report；本人录入为 null"
    )
    source_label = serializers.SerializerMethodField()
    source_url = serializers.SerializerMethodField(help_text="查看来源的网页；没有则为 null")
    photo_url = serializers.SerializerMethodField(help_text="佐证照片；没有则为 null")

    class Meta:
        model = DutyRecord
        fields = [
            "id",
            "kind",
            "kind_label",
            "occurred_on",
            "title",
            "place",
            "status",
            "status_label",
            "counts",
            "attendance",
            "attendance_label",
            "leave_reason",
            "is_own_entry",
            "source_type",
            "source_label",
            "source_id",
            "source_url",
            "note",
            "photo_url",
            "check_comment",
            "checked_at",
            "entered_at",
        ]
        read_only_fields = fields

    def _source(self, record):
        if record.source_type_id is None:
            return None
        content_type = record.source_type
        key = (content_type.app_label, content_type.model)
        return SOURCES.get(key, (content_type.model, str(content_type.name), None))

    def get_source_type(self, record) -> str | None:
        source = self._source(record)
        return source[0] if source else None

    def get_source_label(self, record) -> str:
        source = self._source(record)
        return source[1] if source else "本人录入"

    def get_source_url(self, record) -> str | None:
        source = self._source(record)
        if not source or not source[2]:
            return None
        try:
            url = reverse(source[2], args=[record.source_id])
        except NoReverseMatch:
            return None
        return self.context["request"].build_absolute_uri(url)

    def get_photo_url(self, record) -> str | None:
        if not record.photo:
            return None
        url = reverse("api:duty-record-photo", args=[record.pk])
        return self.context["request"].build_absolute_uri(url)


class DutyRecordDetailSerializer(DutyRecordSerializer):
    timeline = serializers.SerializerMethodField(help_text="提交、核实、退回等经过")

    class Meta(DutyRecordSerializer.Meta):
        fields = [*DutyRecordSerializer.Meta.fields, "timeline"]
        read_only_fields = fields

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, record):
        return TimelineEntrySerializer(timeline(record), many=True).data


class DutyEntrySerializer(serializers.Serializer):
    """A duty the deputy did that no organiser recorded, with a note or a
    photo as evidence (multipart/form-data when sending a photo)."""

    kind = serializers.CharField(help_text=f"履职类型：{KINDS_HELP}")
    occurred_on = serializers.DateField(help_text="日期，如 2026-10-15；不能晚于今天")
    title = serializers.CharField(max_length=160, help_text="事项，如“调解两户宅基地纠纷”")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    photo = serializers.FileField(
        required=False, allow_null=True, default=None, help_text="JPG 或 PNG，不超过 5 MB"
    )

    def validate_photo(self, upload):
        if upload is None:
            return None
        try:
            return check_photo(upload)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class DutyKindOptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


# --- score ------------------------------------------------------------------------------------


class SchemeBandSerializer(serializers.Serializer):
    min = serializers.FloatField(help_text="分数线（含）")
    label = serializers.CharField(help_text="等次，如 优秀")


class SchemeStarLevelSerializer(serializers.Serializer):
    min = serializers.FloatField(help_text="分数线（含）")
    stars = serializers.IntegerField()


class PointsSchemeSerializer(serializers.ModelSerializer):
    bands = SchemeBandSerializer(many=True, read_only=True)
    stars = SchemeStarLevelSerializer(many=True, read_only=True)

    class Meta:
        model = PointsScheme
        fields = [
            "id",
            "name",
            "source",
            "scale",
            "effective_from",
            "effective_to",
            "bands",
            "stars",
        ]
        read_only_fields = fields


class DutyScoreLineSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="积分类别")
    item_id = serializers.IntegerField(source="item.pk")
    item = serializers.CharField(source="item.name", help_text="计分项目")
    basis = serializers.CharField(source="item.basis", help_text="records/base/award")
    cap = serializers.DecimalField(
        source="item.cap", max_digits=6, decimal_places=1, allow_null=True, help_text="全年上限"
    )
    count = serializers.IntegerField(help_text="次数")
    raw = serializers.DecimalField(max_digits=7, decimal_places=1, help_text="未封顶的得分")
    points = serializers.DecimalField(max_digits=7, decimal_places=1, help_text="计入总分的得分")
    capped = serializers.BooleanField(help_text="是否已达上限")


class DutyScoreSerializer(serializers.Serializer):
    """The deputy's score: null total and scheme where the office has not
    adopted a points scheme."""

    year = serializers.IntegerField()
    scheme = PointsSchemeSerializer(allow_null=True)
    total = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    band = serializers.CharField(help_text="等次；无积分方案时为空")
    stars = serializers.IntegerField(help_text="星级；0 为未评星")
    lines = DutyScoreLineSerializer(many=True)


# --- publications ----------------------------------------------------------------------------


class ScorePublicationRowSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    region = serializers.CharField(help_text="所属乡镇（街道）")
    total = serializers.DecimalField(max_digits=7, decimal_places=1)
    band = serializers.CharField()
    stars = serializers.IntegerField()


class ScorePublicationSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    count = serializers.SerializerMethodField(help_text="公示的代表人数")
    mine = serializers.SerializerMethodField(help_text="本人在公示中的一行；不在其中为 null")

    class Meta:
        model = ScorePublication
        fields = [
            "id",
            "title",
            "year",
            "as_of",
            "region",
            "region_name",
            "published_at",
            "count",
            "mine",
        ]
        read_only_fields = fields

    def get_count(self, publication) -> int:
        return len(publication.totals)

    @extend_schema_field(ScorePublicationRowSerializer(allow_null=True))
    def get_mine(self, publication):
        person = self.context["request"].user.deputy
        row = next((row for row in publication.totals if row["person"] == person.pk), None)
        return ScorePublicationRowSerializer(row).data if row else None


class ScorePublicationDetailSerializer(ScorePublicationSerializer):
    rows = ScorePublicationRowSerializer(source="totals", many=True, read_only=True)

    class Meta(ScorePublicationSerializer.Meta):
        fields = [*ScorePublicationSerializer.Meta.fields, "rows"]
        read_only_fields = fields


# --- corrections -----------------------------------------------------------------------------


class CorrectionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="open/accepted/refused")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    item_name = serializers.CharField(
        source="item.name", read_only=True, default=None, allow_null=True
    )
    record_title = serializers.CharField(
        source="record.title", read_only=True, default=None, allow_null=True
    )
    award_points = serializers.DecimalField(
        source="award.points",
        max_digits=6,
        decimal_places=1,
        read_only=True,
        default=None,
        allow_null=True,
        help_text="采纳后调整的分值；未调整为 null",
    )

    class Meta:
        model = Correction
        fields = [
            "id",
            "year",
            "item",
            "item_name",
            "record",
            "record_title",
            "reason",
            "status",
            "status_label",
            "requested_at",
            "answer",
            "answered_at",
            "award_points",
        ]
        read_only_fields = fields


class CorrectionCreateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, help_text="年度")
    reason = serializers.CharField(help_text="申请更正的理由")
    item = serializers.PrimaryKeyRelatedField(
        queryset=PointsItem.objects.none(), required=False, allow_null=True, help_text="积分项目 id"
    )
    record = serializers.PrimaryKeyRelatedField(
        queryset=DutyRecord.objects.none(),
        required=False,
        allow_null=True,
        help_text="本人的履职记录 id",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            schemes = PointsScheme.objects.visible_to(user)
            self.fields["item"].queryset = PointsItem.objects.filter(scheme__in=schemes)
            self.fields["record"].queryset = DutyRecord.objects.visible_to(user)

    def validate_year(self, year):
        if year > clock.today().year:
            raise serializers.ValidationError("年度不能晚于今年")
        return year
