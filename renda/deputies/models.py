"""Deputies and their mandates, groups, topic groups, stations with their
reception schedules and standards checklists, and contact links."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from renda.core.models import Region, Term
from renda.core.scope import RegionScopedQuerySet

# --- choices ---------------------------------------------------------------


class Level(models.TextChoices):
    NATIONAL = "national", "全国人大代表"
    PROVINCIAL = "provincial", "省人大代表"
    MUNICIPAL = "municipal", "市人大代表"
    COUNTY = "county", "县人大代表"
    TOWNSHIP = "township", "乡镇人大代表"


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Party(models.TextChoices):
    CPC = "cpc", "中共党员"
    CPC_PROBATIONARY = "cpc_probationary", "中共预备党员"
    DEMOCRATIC = "democratic", "民主党派"
    NON_PARTY = "non_party", "无党派人士"
    MASSES = "masses", "群众"


# Counted as party members in the structure figures (党员比例).
PARTY_MEMBERS = (Party.CPC, Party.CPC_PROBATIONARY)


class Occupation(models.TextChoices):
    WORKER = "worker", "工人"
    FARMER = "farmer", "农民"
    TECHNICIAN = "technician", "专业技术人员"
    OFFICIAL = "official", "党政机关干部"
    ENTERPRISE = "enterprise", "企业负责人"
    INDIVIDUAL = "individual", "个体工商户"
    INTELLECTUAL = "intellectual", "知识分子"
    MILITARY = "military", "解放军和武警"
    RELIGIOUS = "religious", "宗教人士"
    OTHER = "other", "其他"


class Education(models.TextChoices):
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中（中专）"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "大学本科"
    POSTGRADUATE = "postgraduate", "研究生"


class EndReason(models.TextChoices):
    TERM_ENDED = "term_ended", "任期届满"
    RESIGNED = "resigned", "辞职"
    RECALLED = "recalled", "被罢免"
    DIED = "died", "去世"
    MOVED = "moved", "迁出或调离原选区"
    TERMINATED = "terminated", "代表资格终止"


# --- deputies --------------------------------------------------------------


class PersonQuerySet(RegionScopedQuerySet):
    region_path = "region"

    def serving(self, on: datetime.date | None = None):
        """People holding at least one mandate that has not ended (on a date)."""
        mandates = Mandate.objects.filter(person=models.OuterRef("pk"))
        mandates = mandates.current(on) if on else mandates.filter(ended_on__isnull=True)
        return self.filter(models.Exists(mandates))


def photo_path(instance, filename):
    return f"deputies/photos/{instance.pk or 'new'}-{filename}"


class Person(models.Model):
    """A deputy as a person: one row however many levels they serve at."""

    name = models.CharField("姓名", max_length=30)
    name_pinyin = models.CharField("姓名拼音", max_length=120, blank=True, db_index=True)
    name_initials = models.CharField("拼音首字母", max_length=30, blank=True, db_index=True)
    id_number = models.CharField("公民身份号码", max_length=18, null=True, blank=True, unique=True)
    gender = models.CharField("性别", max_length=6, choices=Gender.choices)
    birth_date = models.DateField("出生日期")
    ethnicity = models.CharField("民族", max_length=12, default="汉族")
    party = models.CharField("政治面貌", max_length=20, choices=Party.choices)
    occupation = models.CharField("职业类别", max_length=16, choices=Occupation.choices)
    education = models.CharField("文化程度", max_length=16, choices=Education.choices)
    unit_and_post = models.CharField("工作单位及职务", max_length=120, blank=True)
    mobile = models.CharField("手机号码", max_length=20, blank=True)
    public_phone = models.CharField(
        "公开联系电话", max_length=30, blank=True, help_text="代表同意在公示牌上公开的电话，可留空"
    )
    photo = models.ImageField("照片", upload_to=photo_path, blank=True)
    commitments = models.TextField("承诺事项", blank=True)
    region = models.ForeignKey(
        Region, verbose_name="所属乡镇（街道）", on_delete=models.PROTECT, related_name="deputies"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
    )
    history = HistoricalRecords(excluded_fields=["name_pinyin", "name_initials"])

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "人大代表"
        verbose_name_plural = "人大代表"
        ordering = ["name_pinyin", "pk"]
        indexes = [models.Index(fields=["region", "name_pinyin"], name="person_region_pinyin")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("deputies:detail", args=[self.pk])

    def age_on(self, on: datetime.date) -> int:
        return (
            on.year
            - self.birth_date.year
            - ((on.month, on.day) < (self.birth_date.month, self.birth_date.day))
        )


class Constituency(models.Model):
    """An electoral district (选区) of one term of a congress."""

    term = models.ForeignKey(
        Term, verbose_name="届", on_delete=models.PROTECT, related_name="constituencies"
    )
    number = models.PositiveSmallIntegerField("选区编号")
    name = models.CharField("选区名称", max_length=60)
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT)
    seats = models.PositiveSmallIntegerField("应选代表名额", default=1)
    population = models.PositiveIntegerField("人口数", null=True, blank=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "选区"
        verbose_name_plural = "选区"
        ordering = ["term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="constituency_unique_number"),
            # Election Law: each constituency elects one to three deputies.
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(seats__lte=3), name="constituency_seats_1_3"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("deputies:disclosure", args=[self.pk])


class MandateQuerySet(RegionScopedQuerySet):
    region_path = "person__region"

    def current(self, on: datetime.date):
        return self.filter(elected_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on)
        )


class Mandate(models.Model):
    """One person's mandate at one level for one term."""

    person = models.ForeignKey(
        Person, verbose_name="代表", on_delete=models.CASCADE, related_name="mandates"
    )
    level = models.CharField("代表层级", max_length=12, choices=Level.choices)
    term = models.ForeignKey(
        Term,
        verbose_name="届",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="本系统中有该级人大时填写；全国人大代表可留空",
    )
    term_label = models.CharField("届次", max_length=30, blank=True, help_text="如：第十四届")
    constituency = models.ForeignKey(
        Constituency,
        verbose_name="选区",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
    )
    electoral_unit = models.CharField(
        "选举单位", max_length=60, blank=True, help_text="间接选举的代表填写，如：青山县人大"
    )
    elected_on = models.DateField("当选日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=12, choices=EndReason.choices, blank=True)
    reelected = models.BooleanField("连任", default=False)
    history = HistoricalRecords()

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = "代表职务"
        verbose_name_plural = "代表职务"
        ordering = ["person", "level"]
        indexes = [
            models.Index(fields=["level", "term", "ended_on"], name="mandate_level_term_ended"),
            # selectors.term_labels walks the distinct labels in this index.
            models.Index(fields=["term_label"], name="mandate_term_label"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "level", "term_label"], name="mandate_unique_per_term"
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(end_reason=""))
                | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="mandate_end_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_level_display()}{self.term_label}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


# --- groups and topic groups ------------------------------------------------


class GroupKind(models.TextChoices):
    AREA = "area", "代表小组"
    TOPIC = "topic", "专业课题组"


class MemberRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY_LEADER = "deputy_leader", "副组长"
    MEMBER = "member", "成员"


class Group(models.Model):
    """A deputy group by area, or a topic group ("two teams, one set of people")."""

    kind = models.CharField("类别", max_length=6, choices=GroupKind.choices)
    name = models.CharField("名称", max_length=60)
    region = models.ForeignKey(Region, verbose_name="所属区划", on_delete=models.PROTECT)
    topic = models.CharField(
        "课题方向", max_length=60, blank=True, help_text="专业课题组填写，如：产业发展"
    )
    survey_topic = models.CharField("调研课题", max_length=120, blank=True)
    liaison_name = models.CharField("联络员", max_length=30, blank=True)
    liaison_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="联络员账号",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    members = models.ManyToManyField(Person, through="GroupMembership", related_name="groups")
    history = HistoricalRecords()

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "代表小组"
        verbose_name_plural = "代表小组"
        ordering = ["region__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="group_unique_name_in_region")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("deputies:group_detail", args=[self.pk])


class GroupMembership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    # Copied from the group so one deputy is in at most one group of each kind.
    group_kind = models.CharField(max_length=6, choices=GroupKind.choices, editable=False)
    role = models.CharField(
        "职务", max_length=14, choices=MemberRole.choices, default=MemberRole.MEMBER
    )

    class Meta:
        verbose_name = "小组成员"
        verbose_name_plural = "小组成员"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "group_kind"], name="membership_one_group_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.group} · {self.person}"


# --- stations ----------------------------------------------------------------


class StationKind(models.TextChoices):
    HOME = "home", "人大代表之家"
    STUDIO = "studio", "人大代表工作室"
    WORKSTATION = "workstation", "人大代表工作站"
    LIAISON_STATION = "liaison_station", "人大代表联络站"
    CONTACT_ROOM = "contact_room", "联系群众工作室"


class StationQuerySet(RegionScopedQuerySet):
    region_path = "region"


class Station(models.Model):
    kind = models.CharField("类别", max_length=16, choices=StationKind.choices)
    name = models.CharField("名称", max_length=60)
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT)
    address = models.CharField("地址", max_length=120, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    opened_on = models.DateField("建成日期", null=True, blank=True)
    equipment = models.TextField("设施设备", blank=True)
    rules = models.TextField("工作制度", blank=True)
    resident_deputies = models.ManyToManyField(
        Person, verbose_name="进站代表", blank=True, related_name="stations"
    )
    liaison_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="联络员", blank=True, related_name="stations"
    )
    active = models.BooleanField("在用", default=True)
    history = HistoricalRecords(m2m_fields=[resident_deputies])

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = "代表联络站"
        verbose_name_plural = "代表联络站"
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="station_unique_name_in_region")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("deputies:station_detail", args=[self.pk])


