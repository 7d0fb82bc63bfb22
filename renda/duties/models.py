"""Duty performance (履职): activities entered once by their organiser,
duty records credited to every deputy, deputies' own entries, the points
scheme as data, evaluations and duty reports to voters.

The one table everything else reads is `DutyRecord`: one row per deputy per
thing done, whoever recorded it (an organiser, another capability such as
suggestions or receptions, or the deputy). Archives, registers, figures and
scores are views over it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from renda.core.models import Body, Region
from renda.core.scope import RegionScopedQuerySet
from renda.deputies.models import Group, Person, Station


class DutyKind(models.TextChoices):
    """The kinds of duty of DOMAIN §3; record kinds other capabilities add
    (suggestions, receptions, opinions) are among them."""

    SESSION = "session", "出席代表大会会议"
    MEETING = "meeting", "参加会议"
    NON_VOTING = "non_voting", "列席会议"
    GROUP_ACTIVITY = "group_activity", "代表小组活动"
    TRAINING = "training", "学习培训"
    INSPECTION = "inspection", "视察"
    SURVEY = "survey", "调研"
    LAW_ENFORCEMENT = "law_enforcement", "执法检查"
    APPRAISAL = "appraisal", "评议"
    RECEPTION = "reception", "接待选民"
    HOUSEHOLD_VISIT = "household_visit", "入户走访"
    DISPUTE = "dispute", "化解矛盾纠纷"
    PRACTICAL = "practical", "为民办实事"
    POVERTY = "poverty", "帮扶困难群众"
    DUTY_REPORT = "duty_report", "向选民述职"
    PUBLICITY = "publicity", "宣讲"
    SUGGESTION = "suggestion", "领衔提出议案建议"
    JOINT_SUGGESTION = "joint_suggestion", "联名提出议案建议"
    OPINION = "opinion", "收集社情民意"
    OTHER = "other", "其他"


# Kinds an organiser enters as an activity with participants.
ACTIVITY_KINDS = [
    DutyKind.SESSION,
    DutyKind.MEETING,
    DutyKind.NON_VOTING,
    DutyKind.GROUP_ACTIVITY,
    DutyKind.TRAINING,
    DutyKind.INSPECTION,
    DutyKind.SURVEY,
    DutyKind.LAW_ENFORCEMENT,
    DutyKind.APPRAISAL,
    DutyKind.RECEPTION,
    DutyKind.PUBLICITY,
    DutyKind.POVERTY,
    DutyKind.OTHER,
]
# Kinds a deputy records on their own (履职纪实).
OWN_ENTRY_KINDS = [
    DutyKind.HOUSEHOLD_VISIT,
    DutyKind.DISPUTE,
    DutyKind.PRACTICAL,
    DutyKind.POVERTY,
    DutyKind.PUBLICITY,
    DutyKind.SURVEY,
    DutyKind.OTHER,
]


class Attendance(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


# --- activities --------------------------------------------------------------


class ActivityQuerySet(RegionScopedQuerySet):
    region_path = "region"


class Activity(models.Model):
    """One activity (视察, 调研, 小组活动 ...), entered once by its organiser;
    its participants' duty records follow from it."""

    region = models.ForeignKey(Region, verbose_name="所属区划", on_delete=models.PROTECT)
    kind = models.CharField("活动类型", max_length=20, choices=DutyKind.choices)
    title = models.CharField("活动主题", max_length=120)
    held_on = models.DateField("活动日期", db_index=True)
    place = models.CharField("地点", max_length=120, blank=True)
    organiser_body = models.ForeignKey(
        Body, verbose_name="组织机构", on_delete=models.PROTECT, null=True, blank=True
    )
    organiser_group = models.ForeignKey(
        Group, verbose_name="组织的代表小组", on_delete=models.PROTECT, null=True, blank=True
    )
    organiser_station = models.ForeignKey(
        Station, verbose_name="组织的联络站", on_delete=models.PROTECT, null=True, blank=True
    )
    content = models.TextField("活动内容", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("录入时间", auto_now_add=True)
    records = GenericRelation(
        "DutyRecord", content_type_field="source_type", object_id_field="source_id"
    )
    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "履职活动"
        verbose_name_plural = "履职活动"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["region", "held_on"], name="activity_region_held")]

    def __str__(self):
        return f"{self.held_on} {self.title}"

    def get_absolute_url(self):
        return reverse("duties:activity_detail", args=[self.pk])

    @property
    def organiser(self):
        return self.organiser_group or self.organiser_station or self.organiser_body


