"""Motions and suggestions (议案 / 建议、批评和意见): submission, review,
merging by link, assignment to units, deadlines, replies, evaluations and
supervision. One status per item, moved only by renda.core.workflow."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from renda.core.models import Body, Region, Rule, Session, Unit
from renda.core.scope import RegionScopedQuerySet
from renda.deputies.models import Person

# The timeline's words for each event the services record.
EVENT_LABELS = {
    "submitted": "提出",
    "withdrawn": "撤回",
    "reviewed": "审查",
    "merged": "并案",
    "assigned": "交办",
    "signed": "签收",
    "returned": "退回",
    "co_opinion": "协办意见",
    "planned": "拟定办理方案",
    "consulted": "与代表面商",
    "progress": "办理进展",
    "replied": "答复",
    "evaluated": "代表评价",
    "reopened": "重新办理",
    "committed": "承诺落实",
    "closed": "办结",
    "extension_requested": "申请延期",
    "extended": "批准延期",
    "extension_refused": "不同意延期",
    "urged": "催办",
    "supervised": "督办",
    "published": "公开答复",
    "unpublished": "取消公开",
    "due_soon": "即将到期提醒",
    "overdue": "逾期提醒",
    "inspected": "联合检查",
}


class Category(models.Model):
    """A subject category (农业, 水利, 道路, 教育 ...): data, per jurisdiction."""

    name = models.CharField("类别", max_length=30)
    region = models.ForeignKey(
        Region,
        verbose_name="适用区划",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="留空表示通用",
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "建议类别"
        verbose_name_plural = "建议类别"
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="category_unique_name")
        ]

    def __str__(self):
        return self.name


class RoutingRule(models.Model):
    """Which unit usually leads on a category in a region (交办路由表): a
    proposal that staff confirm or change when assigning."""

    category = models.ForeignKey(
        Category, verbose_name="类别", on_delete=models.CASCADE, related_name="routes"
    )
    region = models.ForeignKey(Region, verbose_name="区划", on_delete=models.CASCADE)
    lead_unit = models.ForeignKey(
        Unit, verbose_name="建议承办单位", on_delete=models.CASCADE, related_name="+"
    )
    co_units = models.ManyToManyField(
        Unit, verbose_name="建议协办单位", blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "交办路由"
        verbose_name_plural = "交办路由"
        constraints = [
            models.UniqueConstraint(fields=["category", "region"], name="routing_unique")
        ]

    def __str__(self):
        return f"{self.category} @ {self.region} → {self.lead_unit}"


class Kind(models.TextChoices):
    MOTION = "motion", "议案"
    SUGGESTION = "suggestion", "建议、批评和意见"


class Occasion(models.TextChoices):
    SESSION = "session", "大会期间"
    INTERIM = "interim", "闭会期间"


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审查"
    WITHDRAWN = "withdrawn", "已撤回"
    NOT_ACCEPTED = "not_accepted", "不予立案"
    MERGED = "merged", "已并案"
    ACCEPTED = "accepted", "待交办"
    ASSIGNED = "assigned", "待签收"
    HANDLING = "handling", "办理中"
    REPLIED = "replied", "已答复待评价"
    REHANDLING = "rehandling", "重新办理中"
    COMMITTED = "committed", "承诺落实中"
    CLOSED = "closed", "已办结"


class ReplyClass(models.TextChoices):
    """Stored codes; the labels an office shows come from its configured
    scheme (rule `suggestion.reply_classes`), e.g. A/B/C or 甲/乙/丙."""

    A = "A", "A类"
    B = "B", "B类"
    C = "C", "C类"
    D = "D", "D类"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class SuggestionQuerySet(RegionScopedQuerySet):
    region_path = "region"
    unit_path = "assignments__unit"

    def visible_to(self, user):
        """Office staff by region; units only items assigned to them; deputies
        the items they authored (drafts included) and, within their region,
        items past review; the public nothing here (see published replies)."""
        from renda.core.models import Role

        if user.is_authenticated and not user.is_superuser and user.role == Role.DEPUTY:
            person = user.own_person
            own = Q(authorships__person=person) if person else Q(pk__in=[])
            in_region = (
                super().visible_to(user).exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
            )
            return self.filter(own | Q(pk__in=in_region.values("pk"))).distinct()
        if user.is_authenticated and not user.is_superuser and user.role == Role.UNIT:
            return self.filter(
                assignments__unit_id=user.unit_id, assignments__active=True
            ).distinct()
        return super().visible_to(user).exclude(status=Status.DRAFT)

    def kept_by_office(self, user):
        """What office staff open: their region's items with the drafts their
        office entered from paper originals, less deputies' own drafts. One
        condition the region index serves (an OR of two scopes read every
        suggestion of a province)."""
        return super().visible_to(user).exclude(status=Status.DRAFT, from_paper=False)


class Suggestion(models.Model):
    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.ACCEPTED, Status.NOT_ACCEPTED, Status.MERGED, Status.WITHDRAWN},
        Status.ACCEPTED: {Status.ASSIGNED, Status.WITHDRAWN, Status.MERGED},
        Status.ASSIGNED: {Status.HANDLING, Status.ACCEPTED, Status.WITHDRAWN},
        Status.HANDLING: {Status.REPLIED, Status.WITHDRAWN},
        Status.REPLIED: {Status.CLOSED, Status.COMMITTED, Status.REHANDLING},
        Status.REHANDLING: {Status.REPLIED},
        Status.COMMITTED: {Status.CLOSED},
        Status.NOT_ACCEPTED: set(),
        Status.MERGED: set(),
        Status.WITHDRAWN: set(),
        Status.CLOSED: set(),
    }

    number = models.CharField("编号", max_length=30, blank=True, db_index=True)
    title = models.CharField("案由", max_length=120)
    body = models.TextField("内容")
    kind = models.CharField(
        "提出类别", max_length=10, choices=Kind.choices, default=Kind.SUGGESTION
    )
    final_kind = models.CharField("审查结果类别", max_length=10, choices=Kind.choices, blank=True)
    occasion = models.CharField("提出时间", max_length=8, choices=Occasion.choices)
    congress = models.ForeignKey(
        Body,
        verbose_name="提交至",
        on_delete=models.PROTECT,
        related_name="suggestions",
        limit_choices_to={"kind": "congress"},
    )
    session = models.ForeignKey(
        Session,
        verbose_name="会议",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        Category, verbose_name="类别", on_delete=models.PROTECT, null=True, blank=True
    )
    authors = models.ManyToManyField(Person, through="Authorship", related_name="suggestions")
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField("提出时间", null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    from_paper = models.BooleanField("据纸质件录入", default=False)
    is_complex = models.BooleanField("涉及面广、处理难度大", default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name="并入",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_items",
    )
    rejection_reason = models.TextField("不予立案理由", blank=True)
    reply_class = models.CharField("答复类别", max_length=2, choices=ReplyClass.choices, blank=True)
    key_supervised = models.BooleanField("重点督办", default=False)
    supervision_group = models.CharField("督办组", max_length=120, blank=True)
    published = models.BooleanField("公开答复", default=False)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["status"])

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = "议案建议"
        verbose_name_plural = "议案建议"
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["region", "status"], name="suggestion_region_status"),
            models.Index(fields=["session", "status"], name="suggestion_session_status"),
            # The register's order (newest first): a page is the index's first
            # rows, not a sort of every suggestion of a province.
            models.Index(fields=["-submitted_at", "-id"], name="suggestion_submitted"),
            # The published replies' order and count (public_list).
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(published=True),
                name="suggestion_published",
            ),
        ]

    def __str__(self):
        return f"{self.number or '（未编号）'} {self.title}"

    def get_absolute_url(self):
        return reverse("suggestions:detail", args=[self.pk])


class AuthorRole(models.TextChoices):
    LEAD = "lead", "领衔"
    CO = "co", "附议"


class Authorship(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="authorships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="authorships")
    role = models.CharField(
        "署名", max_length=4, choices=AuthorRole.choices, default=AuthorRole.LEAD
    )

    class Meta:
        verbose_name = "署名代表"
        verbose_name_plural = "署名代表"
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "person"], name="authorship_once"),
            models.UniqueConstraint(
                fields=["suggestion"], condition=Q(role="lead"), name="authorship_one_lead"
            ),
        ]

    def __str__(self):
        return f"{self.person}（{self.get_role_display()}）"


class Attachment(models.Model):
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("附件", upload_to="suggestions/%Y/%m/")
    name = models.CharField("文件名", max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self):
        return self.name


class UnitRole(models.TextChoices):
    LEAD = "lead", "主办"
    CO = "co", "协办"


class Assignment(models.Model):
    """One unit's part in handling an item. A returned assignment stays, inactive."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        Unit, verbose_name="承办单位", on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField("承办方式", max_length=4, choices=UnitRole.choices)
    assigned_at = models.DateTimeField("交办时间", default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    co_opinion = models.TextField("协办意见", blank=True)
    co_opinion_at = models.DateTimeField("协办意见提交时间", null=True, blank=True)
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "交办"
        verbose_name_plural = "交办"
        ordering = ["suggestion", "-active", "role", "assigned_at"]
        indexes = [models.Index(fields=["unit", "active"], name="assignment_unit_active")]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=Q(active=True, role="lead"),
                name="assignment_one_active_lead",
            )
        ]

    def __str__(self):
        return f"{self.suggestion} → {self.unit}（{self.get_role_display()}）"


