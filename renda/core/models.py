"""Core records every capability stands on: places, bodies, units, users,
rule sets and the workflow change log."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from renda.core.scope import RegionScopedQuerySet
from renda.core.text import chinese_number, term_label

# --- places ------------------------------------------------------------------


class RegionLevel(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县（区）"
    TOWNSHIP = "township", "乡镇"
    STREET = "street", "街道"
    VILLAGE = "village", "村"
    COMMUNITY = "community", "社区"


# Administrative division codes (GB/T 2260 and the statistical codes below it):
# 2 digits province, 4 city, 6 county, 9 township or street, 12 village or
# community. A child's code starts with its parent's, so a subtree is a prefix.
CODE_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.STREET: 9,
    RegionLevel.VILLAGE: 12,
    RegionLevel.COMMUNITY: 12,
}
PARENT_LEVELS = {
    RegionLevel.PROVINCE: set(),
    RegionLevel.CITY: {RegionLevel.PROVINCE},
    RegionLevel.COUNTY: {RegionLevel.PROVINCE, RegionLevel.CITY},
    RegionLevel.TOWNSHIP: {RegionLevel.COUNTY},
    RegionLevel.STREET: {RegionLevel.COUNTY},
    RegionLevel.VILLAGE: {RegionLevel.TOWNSHIP, RegionLevel.STREET},
    RegionLevel.COMMUNITY: {RegionLevel.TOWNSHIP, RegionLevel.STREET},
}


class RegionQuerySet(RegionScopedQuerySet):
    region_path = ""

    def townships(self):
        return self.filter(level__in=[RegionLevel.TOWNSHIP, RegionLevel.STREET])


class Region(models.Model):
    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=60)
    level = models.CharField("层级", max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:region_detail", args=[self.pk])

    def clean(self):
        expected = CODE_LENGTH.get(self.level)
        if expected and (len(self.code) != expected or not self.code.isdigit()):
            raise ValidationError(
                {"code": f"{self.get_level_display()}的区划代码应为 {expected} 位数字"}
            )
        if self.parent_id:
            if self.parent.level not in PARENT_LEVELS[self.level]:
                raise ValidationError({"parent": "上级区划的层级不对"})
            if not self.code.startswith(self.parent.code):
                raise ValidationError({"code": f"区划代码应以上级代码 {self.parent.code} 开头"})

    def ancestor_codes(self) -> list[str]:
        """Codes of this region and every region above it, nearest first."""
        return [self.code[:n] for n in (12, 9, 6, 4, 2) if n <= len(self.code)]

    def is_within(self, other: "Region") -> bool:
        return self.code.startswith(other.code)

    @property
    def is_township_level(self) -> bool:
        return self.level in (RegionLevel.TOWNSHIP, RegionLevel.STREET)


# --- bodies: congresses, their terms and sessions, committees ------------------


class BodyKind(models.TextChoices):
    CONGRESS = "congress", "人民代表大会"
    STANDING_COMMITTEE = "standing_committee", "人大常委会"
    CHAIRPERSON_MEETING = "chairperson_meeting", "主任会议"
    PARTY_GROUP = "party_group", "党组"
    PRESIDIUM = "presidium", "人大主席团"
    STREET_COMMITTEE = "street_committee", "街道人大工作委员会"
    SPECIAL_COMMITTEE = "special_committee", "专门委员会"
    WORKING_COMMITTEE = "working_committee", "工作委员会"
    OFFICE = "office", "办事机构"


class BodyQuerySet(RegionScopedQuerySet):
    region_path = "region"
    include_ancestors = True


class Body(models.Model):
    region = models.ForeignKey(Region, verbose_name="所属区划", on_delete=models.PROTECT)
    kind = models.CharField("类别", max_length=24, choices=BodyKind.choices)
    name = models.CharField("名称", max_length=80)
    parent = models.ForeignKey(
        "self",
        verbose_name="隶属于",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    members_planned = models.PositiveSmallIntegerField("组成人员定额", null=True, blank=True)
    history = HistoricalRecords()

    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = "机构"
        verbose_name_plural = "机构"
        ordering = ["region__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="body_unique_name_in_region",
                violation_error_message="本区划内已有同名机构",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:body_detail", args=[self.pk])


class Term(models.Model):
    """A term (届) of a people's congress, e.g. 第十八届."""

    body = models.ForeignKey(
        Body,
        verbose_name="人民代表大会",
        on_delete=models.PROTECT,
        related_name="terms",
        limit_choices_to={"kind": BodyKind.CONGRESS},
    )
    number = models.PositiveSmallIntegerField("届次")
    started_on = models.DateField("起始日期")
    ended_on = models.DateField("届满日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "届"
        verbose_name_plural = "届"
        ordering = ["body", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="term_unique_number")
        ]

    def __str__(self):
        return f"{self.body.name}{self.label}"

    @property
    def label(self) -> str:
        return term_label(self.number)

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.started_on <= on and (self.ended_on is None or on <= self.ended_on)