class ActivityAttachment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="duties/activities/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=60)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "活动附件"
        verbose_name_plural = "活动附件"

    def __str__(self):
        return self.name


# --- duty records ------------------------------------------------------------


class RecordStatus(models.TextChoices):
    RECORDED = "recorded", "已记录"  # from an organiser or another capability
    PENDING = "pending", "待核实"  # a deputy's own entry, not yet checked
    VERIFIED = "verified", "已核实"
    RETURNED = "returned", "已退回"
    REJECTED = "rejected", "抽查不实"


# Statuses whose records count in archives, figures and scores.
COUNTED_STATUSES = (RecordStatus.RECORDED, RecordStatus.VERIFIED)


class DutyRecordQuerySet(RegionScopedQuerySet):
    region_path = "person__region"

    def visible_to(self, user):
        """Office staff and liaison officers see the records of their region;
        a deputy sees only their own."""
        from renda.core.models import Role

        if user.is_authenticated and not user.is_superuser and user.role == Role.DEPUTY:
            return self.filter(person__user=user)
        return super().visible_to(user)

    def counted(self):
        return self.filter(status__in=COUNTED_STATUSES)


class DutyRecord(models.Model):
    """One duty credited to one deputy, with the evidence it rests on: the
    activity, suggestion, reception or opinion it came from (`source`), or,
    for a deputy's own entry, their note and photo."""

    TRANSITIONS = {
        RecordStatus.RECORDED: set(),
        RecordStatus.PENDING: {RecordStatus.VERIFIED, RecordStatus.RETURNED},
        RecordStatus.RETURNED: {RecordStatus.PENDING},
        RecordStatus.VERIFIED: {RecordStatus.REJECTED},
        RecordStatus.REJECTED: set(),
    }

    person = models.ForeignKey(
        Person, verbose_name="代表", on_delete=models.PROTECT, related_name="duty_records"
    )
    kind = models.CharField("履职类型", max_length=20, choices=DutyKind.choices)
    occurred_on = models.DateField("日期")
    title = models.CharField("事项", max_length=160)
    attendance = models.CharField(
        "出勤", max_length=10, choices=Attendance.choices, default=Attendance.PRESENT
    )
    leave_reason = models.CharField("请假事由", max_length=120, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=RecordStatus.choices, default=RecordStatus.RECORDED
    )
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    note = models.TextField("情况说明", blank=True)
    photo = models.ImageField("照片", upload_to="duties/entries/%Y/%m/", blank=True)
    place = models.CharField("地点", max_length=120, blank=True)
    # Empty when another capability credited it from a record nobody
    # signed in to enter (an opinion from a public channel).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核实人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField("核实时间", null=True, blank=True)
    check_comment = models.CharField("核实意见", max_length=200, blank=True)
    spot_checked = models.BooleanField("已抽查", default=False)
    history = HistoricalRecords()

    objects = DutyRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "履职记录"
        verbose_name_plural = "履职记录"
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            # Another capability re-sending the same fact updates, never doubles.
            models.UniqueConstraint(
                fields=["person", "source_type", "source_id", "kind"],
                condition=Q(source_id__isnull=False),
                name="dutyrecord_one_per_source",
            ),
        ]
        indexes = [
            # Archives and scores: one deputy's year.
            models.Index(fields=["person", "occurred_on"], name="dutyrecord_person_day"),
            # Figures and score recomputation: a period across a region.
            models.Index(fields=["occurred_on", "kind"], name="dutyrecord_day_kind"),
            # Activity pages list their participants.
            models.Index(fields=["source_type", "source_id"], name="dutyrecord_source"),
            # Records of a status in a period.
            models.Index(fields=["status", "occurred_on"], name="dutyrecord_status_day"),
            # The verification queue: own entries waiting, the longest waiting first.
            models.Index(
                fields=["entered_at", "id"],
                condition=Q(status=RecordStatus.PENDING, source_id__isnull=True),
                name="dutyrecord_queue",
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.occurred_on} {self.title}"

    def get_absolute_url(self):
        return reverse("duties:record_detail", args=[self.pk])

    @property
    def is_own_entry(self) -> bool:
        return self.source_id is None

    @property
    def counts(self) -> bool:
        return self.status in COUNTED_STATUSES


class SpotCheckQuerySet(RegionScopedQuerySet):
    region_path = "region"


class SpotCheck(models.Model):
    """A sample of deputies' own entries drawn for review (抽查)."""

    region = models.ForeignKey(Region, verbose_name="抽查范围", on_delete=models.PROTECT)
    period_from = models.DateField("起始日期")
    period_to = models.DateField("截止日期")
    share_percent = models.PositiveSmallIntegerField("抽查比例（%）")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽查人", on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)
    records = models.ManyToManyField(DutyRecord, through="SpotCheckItem", related_name="+")

    objects = SpotCheckQuerySet.as_manager()

    class Meta:
        verbose_name = "抽查"
        verbose_name_plural = "抽查"
        ordering = ["-drawn_at"]

    def __str__(self):
        return f"{self.region} {self.period_from}至{self.period_to} 抽查"

    def get_absolute_url(self):
        return reverse("duties:spot_check_detail", args=[self.pk])


class SpotCheckOutcome(models.TextChoices):
    OPEN = "open", "待核查"
    CONFIRMED = "confirmed", "属实"
    NOT_CONFIRMED = "not_confirmed", "不属实"


class SpotCheckItem(models.Model):
    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    record = models.ForeignKey(DutyRecord, on_delete=models.PROTECT, related_name="spot_checks")
    outcome = models.CharField(
        "核查结果", max_length=14, choices=SpotCheckOutcome.choices, default=SpotCheckOutcome.OPEN
    )
    comment = models.CharField("核查说明", max_length=200, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "抽查事项"
        verbose_name_plural = "抽查事项"
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "record"], name="spotcheck_record_once")
        ]

    def __str__(self):
        return f"{self.spot_check} {self.record}"


