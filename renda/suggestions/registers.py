"""The two paper registers of motions and suggestions, as views over the
records (nothing here is entered twice):

- 代表议案建议批评和意见记录簿: one row per item of a session or a year
  (number, date, lead deputy and co-signers, title, category, review
  result, lead and co-units, assignment date, reply dates and class,
  evaluations, status);
- 代表建议办理情况登记卡: one card per item with every handling fact and
  its timeline.

Each is read with a fixed number of queries whatever the number of items,
and written as .xlsx here; the printable pages are templates.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from renda.core.workflow import timeline
from renda.suggestions.models import (
    EVENT_LABELS,
    Assignment,
    AuthorRole,
    Authorship,
    Consultation,
    Deadline,
    Evaluation,
    ExtensionRequest,
    Kind,
    Reply,
    Status,
    Suggestion,
    UnitRole,
)
from renda.suggestions.reply_classes import SchemeBook, label_replies


def _local_date(moment) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def review_result(item: Suggestion) -> str:
    """The review's outcome as the register writes it."""
    if item.status == Status.NOT_ACCEPTED:
        return "不予立案" + (f"（{item.rejection_reason}）" if item.rejection_reason else "")
    if item.status == Status.MERGED:
        into = item.merged_into
        return f"并入 {into.number or into.title}" if into else "已并案"
    if item.final_kind:
        return "作为议案办理" if item.final_kind == Kind.MOTION else "作为建议办理"
    if item.status == Status.WITHDRAWN:
        return "审查前撤回"
    return "待审查"


def with_handling(items):
    """`items` with what a register row or a card reads, prefetched: authors
    (lead first), assignments with their units, replies with their
    evaluations. Five queries for any number of items."""
    return items.select_related(
        "region", "category", "session__term__body", "merged_into", "congress"
    ).prefetch_related(
        Prefetch(
            "authorships",
            queryset=Authorship.objects.select_related("person").order_by("-role", "pk"),
        ),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("unit").order_by("assigned_at", "pk"),
        ),
        Prefetch(
            "replies",
            queryset=Reply.objects.select_related("unit")
            .order_by("round")
            .prefetch_related(
                Prefetch(
                    "evaluations",
                    queryset=Evaluation.objects.select_related("person").order_by(
                        "evaluated_at", "pk"
                    ),
                )
            ),
        ),
    )


@dataclass
class Handling:
    """The facts of one item both registers show, from prefetched rows."""

    item: Suggestion
    lead: list = field(default_factory=list)  # Person
    co_signers: list = field(default_factory=list)  # Person
    lead_assignment: Assignment | None = None
    co_assignments: list = field(default_factory=list)
    replies: list = field(default_factory=list)

    @classmethod
    def of(cls, item: Suggestion) -> "Handling":
        authorships = list(item.authorships.all())
        assignments = list(item.assignments.all())
        leads = [a for a in assignments if a.role == UnitRole.LEAD]
        # The current lead unit, else the last one (returned or withdrawn).
        lead = next((a for a in reversed(leads) if a.active), leads[-1] if leads else None)
        co = [a for a in assignments if a.role == UnitRole.CO and a.active]
        if lead is not None and not lead.active:
            # Withdrawn or returned: the co-units assigned with that lead unit.
            co = [
                a
                for a in assignments
                if a.role == UnitRole.CO and not a.active and a.assigned_at >= lead.assigned_at
            ]
        return cls(
            item=item,
            lead=[a.person for a in authorships if a.role == AuthorRole.LEAD],
            co_signers=[a.person for a in authorships if a.role == AuthorRole.CO],
            lead_assignment=lead,
            co_assignments=co,
            replies=list(item.replies.all()),
        )

    @property
    def lead_name(self) -> str:
        return "、".join(person.name for person in self.lead)

    @property
    def co_signer_names(self) -> str:
        return "、".join(person.name for person in self.co_signers)

    @property
    def lead_unit(self) -> str:
        return self.lead_assignment.unit.name if self.lead_assignment else ""

    @property
    def co_units(self) -> str:
        return "、".join(a.unit.name for a in self.co_assignments)

    @property
    def assigned_on(self) -> datetime.date | None:
        return _local_date(self.lead_assignment.assigned_at) if self.lead_assignment else None

    @property
    def latest_reply(self) -> Reply | None:
        return self.replies[-1] if self.replies else None

    @property
    def reply_dates(self) -> str:
        if len(self.replies) == 1:
            return f"{self.replies[0].replied_on:%Y-%m-%d}"
        return "；".join(f"第{r.round}次 {r.replied_on:%Y-%m-%d}" for r in self.replies)

    @property
    def reply_class(self) -> str:
        """The latest reply's class as its office's scheme writes it (see `labelled`)."""
        reply = self.latest_reply
        return reply.class_label if reply else ""

    @property
    def evaluation(self) -> str:
        """The latest reply's evaluations, one per author."""
        reply = self.latest_reply
        if reply is None:
            return ""
        return "；".join(
            f"{e.person.name}：{e.get_rating_display()}" for e in reply.evaluations.all()
        )

    @property
    def review_result(self) -> str:
        return review_result(self.item)


