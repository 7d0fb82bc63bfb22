"""What every paper register (登记簿) shares: its columns and the .xlsx laid
out like the book. Each app keeps its own registers as views over its
records (renda/opinions/registers.py, renda/duties/registers.py)."""

import io
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side


@dataclass(frozen=True)
class Column:
    label: str
    width: int  # in the workbook, characters
    left: bool = False  # running text, aligned left


@dataclass(frozen=True)
class Kind:
    key: str
    title: str
    period_basis: str  # which date the period selects on
    columns: tuple[Column, ...]
    card: bool = False  # printed one card per row


NUMBER = Column("序号", 5)
_THIN = Side(style="thin")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def register_workbook(book) -> bytes:
    """A register (anything with title, scope, period, kind and rows) as an
    .xlsx laid out like the paper book: title, place and period, the table
    with borders, printed A4 landscape."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = book.title
    width = len(book.kind.columns)
    sheet.append([book.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(
        [
            f"{book.scope}　{book.period}（{book.kind.period_basis}）"
            f"　制表日期：{timezone.localdate():%Y年%m月%d日}"
        ]
    )
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.append([column.label for column in book.kind.columns])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
    for row in book.rows:
        sheet.append(row)
        for cell, column in zip(sheet[sheet.max_row], book.kind.columns, strict=True):
            cell.border = BOX
            cell.alignment = Alignment(
                horizontal="left" if column.left else "center", vertical="center", wrap_text=True
            )
    for index, column in enumerate(book.kind.columns, start=1):
        sheet.column_dimensions[sheet.cell(3, index).column_letter].width = column.width
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