class DeadlineKind(models.TextChoices):
    ASSIGN = "assign", "交办期限"
    RETURN = "return", "退回期限"
    REPLY = "reply", "答复期限"
    CO_OPINION = "co_opinion", "协办意见期限"
    REHANDLE = "rehandle", "重新办理期限"


class DeadlineState(models.TextChoices):
    OPEN = "open", "未到期"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"
    MET = "met", "已按期完成"
    MET_LATE = "met_late", "逾期完成"
    CANCELLED = "cancelled", "已取消"


# A deadline still to be met.
OPEN_DEADLINE_STATES = [DeadlineState.OPEN, DeadlineState.DUE_SOON, DeadlineState.OVERDUE]


class Deadline(models.Model):
    """One computed deadline of one item, with the rule that set it. Swept by
    one idempotent periodic job (renda.suggestions.supervision)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="deadlines")
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    kind = models.CharField("期限类别", max_length=12, choices=DeadlineKind.choices)
    start_on = models.DateField("起算日期")
    due_on = models.DateField("截止日期", db_index=True)
    rule = models.ForeignKey(
        Rule,
        verbose_name="依据规则",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    explanation = models.CharField("计算说明", max_length=200, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=DeadlineState.choices, default=DeadlineState.OPEN
    )
    done_on = models.DateField("完成日期", null=True, blank=True)
    extended_from = models.DateField("原截止日期", null=True, blank=True)

    class Meta:
        verbose_name = "办理期限"
        verbose_name_plural = "办理期限"
        ordering = ["due_on"]
        indexes = [
            models.Index(fields=["state", "due_on"], name="deadline_state_due"),
            # An item's open deadlines (supervision.past_due: the register's
            # 仅看逾期 and the dashboard's count): a county's items are probed
            # one by one, where PostgreSQL otherwise hashed every open deadline
            # of the province (10 ms at 20 counties, 2 ms with it).
            models.Index(
                fields=["suggestion", "due_on"],
                name="deadline_open_item",
                condition=models.Q(state__in=OPEN_DEADLINE_STATES),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on}"


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


class ExtensionRequest(models.Model):
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="extension_requests"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    requested_until = models.DateField("申请延期至")
    reason = models.TextField("延期理由")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        "审批结果", max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.deadline} → {self.requested_until}"


class ConsultationForm(models.TextChoices):
    FACE_TO_FACE = "face", "当面沟通"
    PHONE = "phone", "电话沟通"
    MEETING = "meeting", "座谈会"
    SITE_VISIT = "site", "现场察看"


class Consultation(models.Model):
    """The three-step method: analysis meeting and plan, face-to-face
    consultation with the deputy (面商), and progress to the end."""

    class Step(models.TextChoices):
        PLAN = "plan", "分析研究、拟定方案"
        CONSULT = "consult", "与代表面商"
        PROGRESS = "progress", "办理进展"

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="consultations"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    step = models.CharField("环节", max_length=10, choices=Step.choices)
    held_on = models.DateField("日期")
    form = models.CharField("方式", max_length=8, choices=ConsultationForm.choices, blank=True)
    content = models.TextField("内容")
    deputy_view = models.TextField("代表意见", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "办理过程"
        verbose_name_plural = "办理过程"
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.get_step_display()} {self.held_on}"


class Reply(models.Model):
    """A unit's formal reply (答复), signed by its head. A re-handled item has
    a second reply (round 2)."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    round = models.PositiveSmallIntegerField("答复轮次", default=1)
    reply_class = models.CharField("答复类别", max_length=2, choices=ReplyClass.choices)
    text = models.TextField("答复内容")
    commitment = models.TextField(
        "承诺事项", blank=True, help_text="A 类（已解决）以外的答复须写明落实承诺及时限"
    )
    signed_by = models.CharField("签发人", max_length=30)
    replied_on = models.DateField("答复日期")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    public_text = models.TextField("公开文本", blank=True, help_text="公开时使用；须删去个人信息")

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"
        ordering = ["suggestion", "round"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="reply_round_once")
        ]

    def __str__(self):
        return f"{self.suggestion} 第{self.round}次答复"


