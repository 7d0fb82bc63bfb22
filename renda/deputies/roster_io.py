"""The 人大代表花名册 (deputies roster) workbook, out and in.

One column layout (`COLUMNS`) is used by the export and by the import, so
an exported roster re-imports with no change. The import runs in two steps,
the same for the web page (through `RosterImport` and a Huey task) and for
the `import_roster` command:

- `roster_check` reads the workbook and checks every row against the file
  itself, the database and the importer's scope, and writes nothing;
- `roster_write` then writes the rows that passed, each row whole or not at
  all, and leaves the rows with problems out.

A row whose 公民身份号码 is already stored is "unchanged" when every value
in it equals what is stored; when something differs it is refused, naming
the columns, because the office edits existing deputies on their page. A
row for a stored person with a mandate not yet recorded (the same person
re-elected, or elected at a second level) adds that mandate.
"""

import datetime
import functools
import logging
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from python_calamine import CalamineWorkbook, SheetTypeEnum

from renda.core.history import bulk_create_with_history
from renda.core.models import BodyKind, Region, RegionLevel, Term, User
from renda.core.services import audit_record
from renda.core.text import TERM_NUMBERS, mask_middle, term_label
from renda.deputies.idcard import (
    IdNumber,
    IdNumberError,
    identity_problems,
    mask_id_number,
    parse_id_number,
)
from renda.deputies.models import (
    Constituency,
    Education,
    Gender,
    Group,
    GroupKind,
    GroupMembership,
    ImportStatus,
    Level,
    Mandate,
    Occupation,
    Party,
    Person,
    RosterImport,
)
from renda.deputies.names import pinyin_keys

logger = logging.getLogger(__name__)

# A county's roster is about 1,500 rows; a province's whole roster (every level)
# about 100,000, which is also about what the page's 10 MB upload cap holds.
# Past this, split the file. (`make bench` times a file of this size.)
MAX_ROWS = 100_000
# The header row is looked for among the first rows (a title, notes, blanks).
HEADER_SEARCH_ROWS = 20
PROGRESS_EVERY = 250
WRITE_CHUNK = 1000

# --- the layout ------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in Chinese."""


class RosterFileError(ValueError):
    """A file that cannot be read as a roster at all."""


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # key in a row's values (see `stored_values`)
    width: int
    kind: str = "text"  # text, name, choice, date, id, yesno, term, phone, ref, seq
    required: bool = False
    choices: type[models.TextChoices] | None = None
    max_length: int = 0
    aliases: tuple[str, ...] = ()
    of_person: bool = True  # a fact about the person, not about one mandate

    def to_cell(self, value):
        """The cell written for a stored value."""
        if value is None or value == "":
            return None
        if self.kind == "choice":
            return self.choices(value).label
        if self.kind == "yesno":
            return "是" if value else "否"
        if self.kind == "ref":
            return value.name
        return value

    def parse(self, raw):
        """The value a cell stands for; raises CellError. References (places,
        groups, constituencies) come back as text and are looked up later."""
        if self.kind == "date":
            return parse_date(raw)
        if self.kind == "id":
            return _parse_id(raw)
        if self.kind == "yesno" and isinstance(raw, bool):
            return raw
        text = cell_text(raw)
        if self.kind == "name":
            text = _SPACES.sub("", text)
        if self.max_length and len(text) > self.max_length:
            raise CellError(f"不能超过 {self.max_length} 个字，现为 {len(text)} 个字")
        if self.kind == "choice":
            return _parse_choice(self, text)
        if self.kind == "yesno":
            if text in ("", "否"):
                return False
            if text == "是":
                return True
            raise CellError("请填写“是”或“否”")
        if self.kind == "term":
            return parse_term_label(text)
        if self.kind == "phone" and text and not re.fullmatch(r"[0-9+\-() ]{3,20}", text):
            raise CellError("只能填写数字（可含 - 号）")
        if self.field == "ethnicity" and text:
            return text if text.endswith("族") else text + "族"
        if self.field == "ethnicity":
            return "汉族"  # the model's default: most rosters leave 汉族 blank
        return text