class ScheduleKind(models.TextChoices):
    WEEKLY = "weekly", "每周固定接待日"
    FIRST_WEEKEND = "first_weekend", "每月首个周末"
    MARKET_DIGITS = "market_digits", "赶集日（逢几）"
    DATES = "dates", "指定日期"


class ReceptionSchedule(models.Model):
    """When a station receives voters: one rule; a station may have several."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="schedules")
    kind = models.CharField("方式", max_length=14, choices=ScheduleKind.choices)
    weekday = models.PositiveSmallIntegerField(
        "星期", null=True, blank=True, help_text="每周接待日：0 为星期一，6 为星期日"
    )
    day_digits = models.JSONField(
        "逢几", default=list, blank=True, help_text="赶集日的日期尾数，如逢三六九填 [3, 6, 9]"
    )
    dates = models.JSONField(
        "日期", default=list, blank=True, help_text='指定日期，如 ["2026-12-05"]'
    )
    starts_at = models.TimeField("开始时间", default=datetime.time(9, 0))
    ends_at = models.TimeField("结束时间", default=datetime.time(11, 30))
    skip_holidays = models.BooleanField("法定节假日顺延取消", default=True)
    note = models.CharField("说明", max_length=120, blank=True)

    class Meta:
        verbose_name = "接待安排"
        verbose_name_plural = "接待安排"

    def __str__(self):
        return f"{self.station} · {self.get_kind_display()}"


class ChecklistQuerySet(RegionScopedQuerySet):
    region_path = "region"
    include_ancestors = True
    include_national = True


class Checklist(models.Model):
    """A standards checklist for stations (七有, 九有, 五有, 十有四化 ...), as data."""

    name = models.CharField("名称", max_length=30)
    region = models.ForeignKey(
        Region,
        verbose_name="制定区划",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="留空表示通用",
    )
    source = models.CharField("依据", max_length=200, blank=True)

    objects = ChecklistQuerySet.as_manager()

    class Meta:
        verbose_name = "建设标准"
        verbose_name_plural = "建设标准"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("标准项", max_length=30)
    description = models.CharField("要求", max_length=200, blank=True)

    class Meta:
        verbose_name = "标准项"
        verbose_name_plural = "标准项"
        ordering = ["checklist", "order"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "order"], name="checklist_item_order")
        ]

    def __str__(self):
        return self.title


class Assessment(models.Model):
    """A dated check of one station against one checklist."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="assessments")
    checklist = models.ForeignKey(Checklist, on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField("评估日期")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="评估人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField("评估意见", blank=True)

    class Meta:
        verbose_name = "达标评估"
        verbose_name_plural = "达标评估"
        ordering = ["-assessed_on"]

    def __str__(self):
        return f"{self.station} · {self.checklist} · {self.assessed_on}"


class AssessmentResult(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT)
    met = models.BooleanField("达标")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="assessment_result_once")
        ]

    def __str__(self):
        return f"{self.item}: {'达标' if self.met else '未达标'}"


