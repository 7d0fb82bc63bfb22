"""Constituents' opinions (社情民意), receptions (接待), letters and visits:
every voice registered once and tracked to an answer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from renda.core.models import Region, Unit
from renda.core.scope import RegionScopedQuerySet
from renda.deputies.models import Person, Station


class ReceptionKind(models.TextChoices):
    SCHEDULED = "scheduled", "固定接待日"
    AD_HOC = "ad_hoc", "临时接待"
    MARKET_DAY = "market_day", "赶集日接待"
    HOUSEHOLD = "household", "入户走访"


class Reception(models.Model):
    """A reception event: deputies on duty at a station (or out visiting) on a date."""

    station = models.ForeignKey(
        Station,
        verbose_name="联络站",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receptions",
    )
    region = models.ForeignKey(
        Region, verbose_name="地点所属区划", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("接待方式", max_length=12, choices=ReceptionKind.choices)
    held_on = models.DateField("日期", db_index=True)
    place = models.CharField("地点", max_length=120, blank=True)
    deputies = models.ManyToManyField(Person, verbose_name="接待代表", related_name="receptions")
    people_received = models.PositiveIntegerField("接待群众（人次）", default=0)
    note = models.TextField("情况记录", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "接待活动"
        verbose_name_plural = "接待活动"
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on} {self.station or self.place}{self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("opinions:reception_detail", args=[self.pk])


class Channel(models.TextChoices):
    RECEPTION = "reception", "接待日"
    STATION = "station", "联络站"
    HOUSEHOLD = "household", "入户走访"
    GROUP_CHAT = "group_chat", "微信群"
    MAILBOX = "mailbox", "代表信箱"
    HOTLINE = "hotline", "热线电话"
    LETTER = "letter", "来信"
    VISIT = "visit", "来访"
    WEB = "web", "网上留言"


class Urgency(models.TextChoices):
    URGENT = "urgent", "紧急"
    IMPORTANT = "important", "重要"
    NORMAL = "normal", "一般"


class OpinionStatus(models.TextChoices):
    RECEIVED = "received", "已收集待整理"
    SORTED = "sorted", "已整理登记"
    MERGED = "merged", "已归并"
    SOLVED = "solved", "已当场解决"
    ASSIGNED = "assigned", "已交办"
    ESCALATED = "escalated", "已上报"
    CONVERTED = "converted", "已转为代表建议"
    DECLINED = "declined", "不予受理"
    HANDLED = "handled", "已办理待回复"
    ANSWERED = "answered", "已答复群众"


class OpinionQuerySet(RegionScopedQuerySet):
    region_path = "region"
    unit_path = "unit"


class Opinion(models.Model):
    """One opinion, from any channel; the person who raised it is always answered."""

    TRANSITIONS = {
        OpinionStatus.RECEIVED: {OpinionStatus.SORTED, OpinionStatus.MERGED},
        OpinionStatus.SORTED: {
            OpinionStatus.SOLVED,
            OpinionStatus.ASSIGNED,
            OpinionStatus.ESCALATED,
            OpinionStatus.CONVERTED,
            OpinionStatus.DECLINED,
            OpinionStatus.MERGED,
        },
        OpinionStatus.ASSIGNED: {OpinionStatus.HANDLED, OpinionStatus.SORTED},
        OpinionStatus.ESCALATED: {OpinionStatus.HANDLED},
        OpinionStatus.CONVERTED: {OpinionStatus.HANDLED},
        OpinionStatus.SOLVED: {OpinionStatus.ANSWERED},
        OpinionStatus.DECLINED: {OpinionStatus.ANSWERED},
        OpinionStatus.HANDLED: {OpinionStatus.ANSWERED},
        OpinionStatus.MERGED: set(),
        OpinionStatus.ANSWERED: set(),
    }

    number = models.CharField("登记编号", max_length=30, blank=True)
    receipt_code = models.CharField("回执码", max_length=12)
    channel = models.CharField("渠道", max_length=12, choices=Channel.choices)
    reception = models.ForeignKey(
        Reception,
        verbose_name="接待活动",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
    )
    station = models.ForeignKey(
        Station,
        verbose_name="联络站",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
    )
    region = models.ForeignKey(
        Region, verbose_name="所涉区划", on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        "suggestions.Category", verbose_name="类别", on_delete=models.PROTECT, null=True, blank=True
    )
    title = models.CharField("事由", max_length=120)
    content = models.TextField("内容")
    urgency = models.CharField(
        "轻重缓急", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    people_concerned = models.PositiveIntegerField("涉及人数", default=1)
    submitter_name = models.CharField("反映人", max_length=30)
    submitter_phone = models.CharField("联系电话", max_length=20)
    collected_by = models.ForeignKey(
        Person,
        verbose_name="收集代表",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions_collected",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField("收集时间", default=timezone.now, db_index=True)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=OpinionStatus.choices,
        default=OpinionStatus.RECEIVED,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name="归并至",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_opinions",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name="交办单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
    )
    due_on = models.DateField("办理期限", null=True, blank=True, db_index=True)
    due_rule = models.ForeignKey(
        "core.Rule",
        verbose_name="期限依据",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    escalated_to = models.CharField("上报至", max_length=80, blank=True)
    suggestion = models.OneToOneField(
        "suggestions.Suggestion",
        verbose_name="转为建议",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_opinion",
    )
    decline_reason = models.TextField("不予受理理由", blank=True)
    handling_result = models.TextField("办理结果", blank=True)
    answer = models.TextField("答复群众内容", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answer_method = models.CharField("答复方式", max_length=20, blank=True)
    content_digest = models.CharField(max_length=64, editable=False)
    client_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = "社情民意"
        verbose_name_plural = "社情民意"
        ordering = ["-received_at", "-pk"]
        # Each index serves a query the public form or the ledger runs. They
        # are declared here rather than by db_index/unique, which on
        # PostgreSQL add a second (pattern) index to every text column: each
        # index costs every submission a write and every plan a look.
        indexes = [
            models.Index(fields=["region", "status"], name="opinion_region_status"),
            # = on a number, and the month's numbers by prefix (_next_number).
            models.Index(
                fields=["number"], name="opinion_number", opclasses=["varchar_pattern_ops"]
            ),
            # The same content from the same phone a moment ago (opinion_receive).
            models.Index(fields=["content_digest"], name="opinion_content_digest"),
        ]
        constraints = [
            # The tracking page finds an opinion by its receipt code.
            models.UniqueConstraint(fields=["receipt_code"], name="opinion_receipt_code_unique"),
            models.CheckConstraint(
                condition=Q(people_concerned__gte=1), name="opinion_people_positive"
            ),
        ]

    def __str__(self):
        return f"{self.number or self.receipt_code} {self.title}"

    def get_absolute_url(self):
        return reverse("opinions:detail", args=[self.pk])


class OpinionAttachment(models.Model):
    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="opinions/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=60)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self):
        return self.name


class FigureCell(models.Model):
    """The figures (renda.opinions.figures) of one county's receptions and
    opinions of one month, counted together by `figures.cells_rebuild` every
    few minutes: a province's or a city's figures add up a few thousand
    cells instead of counting hundreds of thousands of opinions on every
    page. Derived data, rebuilt whole; 逾期未办结 is counted as of the day of
    the build (`built_at`)."""

    # The records' region code cut to a county's length (a province's or a
    # city's own records keep their shorter code: their 本级 line).
    place = models.CharField("区划代码", max_length=12)
    month = models.DateField("月份", db_index=True)  # its first day
    counts = models.JSONField("各项数字")  # {figure key or channel key: number}
    built_at = models.DateTimeField("统计时间")

    class Meta:
        verbose_name = "社情民意统计汇总"
        verbose_name_plural = "社情民意统计汇总"

    def __str__(self):
        return f"{self.place} {self.month:%Y-%m}"


class CategoryCell(models.Model):
    """The opinions of one county, month and category, counted with the
    FigureCells: the figures' breakdown by category. A row of its own, not a
    key of the FigureCell's counts: categories are each county's own, and a
    province's would be hundreds of keys to add up."""

    place = models.CharField("区划代码", max_length=12)
    month = models.DateField("月份", db_index=True)
    category = models.ForeignKey(
        "suggestions.Category", on_delete=models.CASCADE, null=True, related_name="+"
    )
    opinions = models.PositiveIntegerField("收集意见")

    class Meta:
        verbose_name = "社情民意分类汇总"
        verbose_name_plural = "社情民意分类汇总"

    def __str__(self):
        return f"{self.place} {self.month:%Y-%m} {self.category_id}"


class GuardCount(models.Model):
    """One count the public form's guards keep (renda.opinions.abuse): the
    requests of one address or phone number in one rate-limit window, or the
    uses of one captcha. In the database, so every gunicorn worker and every
    machine of the site counts on the same row; a row past `expires_at`
    counts nothing any more and the hourly sweep deletes it."""

    key = models.CharField("键", max_length=100, primary_key=True)
    count = models.PositiveIntegerField("次数")
    expires_at = models.DateTimeField("过期时间", db_index=True)

    class Meta:
        verbose_name = "防刷计数"
        verbose_name_plural = "防刷计数"

    def __str__(self):
        return f"{self.key} {self.count}"