# --- 代表议案建议批评和意见记录簿 ------------------------------------------------------------

REGISTER_COLUMNS = [
    ("序号", 6),
    ("编号", 12),
    ("提出日期", 12),
    ("领衔代表", 10),
    ("附议代表", 16),
    ("案由", 36),
    ("类别", 10),
    ("审查结果", 16),
    ("主办单位", 18),
    ("协办单位", 18),
    ("交办日期", 12),
    ("答复日期", 14),
    ("答复类别", 8),
    ("代表评价", 20),
    ("办理状态", 12),
]


def labelled(rows: list[Handling]) -> list[Handling]:
    """Each reply's class under the scheme of its item's place and reply
    date (renda.suggestions.reply_classes), read in one query for all rows."""
    book = SchemeBook(row.item.region for row in rows)
    for row in rows:
        label_replies(row.replies, region=row.item.region, book=book)
    return rows


def register_rows(items) -> list[Handling]:
    """The book's rows: `items` in the order they were submitted."""
    ordered = with_handling(items).order_by("submitted_at", "pk")
    return labelled([Handling.of(item) for item in ordered])


def register_title(filters: dict) -> str:
    session, year = filters.get("session"), filters.get("year")
    period = str(session) if session else (f"{year}年" if year else "")
    return f"{period}代表议案建议批评和意见记录簿"


def register_values(number: int, row: Handling) -> list:
    item = row.item
    return [
        number,
        item.number,
        _local_date(item.submitted_at),
        row.lead_name,
        row.co_signer_names,
        item.title,
        item.category.name if item.category_id else "",
        row.review_result,
        row.lead_unit,
        row.co_units,
        row.assigned_on,
        row.reply_dates,
        row.reply_class,
        row.evaluation,
        item.get_status_display(),
    ]


THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _title_row(sheet, title: str, width: int) -> None:
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")


def _boxed_row(sheet, *, bold: bool = False) -> None:
    for cell in sheet[sheet.max_row]:
        cell.border = BOX
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        if bold:
            cell.font = Font(bold=True)
        if isinstance(cell.value, datetime.date):
            cell.number_format = "yyyy-mm-dd"