# --- contact links -----------------------------------------------------------


class ContactKind(models.TextChoices):
    LEADER_DEPUTY = "leader_deputy", "领导联系代表（双联一诺）"
    PRESIDIUM_DEPUTY = "presidium_deputy", "主席团成员联系代表"
    DEPUTY_VOTER = "deputy_voter", "代表联系选民"
    DEPUTY_HOUSEHOLD = "deputy_household", "代表结对帮扶困难户"
    DEPUTY_TARGET = "deputy_target", "代表五联系对象"


class TargetCategory(models.TextChoices):
    LEFT_BEHIND = "left_behind", "留守人员"
    BIG_PRODUCER = "big_producer", "种养大户"
    POOR_HOUSEHOLD = "poor_household", "困难户"
    VETERAN_CADRE = "veteran_cadre", "老干部"
    TALENT_AWAY = "talent_away", "在外人才"
    VOTER = "voter", "选民"


class ContactLinkQuerySet(RegionScopedQuerySet):
    region_path = "linker__region"


class ContactLink(models.Model):
    """A standing link: a leader or presidium member to a deputy, or a deputy to
    voters, households and other contact targets (五联系)."""

    kind = models.CharField("联系类别", max_length=18, choices=ContactKind.choices)
    linker = models.ForeignKey(
        Person, verbose_name="联系人", on_delete=models.CASCADE, related_name="links_made"
    )
    linker_title = models.CharField(
        "联系人职务", max_length=60, blank=True, help_text="如：县人大常委会副主任"
    )
    deputy = models.ForeignKey(
        Person,
        verbose_name="被联系代表",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="links_received",
    )
    target_name = models.CharField("联系对象", max_length=30, blank=True)
    target_category = models.CharField(
        "对象类别", max_length=16, choices=TargetCategory.choices, blank=True
    )
    target_address = models.CharField("住址", max_length=120, blank=True)
    target_phone = models.CharField("联系电话", max_length=20, blank=True)
    started_on = models.DateField("建立联系日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)

    objects = ContactLinkQuerySet.as_manager()

    class Meta:
        verbose_name = "联系关系"
        verbose_name_plural = "联系关系"
        ordering = ["linker", "kind", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deputy__isnull=False) | ~Q(target_name=""),
                name="contact_link_has_target",
            )
        ]

    def __str__(self):
        return f"{self.linker} → {self.deputy or self.target_name}"