class SessionKind(models.TextChoices):
    REGULAR = "regular", "例会"
    EXTRA = "extra", "临时会议"


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "筹备中"
    OPEN = "open", "会议期间"
    CLOSED = "closed", "已闭会"
    CANCELLED = "cancelled", "已取消"


class Session(models.Model):
    """A session (第N次会议) of one term of a congress."""

    TRANSITIONS = {
        SessionStatus.PLANNED: {SessionStatus.OPEN, SessionStatus.CANCELLED},
        SessionStatus.OPEN: {SessionStatus.CLOSED},
        SessionStatus.CLOSED: set(),
        SessionStatus.CANCELLED: set(),
    }

    term = models.ForeignKey(
        Term, verbose_name="届", on_delete=models.PROTECT, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField("会次")
    kind = models.CharField(
        "类别", max_length=10, choices=SessionKind.choices, default=SessionKind.REGULAR
    )
    opened_on = models.DateField("开幕日期")
    closed_on = models.DateField("闭幕日期", null=True, blank=True)
    place = models.CharField("会址", max_length=100, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_unique_number"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="session_closes_after_opening",
            ),
        ]

    def __str__(self):
        return f"{self.term}第{chinese_number(self.number)}次会议"

    @property
    def label(self) -> str:
        return f"{self.term.label}第{chinese_number(self.number)}次会议"


# --- handling units ----------------------------------------------------------


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", "政府部门"
    TOWNSHIP_OFFICE = "township_office", "乡镇（街道）站所"
    COURT = "court", "人民法院"
    PROCURATORATE = "procuratorate", "人民检察院"
    PUBLIC_INSTITUTION = "institution", "事业单位"
    ENTERPRISE = "enterprise", "国有企业"
    OTHER = "other", "其他"


class UnitQuerySet(RegionScopedQuerySet):
    region_path = "region"
    include_ancestors = True
    unit_path = ""

    def active(self):
        return self.filter(active=True)