class Evaluation(models.Model):
    """One author's rating of one reply (each author rates on their own)."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="evaluations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField("评价", max_length=12, choices=Rating.choices)
    comment = models.TextField("意见", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    from_paper = models.BooleanField("据纸质回执录入", default=False)
    evaluated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "代表评价"
        verbose_name_plural = "代表评价"
        constraints = [models.UniqueConstraint(fields=["reply", "person"], name="evaluation_once")]

    def __str__(self):
        return f"{self.person}: {self.get_rating_display()}"


class JointInspection(models.Model):
    """The joint inspection (联合检查 / 集中督查) of the handling of one
    session's suggestions, held before the next session: who took part, which
    units and items were inspected, what was found and what must follow.
    Deputies who took part are Person rows (their duty records build on them);
    others, such as standing committee members, are named in `inspectors`."""

    region = models.ForeignKey(
        Region, verbose_name="所属区划", on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        Session, verbose_name="所查会议的建议", on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("检查日期")
    deputies = models.ManyToManyField(
        Person, verbose_name="参加检查的代表", blank=True, related_name="joint_inspections"
    )
    inspectors = models.TextField(
        "其他参加人员", blank=True, help_text="代表以外的参加人员，如常委会组成人员、机关工作人员"
    )
    units = models.ManyToManyField(
        Unit, verbose_name="被检查的承办单位", blank=True, related_name="joint_inspections"
    )
    suggestions = models.ManyToManyField(
        Suggestion, verbose_name="检查的建议", related_name="joint_inspections"
    )
    findings = models.TextField("检查情况")
    requirements = models.TextField("跟进要求", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "联合检查"
        verbose_name_plural = "联合检查"
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.session} 联合检查 {self.held_on}"

    def get_absolute_url(self):
        return reverse("suggestions:inspection_detail", args=[self.pk])


class Notification(models.Model):
    """An in-app notice to one user (due soon, overdue, urged ...)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestion_notifications"
    )
    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="+")
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField("类别", max_length=12)
    text = models.CharField("内容", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "提醒"
        verbose_name_plural = "提醒"
        ordering = ["-created_at"]
        constraints = [
            # The sweep is idempotent: one notice per user, deadline and kind.
            models.UniqueConstraint(fields=["user", "deadline", "kind"], name="notification_once")
        ]

    def __str__(self):
        return self.text


class FigureCell(models.Model):
    """The figures (renda.suggestions.figures) of the items of one county,
    one year of submission and one category, counted together by
    `figures.cells_rebuild` every few minutes: a province's or a city's
    figures add up a few thousand cells instead of counting hundreds of
    thousands of items on every page. Derived data, rebuilt whole; 当前逾期
    is counted as of the build's day."""

    # The items' region code cut to a county's length (a province's or a
    # city's own items keep their shorter code: their 本级 line).
    place = models.CharField("区划代码", max_length=12)
    year = models.IntegerField("提出年度", null=True)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, related_name="+")
    counts = models.JSONField("各项数字")  # {figure key: number}
    built_at = models.DateTimeField("统计时间")

    class Meta:
        verbose_name = "办理统计汇总"
        verbose_name_plural = "办理统计汇总"

    def __str__(self):
        return f"{self.place} {self.year} {self.category_id}"
