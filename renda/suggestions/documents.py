"""Official documents of the suggestions workflow as Word files, in the
layout of GB/T 9704-2012 《党政机关公文格式》:

- A4 paper; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
- the title in 2号 (22 pt) 方正小标宋简体, centred;
- the body in 3号 (16 pt) 仿宋_GB2312, fixed line spacing of 28.95 pt (22
  lines a page), first lines indented by two characters;
- the issuing body and the date at the bottom right, the date in Arabic
  numerals (2026年7月1日);
- page numbers in 4号 (14 pt) half-width 宋体 as "— 1 —", on the right of
  odd pages and the left of even pages.

The offices' computers have the fonts; Word substitutes where one is missing.

Two documents: the assignment notice (交办通知) to the lead unit, and the
reply letter (答复函) from the lead unit to each author, one letter per
author (the authors of merged items included), each letter its own section
starting on a new page with its own page numbers.
"""

import datetime
import io

from django.db.models import Q
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from renda.core.models import Body, BodyKind
from renda.suggestions.models import (
    AuthorRole,
    Authorship,
    DeadlineKind,
    Kind,
    Reply,
    Suggestion,
    UnitRole,
)
from renda.suggestions.reply_classes import reply_classes

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
LINE_SPACING = Pt(28.95)  # 22 lines in the 225 mm high text area
CHARACTER = BODY_SIZE  # one body character's width

MARGINS = {"top": Mm(37), "bottom": Mm(35), "left": Mm(28), "right": Mm(26)}


def chinese_date(day: datetime.date) -> str:
    """GB/T 9704 writes dates in Arabic numerals without leading zeros."""
    return f"{day.year}年{day.month}月{day.day}日"


# --- layout --------------------------------------------------------------------------


def _set_font(run_or_style, name: str, size) -> None:
    """Set the font for Latin and East Asian text alike (python-docx sets
    only the Latin one)."""
    font = run_or_style.font
    font.name = name
    font.size = size
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page_setup(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = MARGINS["top"]
    section.bottom_margin = MARGINS["bottom"]
    section.left_margin = MARGINS["left"]
    section.right_margin = MARGINS["right"]
    section.header_distance = Mm(15)
    # The page number sits about 7 mm below the text area.
    section.footer_distance = Mm(24)
    # Each section (each letter) numbers its pages from 1.
    page_numbers = section._sectPr.find(qn("w:pgNumType"))
    if page_numbers is None:
        page_numbers = OxmlElement("w:pgNumType")
        section._sectPr.append(page_numbers)
    page_numbers.set(qn("w:start"), "1")


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE) as begin / instruction / end runs."""
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        run = paragraph.add_run()
        _set_font(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _page_number(footer, *, odd: bool) -> None:
    """ "— 1 —": odd pages on the right, even pages on the left, one character in."""
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    format_ = paragraph.paragraph_format
    if odd:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        format_.right_indent = PAGE_NUMBER_SIZE
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        format_.left_indent = PAGE_NUMBER_SIZE
    _set_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    _field(paragraph, "PAGE")
    _set_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


def new_document() -> Document:
    """An empty document with the page, the body style and the page numbers set."""
    document = Document()
    normal = document.styles["Normal"]
    _set_font(normal, BODY_FONT, BODY_SIZE)
    paragraph_format = normal.paragraph_format
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = LINE_SPACING
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _page_setup(section)
    _page_number(section.footer, odd=True)
    _page_number(section.even_page_footer, odd=False)
    return document


def _paragraph(document, text: str = "", *, indent: bool = True, align=None):
    paragraph = document.add_paragraph()
    if indent:
        paragraph.paragraph_format.first_line_indent = CHARACTER * 2
        # Also in character units, so Word keeps two characters if the font changes.
        paragraph._p.pPr.find(qn("w:ind")).set(qn("w:firstLineChars"), "200")
    if align is not None:
        paragraph.alignment = align
    if text:
        _set_font(paragraph.add_run(text), BODY_FONT, BODY_SIZE)
    return paragraph


def _title(document, text: str) -> None:
    for line in text.split("\n"):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.line_spacing = Pt(35)
        _set_font(paragraph.add_run(line), TITLE_FONT, TITLE_SIZE)
    _paragraph(document, indent=False)  # one blank line before the addressee


def _addressee(document, text: str) -> None:
    _paragraph(document, f"{text}：", indent=False)


def _body(document, text: str) -> None:
    """Each line of `text` its own indented paragraph."""
    for line in text.splitlines():
        if line.strip():
            _paragraph(document, line.strip())


def _signature(document, issuer: str, day: datetime.date, *, note: str = "") -> None:
    """Issuer and date at the bottom right: the date four characters in from
    the right margin, the issuer centred over it (approximated as two
    characters in), after two blank lines."""
    _paragraph(document, indent=False)
    _paragraph(document, indent=False)
    name = _paragraph(document, issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    name.paragraph_format.right_indent = CHARACTER * 2
    date = _paragraph(document, chinese_date(day), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    date.paragraph_format.right_indent = CHARACTER * 4
    if note:
        # 附注: under the date, two characters in, in parentheses.
        _paragraph(document, f"（{note}）")


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- what the documents say -----------------------------------------------------------


def kind_word(item: Suggestion) -> str:
    return "议案" if (item.final_kind or item.kind) == Kind.MOTION else "建议"


def issuing_body(item: Suggestion) -> str:
    """Who assigns in the congress's name: the standing committee of a
    county, the presidium of a township, the working committee of a street;
    the congress's own name when none is recorded."""
    preference = [
        BodyKind.STANDING_COMMITTEE,
        BodyKind.PRESIDIUM,
        BodyKind.STREET_COMMITTEE,
    ]
    bodies = {
        body.kind: body.name
        for body in Body.objects.filter(region=item.region_id, kind__in=preference)
    }
    for kind in preference:
        if kind in bodies:
            return bodies[kind]
    suffix = "主席团" if item.region.is_township_level else "常务委员会"
    return f"{item.congress.name}{suffix}"