class Unit(models.Model):
    """A handling unit (承办单位): a department, a township office, a court."""

    name = models.CharField("单位名称", max_length=80)
    short_name = models.CharField("简称", max_length=30, blank=True)
    kind = models.CharField("单位类别", max_length=16, choices=UnitKind.choices)
    region = models.ForeignKey(Region, verbose_name="所属区划", on_delete=models.PROTECT)
    head = models.CharField("负责人", max_length=30, blank=True)
    contact_person = models.CharField("联系人", max_length=30, blank=True)
    office_phone = models.CharField("办公电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=120, blank=True)
    active = models.BooleanField("在用", default=True)
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "承办单位"
        verbose_name_plural = "承办单位"
        ordering = ["region__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="unit_unique_name_in_region",
                violation_error_message="本区划内已有同名单位",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:unit_detail", args=[self.pk])


# --- users -------------------------------------------------------------------


class Role(models.TextChoices):
    COUNTY_STAFF = "county_staff", "县人大机关"
    TOWNSHIP_STAFF = "township_staff", "乡镇（街道）人大"
    DEPUTY = "deputy", "人大代表"
    LIAISON = "liaison", "联络站联络员"
    UNIT = "unit", "承办单位"
    PUBLIC = "public", "群众"


STAFF_ROLES = (Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF)


class User(AbstractUser):
    """A person who signs in. The role says what they do; region and unit say
    where: scope checks read only these three fields."""

    full_name = models.CharField("姓名", max_length=30, blank=True)
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.PUBLIC)
    region = models.ForeignKey(
        Region, verbose_name="工作区划", on_delete=models.PROTECT, null=True, blank=True
    )
    unit = models.ForeignKey(
        Unit, verbose_name="所在单位", on_delete=models.PROTECT, null=True, blank=True
    )
    phone = models.CharField("手机号码", max_length=20, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="unit") | Q(unit__isnull=False),
                name="user_unit_role_has_unit",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["county_staff", "township_staff", "deputy", "liaison"])
                | Q(region__isnull=False),
                name="user_scoped_role_has_region",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        if self.role == Role.UNIT and not self.unit_id:
            raise ValidationError({"unit": "承办单位账号必须指定所在单位"})
        scoped = (Role.COUNTY_STAFF, Role.TOWNSHIP_STAFF, Role.DEPUTY, Role.LIAISON)
        if self.role in scoped and not self.region_id:
            raise ValidationError({"region": "该角色必须指定工作区划"})

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def is_office_staff(self) -> bool:
        """County or township congress staff: the people who run the registers."""
        return self.is_authenticated and (self.is_superuser or self.role in STAFF_ROLES)

    @property
    def is_county_staff(self) -> bool:
        return self.is_authenticated and (self.is_superuser or self.role == Role.COUNTY_STAFF)

    @property
    def own_person(self):
        """The deputy a deputy's account is (renda.deputies.Person), or None:
        an account not linked yet, or any other role."""
        return getattr(self, "deputy", None) if self.role == Role.DEPUTY else None


# --- rule sets ---------------------------------------------------------------


class RuleQuerySet(RegionScopedQuerySet):
    region_path = "region"
    include_ancestors = True
    include_national = True

    def in_force(self, on: datetime.date):
        return self.filter(effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on)
        )


class Rule(models.Model):
    """One version of one rule for one jurisdiction.

    Law and local practice are data: a deadline, a threshold or a rate is a
    row with the period it is in force and the text it comes from. A region
    with no row of its own follows the nearest region above it; a row with
    no region is national.
    """

    key = models.CharField("规则项", max_length=80, db_index=True)
    region = models.ForeignKey(
        Region,
        verbose_name="适用区划",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="留空表示全国适用",
    )
    value = models.JSONField("取值")
    effective_from = models.DateField("生效日期")
    effective_to = models.DateField("失效日期", null=True, blank=True, help_text="留空表示至今有效")
    source = models.CharField("依据", max_length=200, help_text="法律法规或文件名称及条款")
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = "规则"
        verbose_name_plural = "规则"
        ordering = ["key", "region__code", "-effective_from"]
        indexes = [models.Index(fields=["key", "effective_from"], name="rule_key_from")]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="rule_period_ordered",
            )
        ]

    def __str__(self):
        return f"{self.key} = {self.value}"

    def get_absolute_url(self):
        return reverse("core:rule_detail", args=[self.pk])

    @property
    def jurisdiction(self) -> str:
        return self.region.name if self.region_id else "全国"


# --- audit -------------------------------------------------------------------


class StateChange(models.Model):
    """One move of one workflow: who moved which record from what to what, when and why.

    Written only by `renda.core.workflow.transition`; every workflow in every
    app shares this log.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    event = models.CharField("事项", max_length=40)
    from_state = models.CharField("原状态", max_length=40)
    to_state = models.CharField("新状态", max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    comment = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"], name="statechange_record_at")
        ]

    def __str__(self):
        return f"{self.from_state} → {self.to_state}"


class AuditEvent(models.Model):
    """Something sensitive a user did that is not a workflow move, such as
    revealing a full ID number."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("操作", max_length=40)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    detail = models.JSONField("详情", default=dict, blank=True)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        ordering = ["-at"]

    def __str__(self):
        return f"{self.actor} {self.action} {self.at:%Y-%m-%d %H:%M}"