def register_workbook(rows: list[Handling], *, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "记录簿"
    _title_row(sheet, title, len(REGISTER_COLUMNS))
    sheet.append([f"制表日期：{timezone.localdate():%Y年%m月%d日}　共 {len(rows)} 件"])
    sheet.append([name for name, _width in REGISTER_COLUMNS])
    _boxed_row(sheet, bold=True)
    for number, row in enumerate(rows, start=1):
        sheet.append(register_values(number, row))
        _boxed_row(sheet)
    for index, (_name, width) in enumerate(REGISTER_COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(3, index).column_letter].width = width
    sheet.freeze_panes = "A4"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = "3:3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- 代表建议办理情况登记卡 ------------------------------------------------------------------


@dataclass
class Card:
    handling: Handling
    deadlines: list
    consultations: list
    extensions: list
    merged_items: list
    events: list

    @property
    def item(self) -> Suggestion:
        return self.handling.item

    def facts(self) -> list[tuple[str, str]]:
        """The card's head as (label, value) pairs, shared by page and workbook."""
        item, row = self.item, self.handling
        lead = row.lead_assignment
        return [
            ("编号", item.number),
            ("案由", item.title),
            ("提出类别", item.get_kind_display()),
            ("提出时间", item.get_occasion_display()),
            ("会议", str(item.session) if item.session_id else "闭会期间"),
            ("提出日期", _text(_local_date(item.submitted_at))),
            ("领衔代表", row.lead_name),
            ("附议代表", row.co_signer_names or "无"),
            ("类别", item.category.name if item.category_id else "未分类"),
            ("审查结果", row.review_result),
            ("并入本件的建议", "、".join(f"{m.number} {m.title}" for m in self.merged_items)),
            ("主办单位", row.lead_unit),
            ("协办单位", row.co_units),
            ("交办日期", _text(row.assigned_on)),
            ("签收日期", _text(_local_date(lead.signed_at)) if lead else ""),
            ("涉及面广、处理难度大", "是" if item.is_complex else "否"),
            (
                "重点督办",
                ("是" + (f"（{item.supervision_group}）" if item.supervision_group else ""))
                if item.key_supervised
                else "否",
            ),
            ("答复类别", row.reply_class),
            ("代表评价", row.evaluation),
            ("办理状态", item.get_status_display()),
            ("办结日期", _text(_local_date(item.closed_at))),
            ("公开答复", "是" if item.published else "否"),
        ]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def card_for(item: Suggestion) -> Card:
    """Everything about one item (prefetched with `with_handling`)."""
    return Card(
        handling=labelled([Handling.of(item)])[0],
        deadlines=list(
            Deadline.objects.filter(suggestion=item)
            .select_related("rule", "assignment__unit")
            .order_by("start_on", "pk")
        ),
        consultations=list(
            Consultation.objects.filter(suggestion=item)
            .select_related("unit")
            .order_by("held_on", "pk")
        ),
        extensions=list(
            ExtensionRequest.objects.filter(deadline__suggestion=item)
            .select_related("unit", "deadline")
            .order_by("requested_at", "pk")
        ),
        merged_items=list(Suggestion.objects.filter(merged_into=item).order_by("pk")),
        events=_labelled(timeline(item)),
    )


def _labelled(events: list) -> list:
    for event in events:
        event.event_label = EVENT_LABELS.get(event.event, event.event)
    return events


def card_workbook(card: Card) -> bytes:
    """The card as an .xlsx: the facts, then deadlines, process, replies and the timeline."""
    book = Workbook()
    sheet = book.active
    sheet.title = "登记卡"
    _title_row(sheet, "代表建议办理情况登记卡", 6)
    for label, value in card.facts():
        sheet.append([label, value])
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=6
        )
        _boxed_row(sheet)
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)

    def table(title, header, rows):
        sheet.append([])
        sheet.append([title])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        sheet.append(header)
        _boxed_row(sheet, bold=True)
        for values in rows:
            sheet.append(values)
            _boxed_row(sheet)
        if not rows:
            sheet.append(["无"])

    table(
        "办理期限",
        ["期限", "单位", "起算日期", "截止日期", "状态", "依据"],
        [
            [
                d.get_kind_display(),
                d.assignment.unit.name if d.assignment_id else "",
                d.start_on,
                d.due_on,
                d.get_state_display() + (f"（{d.done_on:%Y-%m-%d}）" if d.done_on else ""),
                deadline_basis(d),
            ]
            for d in card.deadlines
        ],
    )
    table(
        "办理过程",
        ["日期", "环节", "单位", "方式", "内容", "代表意见"],
        [
            [
                c.held_on,
                c.get_step_display(),
                c.unit.name,
                c.get_form_display(),
                c.content,
                c.deputy_view,
            ]
            for c in card.consultations
        ],
    )
    table(
        "答复与评价",
        ["轮次", "答复日期", "答复单位", "答复类别", "签发人", "答复内容、承诺及代表评价"],
        [
            [
                f"第{r.round}次",
                r.replied_on,
                r.unit.name,
                r.class_label,
                r.signed_by,
                reply_summary(r),
            ]
            for r in card.handling.replies
        ],
    )
    table(
        "流转记录",
        ["时间", "事项", "原状态", "新状态", "操作人", "说明"],
        [
            [
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
                e.event_label,
                e.from_label,
                e.to_label,
                str(e.actor) if e.actor_id else "",
                e.comment,
            ]
            for e in card.events
        ],
    )
    for column, width in zip("ABCDEF", (18, 16, 14, 14, 16, 60), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def deadline_basis(deadline: Deadline) -> str:
    """How a deadline was computed and from which rule."""
    text = deadline.explanation
    if deadline.rule_id:
        text += f"（依据：{deadline.rule.source}）"
    if deadline.extended_from:
        text += f"；原截止日期 {deadline.extended_from:%Y-%m-%d}，经批准延期"
    return text


def reply_summary(reply: Reply) -> str:
    parts = [reply.text]
    if reply.commitment:
        parts.append(f"承诺事项：{reply.commitment}")
    evaluations = "；".join(
        f"{e.person.name}：{e.get_rating_display()}" + (f"（{e.comment}）" if e.comment else "")
        for e in reply.evaluations.all()
    )
    if evaluations:
        parts.append(f"代表评价：{evaluations}")
    return "\n".join(parts)