COLUMNS: tuple[Column, ...] = (
    Column("序号", "seq", 6, kind="seq"),
    Column("姓名", "name", 10, kind="name", required=True, max_length=30),
    Column("性别", "gender", 6, kind="choice", required=True, choices=Gender),
    Column("民族", "ethnicity", 8, max_length=12),
    Column("出生日期", "birth_date", 12, kind="date", required=True),
    Column(
        "公民身份号码",
        "id_number",
        21,
        kind="id",
        required=True,
        aliases=("身份证号码", "身份证号"),
    ),
    Column("政治面貌", "party", 14, kind="choice", required=True, choices=Party),
    Column("职业类别", "occupation", 14, kind="choice", required=True, choices=Occupation),
    Column(
        "文化程度",
        "education",
        12,
        kind="choice",
        required=True,
        choices=Education,
        aliases=("学历",),
    ),
    Column(
        "工作单位及职务",
        "unit_and_post",
        30,
        max_length=120,
        aliases=("工作单位和职务", "单位及职务", "工作单位"),
    ),
    Column("手机号码", "mobile", 14, kind="phone", max_length=20, aliases=("手机", "联系电话")),
    Column(
        "所属乡镇（街道）",
        "region",
        14,
        kind="ref",
        required=True,
        aliases=("所属乡镇", "乡镇（街道）", "乡镇"),
    ),
    Column("代表层级", "level", 14, kind="choice", required=True, choices=Level, of_person=False),
    Column("届次", "term_label", 10, kind="term", required=True, of_person=False),
    Column("选区", "constituency", 16, kind="ref", of_person=False),
    Column("当选日期", "elected_on", 12, kind="date", required=True, of_person=False),
    Column("是否连任", "reelected", 8, kind="yesno", of_person=False, aliases=("连任",)),
    Column("代表小组", "area_group", 18, kind="ref"),
    Column("专业课题组", "topic_group", 18, kind="ref"),
    Column("承诺事项", "commitments", 40),
)
BY_FIELD = {column.field: column for column in COLUMNS}
PERSON_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "party",
    "occupation",
    "education",
    "unit_and_post",
    "mobile",
    "region",
    "commitments",
]
GROUP_FIELDS = {"area_group": GroupKind.AREA, "topic_group": GroupKind.TOPIC}


_SPACES = re.compile(r"\s+")
_MARKS = re.compile(r"[\s*＊]")


def _normal(text: str) -> str:
    """Header and label matching ignores spaces, marks of required fields and
    the width of brackets: 所属乡镇(街道)* matches 所属乡镇（街道）."""
    text = _MARKS.sub("", str(text))
    return text.replace("(", "（").replace(")", "）")


HEADERS = {_normal(name): column for column in COLUMNS for name in (column.header, *column.aliases)}


def cell_text(raw) -> str:
    """A cell (as `_cell` gives it) as trimmed text."""
    if raw is None:
        return ""
    if isinstance(raw, datetime.datetime):
        raw = raw.date()
    return str(raw).replace("\r\n", "\n").strip()


_DATE = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")