class ContactVisit(models.Model):
    """One contact made on a link (a visit, a call, a meeting)."""

    link = models.ForeignKey(ContactLink, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField("联系日期", db_index=True)
    method = models.CharField("方式", max_length=20, default="走访")
    summary = models.TextField("联系内容")

    class Meta:
        verbose_name = "联系记录"
        verbose_name_plural = "联系记录"
        ordering = ["-visited_on"]

    def __str__(self):
        return f"{self.link} {self.visited_on}"


# --- roster imports ------------------------------------------------------------


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "已上传"
    CHECKING = "checking", "校验中"
    CHECKED = "checked", "已校验，待确认"
    WRITING = "writing", "导入中"
    DONE = "done", "已导入"
    FAILED = "failed", "失败"


class RosterImport(models.Model):
    """One uploaded roster workbook: checked first, written only on confirmation."""

    file = models.FileField("文件", upload_to="imports/%Y/%m/")
    original_name = models.CharField("文件名", max_length=200)
    region = models.ForeignKey(Region, verbose_name="导入范围", on_delete=models.PROTECT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    status = models.CharField(
        "状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    good_rows = models.PositiveIntegerField("无误行数", default=0)
    unchanged_rows = models.PositiveIntegerField("无变化行数", default=0)
    written_rows = models.PositiveIntegerField("已写入行数", default=0)
    problems = models.JSONField(
        "问题", default=list, blank=True, help_text="[{row, column, message}]"
    )
    error = models.TextField("错误", blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "花名册导入"
        verbose_name_plural = "花名册导入"
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name