# --- points scheme (积分制) -----------------------------------------------------


class PointsSchemeQuerySet(RegionScopedQuerySet):
    region_path = "region"
    include_ancestors = True


class PointsScheme(models.Model):
    """One version of a jurisdiction's points scheme, in force for a period.
    A new version from a date closes the previous one the day before; scores
    of the old period are computed by the old version, so they stay as they
    were. Bands and stars are data:
      bands: [{"min": 80, "label": "优秀"}, {"min": 60, "label": "合格"}, {"min": 0, "label": "不合格"}]
      stars: [{"min": 90, "stars": 5}, {"min": 80, "stars": 4}, ...]
    """

    region = models.ForeignKey(Region, verbose_name="适用区划", on_delete=models.PROTECT)
    name = models.CharField("方案名称", max_length=80)
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True)
    scale = models.PositiveSmallIntegerField("满分", default=100)
    bands = models.JSONField("等次", default=list)
    stars = models.JSONField("星级", default=list, blank=True)
    source = models.CharField("依据", max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PointsSchemeQuerySet.as_manager()

    class Meta:
        verbose_name = "积分方案"
        verbose_name_plural = "积分方案"
        ordering = ["region__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "effective_from"], name="pointsscheme_one_version_per_day"
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="pointsscheme_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.effective_from}起）"

    def get_absolute_url(self):
        return reverse("duties:scheme_detail", args=[self.pk])

    def band_for(self, total) -> str:
        for band in sorted(self.bands, key=lambda b: -b["min"]):
            if total >= band["min"]:
                return band["label"]
        return ""

    def stars_for(self, total) -> int:
        for level in sorted(self.stars, key=lambda s: -s["min"]):
            if total >= level["min"]:
                return level["stars"]
        return 0


class PointsCategory(models.Model):
    scheme = models.ForeignKey(PointsScheme, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField("类别", max_length=60)
    order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = "积分类别"
        verbose_name_plural = "积分类别"
        ordering = ["scheme", "order", "pk"]

    def __str__(self):
        return self.name


class ItemBasis(models.TextChoices):
    RECORDS = "records", "按履职记录计分"
    BASE = "base", "基础分（在任代表每年一次）"
    AWARD = "award", "按认定加减分"


class PointsItem(models.Model):
    """One line of the scheme: `points` per matching record (negative for a
    deduction), capped at `cap` in absolute value per deputy per year."""

    scheme = models.ForeignKey(PointsScheme, on_delete=models.CASCADE, related_name="items")
    category = models.ForeignKey(PointsCategory, on_delete=models.CASCADE, related_name="items")
    name = models.CharField("计分项目", max_length=120)
    basis = models.CharField("计分方式", max_length=10, choices=ItemBasis.choices)
    points = models.DecimalField("每次分值", max_digits=6, decimal_places=1, default=0)
    cap = models.DecimalField(
        "上限", max_digits=6, decimal_places=1, null=True, blank=True, help_text="本项全年最多计分"
    )
    order = models.PositiveSmallIntegerField("序号", default=0)

    class Meta:
        verbose_name = "积分项目"
        verbose_name_plural = "积分项目"
        ordering = ["scheme", "category__order", "order", "pk"]

    def __str__(self):
        return self.name


class PointsItemKind(models.Model):
    """Which records an item counts: a duty kind with an attendance. Within
    one scheme a record matches at most one item."""

    scheme = models.ForeignKey(PointsScheme, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(PointsItem, on_delete=models.CASCADE, related_name="kinds")
    kind = models.CharField("履职类型", max_length=20, choices=DutyKind.choices)
    attendance = models.CharField(
        "出勤", max_length=10, choices=Attendance.choices, default=Attendance.PRESENT
    )

    class Meta:
        verbose_name = "计分对应类型"
        verbose_name_plural = "计分对应类型"
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "kind", "attendance"],
                name="pointsitemkind_one_item_per_kind",
                violation_error_message="同一方案中一种履职类型只能对应一个计分项目",
            )
        ]

    def __str__(self):
        return f"{self.item}: {self.get_kind_display()}（{self.get_attendance_display()}）"


class PointsAwardQuerySet(RegionScopedQuerySet):
    region_path = "person__region"


class PointsAward(models.Model):
    """Points given or taken by decision (表彰, 书面告诫, a correction
    accepted), on an item whose basis is `award`."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="points_awards")
    item = models.ForeignKey(PointsItem, on_delete=models.PROTECT, related_name="awards")
    awarded_on = models.DateField("认定日期")
    points = models.DecimalField("分值", max_digits=6, decimal_places=1)
    reason = models.CharField("事由", max_length=200)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    awarded_at = models.DateTimeField(auto_now_add=True)

    objects = PointsAwardQuerySet.as_manager()

    class Meta:
        verbose_name = "认定加减分"
        verbose_name_plural = "认定加减分"
        ordering = ["-awarded_on", "-pk"]

    def __str__(self):
        return f"{self.person} {self.item} {self.points}"


class ScoreLineQuerySet(RegionScopedQuerySet):
    region_path = "person__region"

    def visible_to(self, user):
        """Scores are private: a deputy sees only their own lines (published
        totals are read from `ScorePublication`)."""
        from renda.core.models import Role

        if user.is_authenticated and not user.is_superuser:
            if user.role == Role.DEPUTY:
                return self.filter(person__user=user)
            if user.role == Role.LIAISON:
                return self.none()
        return super().visible_to(user)


class ScoreLine(models.Model):
    """A deputy's points on one item in one month, computed from the records
    (see `renda.duties.points`); never edited by hand. Monthly lines let a
    scheme change from a month recompute only the months it touches; caps
    apply to the year's sum when scores are read."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="score_lines")
    item = models.ForeignKey(PointsItem, on_delete=models.CASCADE, related_name="lines")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份")
    count = models.IntegerField("次数")
    points = models.DecimalField("得分", max_digits=7, decimal_places=1)

    objects = ScoreLineQuerySet.as_manager()

    class Meta:
        verbose_name = "积分明细"
        verbose_name_plural = "积分明细"
        # No unique key: two duty kinds counted by one item give two lines
        # for the month; readers sum them.
        indexes = [
            models.Index(fields=["year", "person"], name="scoreline_year_person"),
            models.Index(fields=["year", "month"], name="scoreline_year_month"),
        ]

    def __str__(self):
        return f"{self.person} {self.year}-{self.month} {self.item} {self.points}"


class ScorePublicationQuerySet(RegionScopedQuerySet):
    region_path = "region"
    # A county-wide publication is read by the townships' deputies too.
    include_ancestors = True


class ScorePublication(models.Model):
    """The office's decision to publish scores (每季度公示): a snapshot of
    totals up to a date, shown to the region's deputies."""

    region = models.ForeignKey(Region, verbose_name="公示范围", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("公示标题", max_length=80)
    as_of = models.DateField("统计截止日期")
    totals = models.JSONField("公示结果", default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    objects = ScorePublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "积分公示"
        verbose_name_plural = "积分公示"
        ordering = ["-published_at"]

    def __str__(self):
        return self.title


class CorrectionStatus(models.TextChoices):
    OPEN = "open", "待处理"
    ACCEPTED = "accepted", "已采纳"
    REFUSED = "refused", "不予采纳"


class CorrectionQuerySet(RegionScopedQuerySet):
    region_path = "person__region"

    def visible_to(self, user):
        from renda.core.models import Role

        if user.is_authenticated and not user.is_superuser and user.role == Role.DEPUTY:
            return self.filter(person__user=user)
        return super().visible_to(user)


class Correction(models.Model):
    """A deputy's request to correct a score line or a record, and the
    office's answer; both stay on the record."""

    TRANSITIONS = {
        CorrectionStatus.OPEN: {CorrectionStatus.ACCEPTED, CorrectionStatus.REFUSED},
        CorrectionStatus.ACCEPTED: set(),
        CorrectionStatus.REFUSED: set(),
    }

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="corrections")
    year = models.PositiveSmallIntegerField("年度")
    item = models.ForeignKey(
        PointsItem, verbose_name="积分项目", on_delete=models.PROTECT, null=True, blank=True
    )
    record = models.ForeignKey(
        DutyRecord, verbose_name="履职记录", on_delete=models.PROTECT, null=True, blank=True
    )
    reason = models.TextField("申请理由")
    status = models.CharField(
        "状态", max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField("处理意见", blank=True)
    award = models.OneToOneField(
        PointsAward, on_delete=models.PROTECT, null=True, blank=True, related_name="correction"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = "积分更正申请"
        verbose_name_plural = "积分更正申请"
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.person} {self.year} 更正申请"

    def get_absolute_url(self):
        return reverse("duties:correction_detail", args=[self.pk])


# --- evaluations ---------------------------------------------------------------


class RoundKind(models.TextChoices):
    PEER = "peer", "联络站内互评"
    VOTER = "voter", "选民比评"
    YEARLY = "yearly", "年度考评"
    SELF = "self", "代表自评"
    GROUP = "group", "代表小组互评"
    DUTY_REPORT = "duty_report", "述职评议"


class RoundMethod(models.TextChoices):
    STARS = "stars", "星级（1-5星）"
    SCORE = "score", "分数（0-100）"


class RoundStatus(models.TextChoices):
    OPEN = "open", "进行中"
    CLOSED = "closed", "已结束"


class EvaluationRoundQuerySet(RegionScopedQuerySet):
    region_path = "region"


class EvaluationRound(models.Model):
    """An evaluation round the office defines: who is evaluated, by whom,
    how (stars or a score) and in what period."""

    TRANSITIONS = {RoundStatus.OPEN: {RoundStatus.CLOSED}, RoundStatus.CLOSED: set()}

    region = models.ForeignKey(Region, verbose_name="范围", on_delete=models.PROTECT)
    kind = models.CharField("评议类型", max_length=12, choices=RoundKind.choices)
    method = models.CharField("评价方式", max_length=8, choices=RoundMethod.choices)
    title = models.CharField("名称", max_length=80)
    period_from = models.DateField("评议期间起")
    period_to = models.DateField("评议期间止")
    station = models.ForeignKey(
        Station, verbose_name="联络站", on_delete=models.PROTECT, null=True, blank=True
    )
    group = models.ForeignKey(
        Group, verbose_name="代表小组", on_delete=models.PROTECT, null=True, blank=True
    )
    status = models.CharField(
        "状态", max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    published = models.BooleanField("结果已公开", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvaluationRoundQuerySet.as_manager()

    class Meta:
        verbose_name = "评议"
        verbose_name_plural = "评议"
        ordering = ["-period_to", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("duties:round_detail", args=[self.pk])


class EvaluationEntry(models.Model):
    """One evaluation of one deputy in a round: by a deputy (peer, group,
    self), or a tally of voters' ratings entered by staff."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="entries")
    subject = models.ForeignKey(
        Person, verbose_name="被评代表", on_delete=models.PROTECT, related_name="evaluations"
    )
    evaluator = models.ForeignKey(
        Person,
        verbose_name="评价代表",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    voters = models.PositiveIntegerField("参评选民人数", null=True, blank=True)
    value = models.DecimalField("评价结果", max_digits=5, decimal_places=1)
    comment = models.CharField("评语", max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "评价"
        verbose_name_plural = "评价"
        constraints = [
            models.UniqueConstraint(
                fields=["round", "subject", "evaluator"],
                condition=Q(evaluator__isnull=False),
                name="evaluation_once_per_evaluator",
            )
        ]
        indexes = [models.Index(fields=["subject", "round"], name="evaluation_subject_round")]

    def __str__(self):
        return f"{self.round} {self.subject} {self.value}"


class SelectionQuerySet(RegionScopedQuerySet):
    region_path = "person__region"


class FourGoodSelection(models.Model):
    """A deputy put on the year's four-good deputy list (四好人大代表)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    basis = models.CharField("评选依据", max_length=200)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    selected_at = models.DateTimeField(auto_now_add=True)

    objects = SelectionQuerySet.as_manager()

    class Meta:
        verbose_name = "四好人大代表"
        verbose_name_plural = "四好人大代表"
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="fourgood_once_a_year")
        ]

    def __str__(self):
        return f"{self.year} {self.person}"


# --- duty reports to voters (述职) ----------------------------------------------


class DutyReportQuerySet(RegionScopedQuerySet):
    region_path = "person__region"


class DutyReport(models.Model):
    """A deputy's report of their work to voters, and the voters' rating."""

    person = models.ForeignKey(Person, verbose_name="述职代表", on_delete=models.PROTECT)
    reported_on = models.DateField("述职日期")
    audience = models.CharField("述职对象", max_length=120, help_text="如：青山村选区选民代表")
    place = models.CharField("地点", max_length=120, blank=True)
    attendees = models.PositiveIntegerField("参加人数")
    satisfied = models.PositiveIntegerField("满意票")
    basically_satisfied = models.PositiveIntegerField("基本满意票", default=0)
    dissatisfied = models.PositiveIntegerField("不满意票", default=0)
    summary = models.TextField("述职要点", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = DutyReportQuerySet.as_manager()

    class Meta:
        verbose_name = "代表述职"
        verbose_name_plural = "代表述职"
        ordering = ["-reported_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    attendees__gte=models.F("satisfied")
                    + models.F("basically_satisfied")
                    + models.F("dissatisfied")
                ),
                name="dutyreport_votes_within_attendees",
                violation_error_message="满意、基本满意、不满意票数之和不能超过参加人数",
            )
        ]

    def __str__(self):
        return f"{self.person} {self.reported_on} 述职"

    @property
    def votes(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def satisfaction(self):
        """满意率: satisfied and basically satisfied over votes cast."""
        if not self.votes:
            return None
        return (self.satisfied + self.basically_satisfied) / self.votes


# --- figures counted ahead (renda.core.cells) -------------------------------------


class FigureCell(models.Model):
    """The activity and record figures (renda.duties.figures) of one county,
    one month and one kind, counted together by `figures.cells_rebuild`
    every few minutes: a province's or a city's figures add up a few
    thousand cells instead of millions of duty records on every page.
    Activities and their participants count under the activity's county,
    month and kind; records under their deputy's county, their month and
    kind. Derived data, rebuilt whole."""

    place = models.CharField("区划代码", max_length=12)  # cells.county_code
    month = models.DateField("月份")  # its first day
    kind = models.CharField("履职类型", max_length=20, choices=DutyKind.choices)
    counts = models.JSONField("各项数字")  # {figure key: number}
    built_at = models.DateTimeField("统计时间")

    class Meta:
        verbose_name = "履职统计汇总"
        verbose_name_plural = "履职统计汇总"

    def __str__(self):
        return f"{self.place} {self.month:%Y-%m} {self.kind}"


class DeputyCell(models.Model):
    """The deputy figures (serving, idle, reported, reports and their votes)
    of one county's deputies over one calendar year, counted with the
    FigureCells: whether a deputy was idle or reported in a year cannot be
    added up from months."""

    place = models.CharField("区划代码", max_length=12)  # cells.county_code
    year = models.IntegerField("年度")
    counts = models.JSONField("各项数字")  # {figure key: number}
    built_at = models.DateTimeField("统计时间")

    class Meta:
        verbose_name = "代表履职统计汇总"
        verbose_name_plural = "代表履职统计汇总"

    def __str__(self):
        return f"{self.place} {self.year}"