def parse_date(raw) -> datetime.date | None:
    """A real Excel date, or text 2021-11-20, 2021.11.20, 2021/11/20,
    2021年11月20日 or 20211120."""
    if isinstance(raw, datetime.datetime):
        return raw.date()
    if isinstance(raw, datetime.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 19000101 <= raw <= 29991231:
            raw = str(int(raw))
        elif 10_000 <= raw < 80_000:  # a date cell that lost its format (1927-2119)
            return from_excel(raw).date()
    text = cell_text(raw)
    if not text:
        return None
    match = _DATE.fullmatch(text) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match:
        try:
            return datetime.date(*(int(part) for part in match.groups()))
        except ValueError:
            raise CellError(f"日期“{text}”不存在") from None
    raise CellError(f"日期“{text}”格式不对，应写作 2021-11-20、2021.11.20 或 2021年11月20日")


def _parse_id(raw) -> IdNumber | None:
    if isinstance(raw, int) and len(str(raw)) != 15:
        # 18 digits do not fit in an Excel number: the last ones are already lost.
        raise CellError(
            "身份证号码被存成了数字，末几位可能已丢失：请把该列设为“文本”格式后重新填写"
        )
    text = cell_text(raw)
    if not text:
        return None
    try:
        return parse_id_number(text)
    except IdNumberError as error:
        raise CellError(str(error)) from None


@functools.cache
def _labels(choices) -> dict:
    """{normalised label: value} of a choices class (built once per class)."""
    return {_normal(label): value for value, label in choices.choices}


def _parse_choice(column: Column, text: str):
    if not text:
        return ""
    found = _labels(column.choices).get(_normal(text))
    if found is not None:
        return found
    allowed = "、".join(column.choices.labels)
    raise CellError(f"“{text}”不是可选的{column.header}，可选：{allowed}")


_CHINESE_DIGITS = "零一二三四五六七八九"


def _term_number(digits: str) -> int:
    """18, 十八, 二十, 九 -> the number (ValueError if it is none)."""
    if digits.isdigit():
        return int(digits)
    tens, ten, ones = digits.partition("十")
    if not ten:
        if len(digits) != 1:
            raise ValueError(digits)
        return _CHINESE_DIGITS.index(digits)
    return (_CHINESE_DIGITS.index(tens) if tens else 1) * 10 + (
        _CHINESE_DIGITS.index(ones) if ones else 0
    )


def parse_term_label(text: str) -> str:
    """第十八届, 第18届 or 十八届 -> 第十八届."""
    if not text:
        return ""
    match = re.fullmatch(r"第?\s*([0-9]+|[零一二三四五六七八九十]+)\s*届", text)
    try:
        number = _term_number(match.group(1)) if match else 0
    except ValueError:
        number = 0
    if not 0 < number < 100:
        raise CellError(f"届次“{text}”格式不对，应写作“第十八届”")
    return term_label(number)


def stored_values(person: Person, mandate: Mandate | None) -> dict:
    """A stored deputy as the values of one roster row. Reads only what
    `roster_persons` prefetches: region, memberships with groups, the
    mandate's constituency."""
    groups = {m.group_kind: m.group for m in person.memberships.all()}
    values = {field_name: getattr(person, field_name) for field_name in PERSON_FIELDS}
    values["id_number"] = person.id_number or ""
    values["area_group"] = groups.get(GroupKind.AREA)
    values["topic_group"] = groups.get(GroupKind.TOPIC)
    for name in ("level", "term_label", "constituency", "elected_on", "reelected"):
        values[name] = getattr(mandate, name) if mandate else None
    return values


# --- export ----------------------------------------------------------------------


def roster_persons(persons, *, level: str | None = None):
    """The persons with everything a roster row shows, in a fixed number of
    queries whatever the number of rows."""
    mandates = Mandate.objects.filter(ended_on__isnull=True).select_related("constituency")
    if level:
        mandates = mandates.filter(level=level)
    return (
        persons.select_related("region")
        .prefetch_related(None)  # a caller's own prefetches would be fetched for nothing
        .prefetch_related(
            Prefetch("mandates", queryset=mandates.order_by("pk")),
            Prefetch("memberships", queryset=GroupMembership.objects.select_related("group")),
        )
        .order_by("region__code", "name_pinyin", "pk")
    )


def roster_workbook(
    persons, *, reveal_private: bool, title: str = "人大代表花名册", level: str | None = None
) -> Workbook:
    """The roster as a workbook: title in row 1, headers in row 2, one row per
    current mandate from row 3 (a person at two levels has two rows). Unless
    `reveal_private` (only for those who manage every person exported), ID
    numbers and mobile numbers are masked and birth dates left out, as on the
    pages. Written in write-only mode, so memory stays flat."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "C3"
    title_cell = WriteOnlyCell(sheet, value=title)
    title_cell.font = Font(bold=True, size=16)
    sheet.append([title_cell])
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    headers = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        headers.append(cell)
    sheet.append(headers)

    level_order = {value: index for index, value in enumerate(Level.values)}
    # A chunked iterator keeps memory flat; 3 prefetch queries per 2,000 persons.
    number = 0
    for person in roster_persons(persons, level=level).iterator(chunk_size=2000):
        mandates = sorted(person.mandates.all(), key=lambda m: (level_order[m.level], m.pk))
        for mandate in mandates or [None]:
            number += 1
            values = stored_values(person, mandate)
            values["seq"] = number
            if not reveal_private:
                values["id_number"] = mask_id_number(values["id_number"])
                values["mobile"] = mask_middle(values["mobile"] or "", 3, 4)
                values["birth_date"] = None
            sheet.append([_out_cell(sheet, column, values[column.field]) for column in COLUMNS])
    return workbook


def _out_cell(sheet, column: Column, value):
    value = column.to_cell(value)
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # text that looks like a formula stays text
        return cell
    return value


# --- reading ---------------------------------------------------------------------


@dataclass
class Sheet:
    header_row: int
    fields: set  # fields whose column the file has
    rows: list  # [(Excel row number, {field: raw value})]


def read_roster(file) -> Sheet:
    """The data rows of the first sheet that has a roster header row.

    Read with calamine (python-calamine), which reads a workbook about 20
    times faster than openpyxl: a 100,000-row roster in about 3 s instead
    of 25 s. Like openpyxl with `data_only`, it gives formulas' stored
    values; unlike it, numbers always come as floats and empty cells as "",
    which `_cell` turns back into openpyxl's ints and Nones for the parsers."""
    try:
        _refuse_bomb(file)
        workbook = CalamineWorkbook.from_filelike(file)
    except RosterFileError:
        raise
    except Exception as error:  # not a zip, not a workbook, encrypted, ...
        logger.info("roster file unreadable: %r", error)
        raise RosterFileError("无法读取文件：不是有效的 Excel（.xlsx）工作簿") from None
    try:
        for sheet in workbook.sheets_metadata:
            if sheet.typ != SheetTypeEnum.WorkSheet:
                continue
            # From A1, whatever the file declares its used range to be, so
            # row numbers in problems are the ones Excel shows.
            rows = workbook.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
            found = _read_sheet(rows)
            if found is not None:
                return found
    except RosterFileError:
        raise
    except Exception as error:
        logger.info("roster file damaged: %r", error)
        raise RosterFileError("文件已损坏，无法读取其中的表格") from None
    finally:
        workbook.close()
    required = "、".join(column.header for column in COLUMNS if column.required)
    raise RosterFileError(
        f"没有找到花名册表头：前 {HEADER_SEARCH_ROWS} 行中应有一行列名，须包括 {required}"
    )


# A roster of MAX_ROWS rows unpacks to about 60 MB of XML; the reader holds a
# sheet in memory, so a small file that claims to unpack to far more (a zip
# bomb) is refused before it is opened.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024


def _refuse_bomb(file) -> None:
    with zipfile.ZipFile(file) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    file.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        raise RosterFileError(
            f"文件解压后超过 {MAX_UNPACKED_BYTES // 1024 // 1024} MB，请分成几个文件导入"
        )


def _read_sheet(rows: Iterable[list]) -> Sheet | None:
    positions = None
    for number, values in enumerate(rows, start=1):
        if positions is None:
            if number > HEADER_SEARCH_ROWS:
                return None
            found = {
                index: HEADERS[_normal(value)]
                for index, value in enumerate(values)
                if value != "" and _normal(value) in HEADERS
            }
            if len(found) >= 3:
                positions, header_row, data = found, number, []
            continue
        if all(value == "" or cell_text(value) == "" for value in values):
            continue
        if len(data) >= MAX_ROWS:
            raise RosterFileError(f"文件超过 {MAX_ROWS} 行，请分成几个文件导入")
        data.append(
            (
                number,
                {
                    column.field: _cell(values[index]) if index < len(values) else None
                    for index, column in positions.items()
                },
            )
        )
    if positions is None:
        return None
    return Sheet(header_row, {column.field for column in positions.values()}, data)


def _cell(value):
    """A cell as the parsers take it: None when empty, a whole number as int."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --- checking --------------------------------------------------------------------

NEW_PERSON, NEW_MANDATE, UNCHANGED = "new_person", "new_mandate", "unchanged"


@dataclass
class CheckedRow:
    row: int
    values: dict
    id_number: IdNumber | None = None
    errors: dict = field(default_factory=dict)  # header -> message
    action: str = ""
    person: Person | None = None  # the stored person with this ID number
    term: Term | None = None


@dataclass
class RosterCheck:
    total_rows: int = 0
    problems: list = field(default_factory=list)  # [{row, column, message}]
    to_write: list = field(default_factory=list)  # CheckedRow: new persons and mandates
    unchanged_rows: int = 0

    @property
    def good_rows(self) -> int:
        return len(self.to_write)


def roster_check(
    file, *, scope: Region | None, progress: Callable[[int, int], None] | None = None
) -> RosterCheck:
    """Check a roster workbook; write nothing. Problems are {row, column,
    message}; `scope` limits the places rows may name (None: anywhere).
    Raises RosterFileError when the file is not a readable roster."""
    sheet = read_roster(file)
    result = RosterCheck(total_rows=len(sheet.rows))
    missing = [c for c in COLUMNS if c.required and c.field not in sheet.fields]
    if missing:
        result.problems = [
            _problem(sheet.header_row, c.header, f"表头缺少“{c.header}”列") for c in missing
        ]
        return result

    rows = [_parse_row(number, raw, sheet.fields) for number, raw in sheet.rows]
    lookups = _Lookups(rows, scope)
    for index, row in enumerate(rows, start=1):
        lookups.resolve(row)
        if progress and index % PROGRESS_EVERY == 0:
            progress(index, len(rows))
    _check_duplicates(rows, sheet.fields)
    for row in rows:
        if row.id_number and row.id_number.number in lookups.persons:
            _compare_with_stored(row, lookups.persons[row.id_number.number], sheet.fields, scope)
        elif not row.errors:
            row.action = NEW_PERSON
        if row.errors:
            result.problems += [_problem(row.row, h, m) for h, m in _in_order(row.errors)]
        elif row.action == UNCHANGED:
            result.unchanged_rows += 1
        else:
            result.to_write.append(row)
    if progress:
        progress(len(rows), len(rows))
    return result


def _problem(row: int, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


_COLUMN_ORDER = {column.header: index for index, column in enumerate(COLUMNS)}


def _in_order(errors: dict):
    return sorted(errors.items(), key=lambda item: _COLUMN_ORDER.get(item[0], 99))


def _parse_row(number: int, raw: dict, fields: set) -> CheckedRow:
    row = CheckedRow(row=number, values={})
    for column in COLUMNS:
        if column.field not in fields or column.kind == "seq":
            continue
        try:
            value = column.parse(raw.get(column.field))
        except CellError as error:
            row.errors[column.header] = str(error)
            continue
        if column.kind == "id":
            row.id_number = value
            value = value.number if value else ""
        if column.required and value in ("", None):
            row.errors[column.header] = "必填，不能为空"
        row.values[column.field] = value
    if row.id_number:
        for name, message in identity_problems(
            row.id_number, row.values.get("birth_date"), row.values.get("gender")
        ).items():
            row.errors[BY_FIELD[name].header] = message
    return row


class _Lookups:
    """Everything the rows refer to, fetched once for the whole file."""

    LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP, RegionLevel.STREET)

    def __init__(self, rows: list[CheckedRow], scope: Region | None):
        self.scope = scope
        places = {row.values.get("region") for row in rows} - {"", None}
        self.regions_by_code, self.regions_by_name = {}, defaultdict(list)
        for region in Region.objects.filter(
            Q(code__in=places) | Q(name__in=places), level__in=self.LEVELS
        ):
            self.regions_by_code[region.code] = region
            self.regions_by_name[region.name].append(region)
        codes = set(self.regions_by_code) | {code[:6] for code in self.regions_by_code}
        self.terms = {}
        for term in Term.objects.filter(
            body__kind=BodyKind.CONGRESS, body__region__code__in=codes
        ).select_related("body__region"):
            self.terms.setdefault((term.body.region.code, term.number), term)
        names = {row.values.get("constituency") for row in rows} - {"", None}
        self.constituencies = {
            (c.term_id, c.name): c
            for c in Constituency.objects.filter(term__in=self.terms.values(), name__in=names)
        }
        names = {row.values.get(f) for row in rows for f in GROUP_FIELDS} - {"", None}
        self.groups = defaultdict(list)
        for group in Group.objects.filter(name__in=names).select_related("region"):
            self.groups[(group.kind, group.name)].append(group)
        self.persons = {}
        numbers = sorted({row.id_number.number for row in rows if row.id_number})
        for start in range(0, len(numbers), 500):
            # Every mandate, ended ones too: a row matches one by level and term.
            persons = (
                Person.objects.filter(id_number__in=numbers[start : start + 500])
                .select_related("region")
                .prefetch_related(
                    Prefetch("mandates", queryset=Mandate.objects.select_related("constituency")),
                    Prefetch(
                        "memberships", queryset=GroupMembership.objects.select_related("group")
                    ),
                )
            )
            self.persons.update((person.id_number, person) for person in persons)

    def resolve(self, row: CheckedRow) -> None:
        values = row.values
        region = self._region(row)
        values["region"] = region
        level, label = values.get("level"), values.get("term_label")
        if region and level and label:
            body_code = {
                Level.TOWNSHIP: region.code if region.is_township_level else None,
                Level.COUNTY: region.code[:6],
            }.get(level)
            row.term = self.terms.get((body_code, TERM_NUMBERS[label]))
        name = values.get("constituency")
        if name:
            values["constituency"] = None
            if row.term is None:
                if region and label and level:
                    congress = Level(level).label.removesuffix("代表")
                    row.errors["选区"] = (
                        f"系统中没有该{congress}{label}的记录，无法匹配选区“{name}”"
                    )
            elif (row.term.pk, name) in self.constituencies:
                values["constituency"] = self.constituencies[(row.term.pk, name)]
            else:
                row.errors["选区"] = f"{row.term}没有名为“{name}”的选区"
        elif "constituency" in values:
            values["constituency"] = None
        for field_name, kind in GROUP_FIELDS.items():
            if field_name in values:
                values[field_name] = self._group(row, field_name, kind, region)

    def _region(self, row: CheckedRow) -> Region | None:
        text = row.values.get("region")
        if not text:
            return None
        header = BY_FIELD["region"].header
        candidates = (
            [self.regions_by_code[text]]
            if text in self.regions_by_code
            else self.regions_by_name.get(text, [])
        )
        inside = [r for r in candidates if self.scope is None or r.is_within(self.scope)]
        if len(inside) == 1:
            return inside[0]
        if len(inside) > 1:
            row.errors[header] = f"有多个名为“{text}”的区划，请改填区划代码"
        elif candidates:
            row.errors[header] = f"“{text}”不在您的管理范围"
        else:
            row.errors[header] = f"未找到乡镇（街道）“{text}”，请填写系统中的名称或区划代码"
        return None

    def _group(self, row: CheckedRow, field_name: str, kind: str, region: Region | None):
        name = row.values.get(field_name)
        if not name:
            return None
        header = BY_FIELD[field_name].header
        # A group of the person's place, a place above it, or a place within it.
        candidates = [
            group
            for group in self.groups.get((kind, name), [])
            if region
            and (region.code.startswith(group.region.code) or group.region.is_within(region))
        ]
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            row.errors[header] = f"有多个名为“{name}”的{header}，请在系统中改名后再导入"
        elif region:
            row.errors[header] = f"{region.name}没有名为“{name}”的{header}"
        return None


def _same(a, b) -> bool:
    if isinstance(a, models.Model) or isinstance(b, models.Model):
        return getattr(a, "pk", None) == getattr(b, "pk", None)
    return (a if a is not None else "") == (b if b is not None else "")


def _differing(a: dict, b: dict, fields: Iterable[str]) -> list[str]:
    return [BY_FIELD[f].header for f in fields if not _same(a.get(f), b.get(f))]


def _check_duplicates(rows: list[CheckedRow], fields: set) -> None:
    """Rows with the same ID number are the same person: fine at different
    levels with the same personal details, a duplicate otherwise."""
    by_number = defaultdict(list)
    for row in rows:
        if row.id_number:
            by_number[row.id_number.number].append(row)
    person_fields = [c.field for c in COLUMNS if c.of_person and c.field in fields]
    for same in by_number.values():
        if len(same) < 2:
            continue
        for row in same:
            for other in same:
                if other is row:
                    continue
                if (row.values.get("level"), row.values.get("term_label")) == (
                    other.values.get("level"),
                    other.values.get("term_label"),
                ):
                    message = f"与第{other.row}行的公民身份号码重复"
                elif differing := _differing(row.values, other.values, person_fields):
                    message = f"与第{other.row}行是同一公民身份号码，但{'、'.join(differing)}不一致"
                else:
                    continue
                previous = row.errors.get("公民身份号码")
                row.errors["公民身份号码"] = f"{previous}；{message}" if previous else message


def _compare_with_stored(row: CheckedRow, person: Person, fields: set, scope) -> None:
    if scope is not None and not person.region.is_within(scope):
        # Say no more about someone the importer may not see.
        row.errors.setdefault(
            "公民身份号码", "该公民身份号码已登记为您管理范围以外的代表，请与上级人大核实"
        )
        return
    row.person = person
    mandate = next(
        (
            m
            for m in person.mandates.all()
            if (m.level, m.term_label) == (row.values.get("level"), row.values.get("term_label"))
        ),
        None,
    )
    compared = [
        c.field
        for c in COLUMNS
        if c.field in fields
        and c.kind != "seq"
        and c.header not in row.errors
        and (c.of_person or mandate is not None)
    ]
    differing = _differing(row.values, stored_values(person, mandate), compared)
    if differing:
        row.errors.setdefault(
            "公民身份号码",
            f"系统中已有该公民身份号码的代表“{person.name}”，"
            f"{'、'.join(differing)}与系统中的不同；已有代表的信息请在代表页面修改",
        )
    elif not row.errors:
        row.action = UNCHANGED if mandate is not None else NEW_MANDATE


# --- writing ---------------------------------------------------------------------


def roster_write(
    check: RosterCheck, *, actor, progress: Callable[[int], None] | None = None
) -> tuple[int, list[dict]]:
    """Write the rows `roster_check` passed: each row (person, mandate, group
    memberships) whole or not at all. Returns (rows written, problems of rows
    the database refused).

    Rows go in chunks, each in one transaction; when the database refuses a
    chunk (someone stored one of its deputies since the check) the chunk is
    written again row by row, each in its own savepoint, so only the refused
    rows are left out."""
    written, problems, created = 0, [], {}
    rows = check.to_write
    for start in range(0, len(rows), WRITE_CHUNK):
        chunk = rows[start : start + WRITE_CHUNK]
        try:
            with transaction.atomic():
                created.update(_write_rows(chunk, actor=actor, created=created))
            written += len(chunk)
        except (ValidationError, DatabaseError):
            for row in chunk:
                try:
                    with transaction.atomic():
                        created.update(_write_rows([row], actor=actor, created=created))
                except (ValidationError, DatabaseError) as error:
                    problems.append(_problem(row.row, "", f"写入失败：{_error_text(error)}"))
                else:
                    written += 1
        if progress:
            progress(written)
    return written, problems


def _write_rows(rows: list[CheckedRow], *, actor, created: dict) -> dict:
    """Insert the persons, mandates and group memberships of checked rows in
    a few bulk statements, with history naming the actor. Returns the persons
    created, by ID number.

    The rows were checked field by field against the same rules the model
    holds and the database enforces the rest (one person per ID number, one
    mandate per level and term); per-row `person_save` with `full_clean`
    costs about 8 ms a row, 40 s for a county's 5,000. A new person is in no
    group yet, so `group_add_member` reduces to inserting the membership."""
    new = {}  # ID number -> (person, the first row with it)
    for row in rows:
        number = row.values["id_number"]
        if row.person is None and number not in created and number not in new:
            person = Person(
                **{name: row.values[name] for name in PERSON_FIELDS if name in row.values}
            )
            # The search keys person_save keeps (see renda.deputies.names).
            person.name_pinyin, person.name_initials = pinyin_keys(person.name)
            new[number] = (person, row)
    bulk_create_with_history([person for person, _ in new.values()], Person, user=actor)
    GroupMembership.objects.bulk_create(
        GroupMembership(group=group, person=person, group_kind=group.kind)
        for person, row in new.values()
        for group in (row.values.get(name) for name in GROUP_FIELDS)
        if group
    )
    mandates = [
        Mandate(
            person=row.person
            or created.get(row.values["id_number"])
            or new[row.values["id_number"]][0],
            level=row.values["level"],
            term=row.term,
            term_label=row.values["term_label"],
            constituency=row.values.get("constituency"),
            elected_on=row.values["elected_on"],
            reelected=row.values.get("reelected", False),
        )
        for row in rows
    ]
    bulk_create_with_history(mandates, Mandate, user=actor)
    return {number: person for number, (person, _) in new.items()}


def _error_text(error) -> str:
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    logger.warning("roster row refused by the database: %r", error)
    return "数据库拒绝写入（可能与他人同时录入了同一代表）"


# --- the import job (page and task) ---------------------------------------------


def _job_update(pk: int, **fields) -> None:
    RosterImport.objects.filter(pk=pk).update(**fields)


def _job_move(pk: int, from_status: str, to_status: str, **fields) -> bool:
    """Compare-and-swap: True when this caller made the move."""
    return bool(
        RosterImport.objects.filter(pk=pk, status=from_status).update(status=to_status, **fields)
    )


def roster_import_start(*, upload, region: Region, actor) -> RosterImport:
    """Keep an uploaded roster and queue its check."""
    from renda.deputies.tasks import roster_import_check_task

    with transaction.atomic():
        job = RosterImport.objects.create(
            file=upload, original_name=upload.name[:200], region=region, created_by=actor
        )
        transaction.on_commit(lambda: roster_import_check_task(job.pk))
    return job


def roster_import_confirm(*, job: RosterImport, actor) -> bool:
    """Queue the writing of a checked import; False if it was not waiting
    for confirmation (already confirmed by someone else, or not checked)."""
    from renda.deputies.tasks import roster_import_write_task

    with transaction.atomic():
        if not _job_move(job.pk, ImportStatus.CHECKED, ImportStatus.WRITING):
            return False
        audit_record(actor=actor, action="roster_import_confirm", record=job)
        transaction.on_commit(lambda: roster_import_write_task(job.pk, actor.pk))
    return True


def _check_job(job: RosterImport) -> RosterCheck | None:
    def progress(done, total):
        _job_update(job.pk, processed_rows=done, total_rows=total)

    try:
        with job.file.open("rb") as file:
            return roster_check(file, scope=job.region, progress=progress)
    except (RosterFileError, OSError) as error:
        message = str(error) if isinstance(error, RosterFileError) else "上传的文件已不存在"
    except Exception:
        logger.exception("roster import %s failed", job.pk)
        message = "校验时发生内部错误，请联系系统管理员"
    _job_update(job.pk, status=ImportStatus.FAILED, error=message, finished_at=timezone.now())
    return None


def roster_import_run_check(import_id: int) -> None:
    """The check step of an uploaded roster (run by the Huey task)."""
    job = RosterImport.objects.select_related("region").get(pk=import_id)
    if not _job_move(job.pk, ImportStatus.UPLOADED, ImportStatus.CHECKING):
        return
    result = _check_job(job)
    if result is None:
        return
    _job_update(
        job.pk,
        status=ImportStatus.CHECKED,
        total_rows=result.total_rows,
        processed_rows=result.total_rows,
        good_rows=result.good_rows,
        unchanged_rows=result.unchanged_rows,
        problems=result.problems,
    )


def roster_import_run_write(import_id: int, actor_id: int) -> None:
    """The write step after confirmation (run by the Huey task); the history
    of every record written names `actor_id`, who confirmed. The file is
    checked again first, so rows stored by someone else since are not written
    twice."""
    job = RosterImport.objects.select_related("region").get(pk=import_id)
    actor = User.objects.get(pk=actor_id)
    if job.status != ImportStatus.WRITING:
        return
    result = _check_job(job)
    if result is None:
        return
    _job_update(
        job.pk,
        good_rows=result.good_rows,
        unchanged_rows=result.unchanged_rows,
        problems=result.problems,
        written_rows=0,
    )
    try:
        written, refused = roster_write(
            result,
            actor=actor,
            progress=lambda done: _job_update(job.pk, written_rows=done),
        )
    except Exception:
        logger.exception("roster import %s failed while writing", job.pk)
        _job_update(
            job.pk,
            status=ImportStatus.FAILED,
            error="写入时发生内部错误，已写入的行保留，请联系系统管理员",
            finished_at=timezone.now(),
        )
        return
    problems = sorted(result.problems + refused, key=lambda p: p["row"])
    _job_move(
        job.pk,
        ImportStatus.WRITING,
        ImportStatus.DONE,
        written_rows=written,
        problems=problems,
        finished_at=timezone.now(),
    )