def _where(item: Suggestion) -> str:
    return f"在{item.session}期间" if item.session_id else "在闭会期间"


def _authors_phrase(authorships) -> str:
    lead = [a.person.name for a in authorships if a.role == AuthorRole.LEAD]
    co = [a.person.name for a in authorships if a.role == AuthorRole.CO]
    if co:
        return f"{'、'.join(lead)}代表领衔，{'、'.join(co)}代表联名"
    return f"{'、'.join(lead)}代表"


def notice_document(item: Suggestion) -> bytes:
    """交办通知: the item, its authors, the reply deadline with the rule and
    its source, the co-units and their deadline, and the window to return a
    misassigned item."""
    assignments = list(
        item.assignments.filter(active=True).select_related("unit").order_by("role", "pk")
    )
    lead = next(a for a in assignments if a.role == UnitRole.LEAD)
    co = [a for a in assignments if a.role == UnitRole.CO]
    deadlines = {
        (d.kind, d.assignment_id): d
        for d in item.deadlines.filter(assignment__in=[a.pk for a in assignments])
        .exclude(state="cancelled")
        .select_related("rule")
    }
    authorships = list(item.authorships.select_related("person").order_by("-role", "pk"))
    issuer = issuing_body(item)
    word = kind_word(item)

    document = new_document()
    _title(document, f"关于交办代表{word}的通知")
    _addressee(document, lead.unit.name)
    _paragraph(
        document,
        f"{_where(item)}，{_authors_phrase(authorships)}提出的《{item.title}》"
        f"（第{item.number}号）经审查，作为{word}交由你单位主办"
        + (f"，{'、'.join(a.unit.name for a in co)}协办" if co else "")
        + "。",
    )
    reply = deadlines.get((DeadlineKind.REPLY, lead.pk))
    if reply is not None:
        source = f"，依据{reply.rule.source}" if reply.rule_id else ""
        _paragraph(
            document,
            f"请你单位认真研究办理，与代表当面沟通，于{chinese_date(reply.due_on)}前"
            f"将办理结果书面答复代表，并抄送{issuer}（答复期限{reply.explanation}{source}）。",
        )
    co_deadlines = [deadlines.get((DeadlineKind.CO_OPINION, a.pk)) for a in co]
    co_deadlines = [d for d in co_deadlines if d is not None]
    if co_deadlines:
        first = co_deadlines[0]
        source = f"，依据{first.rule.source}" if first.rule_id else ""
        _paragraph(
            document,
            f"协办单位应于{chinese_date(first.due_on)}前向你单位书面提出协办意见"
            f"（{first.explanation}{source}）。",
        )
    back = deadlines.get((DeadlineKind.RETURN, lead.pk))
    if back is not None:
        _paragraph(
            document,
            f"如认为不属于你单位职责范围，请于{chinese_date(back.due_on)}前说明理由，"
            f"退回{issuer}（{back.explanation}）。",
        )
    _paragraph(document, "特此通知。")
    _signature(document, issuer, timezone.localdate(lead.assigned_at))
    return _bytes(document)


def letter_recipients(reply: Reply) -> list[Authorship]:
    """One authorship per person who gets the letter: the authors of the
    item and of every item merged into it, lead authors first."""
    item = reply.suggestion
    rows = (
        Authorship.objects.filter(Q(suggestion=item) | Q(suggestion__merged_into=item))
        .select_related("person", "suggestion")
        .order_by("suggestion__merged_into", "suggestion_id", "-role", "pk")
    )
    seen, recipients = set(), []
    for row in rows:
        if row.person_id not in seen:
            seen.add(row.person_id)
            recipients.append(row)
    return recipients


def reply_document(reply: Reply, recipients: list[Authorship]) -> bytes:
    """答复函: one letter per recipient, each on new pages. The class mark at
    the top is written as the office's scheme on the reply date writes it."""
    item = reply.suggestion
    unit = reply.unit
    word = kind_word(item)
    class_mark = reply_classes(item.region, reply.replied_on).label(reply.reply_class)
    document = new_document()
    for index, authorship in enumerate(recipients):
        if index:
            _page_setup(document.add_section(WD_SECTION.NEW_PAGE))
        _paragraph(document, class_mark, indent=False)
        signer = _paragraph(
            document, f"签发人：{reply.signed_by}", indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT
        )
        signer.paragraph_format.right_indent = CHARACTER
        _title(document, f"{unit.name}\n关于对第{item.number}号代表{word}的答复")
        _addressee(document, f"{authorship.person.name}代表")
        own = authorship.suggestion
        if own.pk == item.pk:
            role = "领衔" if authorship.role == AuthorRole.LEAD else "联名"
            opening = f"您{role}提出的《{item.title}》收悉。"
        else:
            opening = f"您提出的《{own.title}》已与《{item.title}》并案办理。"
        rounds = "经重新办理，" if reply.round > 1 else ""
        _paragraph(document, f"{opening}{rounds}现答复如下：")
        _body(document, reply.text)
        if reply.commitment:
            _paragraph(document, f"落实承诺：{reply.commitment}")
        _paragraph(document, "衷心感谢您对我们工作的关心和支持，欢迎继续提出宝贵意见。")
        contact = "，".join(
            part
            for part in (
                f"联系人：{unit.contact_person}" if unit.contact_person else "",
                f"联系电话：{unit.office_phone}" if unit.office_phone else "",
            )
            if part
        )
        _signature(document, unit.name, reply.replied_on, note=contact)
    return _bytes(document)
