"""The roster workbook: export, import checks, writing, the import pages and
the import_roster command."""

import datetime
import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from openpyxl import Workbook, load_workbook

from renda.core.models import AuditEvent
from renda.core.tests.helpers import assert_pinned_queries, count_queries
from renda.deputies import roster_io
from renda.deputies.idcard import check_character
from renda.deputies.models import (
    GroupMembership,
    ImportStatus,
    Mandate,
    Person,
    RosterImport,
)
from renda.deputies.roster_io import (
    COLUMNS,
    RosterFileError,
    roster_check,
    roster_workbook,
    roster_write,
)
from renda.deputies.tests import factories as d

HEADERS = [column.header for column in COLUMNS]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(HUEY, "immediate", True)


# --- building test workbooks -------------------------------------------------------


def make_id(birth: datetime.date, seq: int, *, male: bool, area: str = "990121") -> str:
    order = (seq % 500) * 2 + (1 if male else 0)  # odd for men, even for women
    first17 = f"{area}{birth:%Y%m%d}{order:03d}"
    return first17 + check_character(first17)


def roster_row(i: int, **changes) -> dict:
    """A good row for 青山镇 (the township of the `world` cast), varied in the
    ways real files vary: region by name or code, dates as Excel dates or text."""
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=3 * i)
    male = i % 2 == 0
    elected = ["2021-11-20", "2021.11.20", "2021年11月20日", datetime.date(2021, 11, 20)][i % 4]
    row = {
        "序号": i + 1,
        "姓名": f"代表{i}",
        "性别": "男" if male else "女",
        "民族": "汉族",
        "出生日期": birth if i % 2 else birth.strftime("%Y-%m-%d"),
        "公民身份号码": make_id(birth, i, male=male),
        "政治面貌": "中共党员" if i % 3 else "群众",
        "职业类别": "农民",
        "文化程度": "高中（中专）",
        "工作单位及职务": f"东河村第{i % 9 + 1}组村民",
        "手机号码": f"139{i:08d}",
        "所属乡镇（街道）": "990121101" if i % 7 == 0 else "青山镇",
        "代表层级": "乡镇人大代表",
        "届次": "第十八届",
        "选区": "青山镇第1选区" if i % 10 == 0 else "",
        "当选日期": elected,
        "是否连任": "是" if i % 5 == 0 else "否",
        "代表小组": "青山镇第一代表小组" if i % 11 == 0 else "",
        "专业课题组": "产业发展课题组" if i % 13 == 0 else "",
        "承诺事项": "每月走访选民一次" if i % 17 == 0 else "",
    }
    row.update(changes)
    return row


def workbook_file(rows, *, headers=HEADERS, title="青山镇人大代表花名册", blank_rows=0):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    if title:
        sheet.append([title])
    for _ in range(blank_rows):
        sheet.append([])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return output


def saved(workbook) -> io.BytesIO:
    output = io.BytesIO()
    workbook.save(output)
    output.seek(0)
    return output


def positions(problems) -> set:
    return {(p["row"], p["column"]) for p in problems}


def import_rows(rows, world, **kwargs):
    result = roster_check(workbook_file(rows, **kwargs), scope=world.township)
    written, refused = roster_write(result, actor=world.user("township"))
    assert not refused
    return result, written


# --- the acceptance test ------------------------------------------------------------


def test_a_5000_row_roster_lists_every_mistake_writes_only_good_rows_and_reimports_unchanged(
    world,
):
    started = time.monotonic()
    # Row 100 is already stored exactly as the file has it; row 90's person is
    # stored with another mobile number.
    import_rows([roster_row(100)], world)
    d.PersonFactory(
        name="代表90",
        id_number=roster_row(90)["公民身份号码"],
        birth_date=datetime.date(1960, 1, 1) + datetime.timedelta(days=270),
        region=world.township,
        mobile="13700000000",
    )
    rows = [roster_row(i) for i in range(5000)]
    bad_id = rows[10]["公民身份号码"]
    rows[10]["公民身份号码"] = bad_id[:17] + ("0" if bad_id[17] != "0" else "1")
    rows[20]["出生日期"] = "1960-02-02"
    rows[30]["性别"] = "女"
    rows[40]["所属乡镇（街道）"] = "不存在镇"
    rows[50]["所属乡镇（街道）"] = "龙泉镇"
    rows[61].update(
        {key: rows[60][key] for key in ("公民身份号码", "性别", "出生日期")}
    )  # the same person as row 60
    rows[70]["姓名"] = ""
    rows[80]["政治面貌"] = "党员"

    result = roster_check(workbook_file(rows), scope=world.township)

    assert positions(result.problems) == {
        (13, "公民身份号码"),
        (23, "出生日期"),
        (33, "性别"),
        (43, "所属乡镇（街道）"),
        (53, "所属乡镇（街道）"),
        (63, "公民身份号码"),
        (64, "公民身份号码"),
        (73, "姓名"),
        (83, "政治面貌"),
        (93, "公民身份号码"),
    }
    messages = {(p["row"], p["column"]): p["message"] for p in result.problems}
    assert "校验位" in messages[(13, "公民身份号码")]
    assert "1960-03-01" in messages[(23, "出生日期")]
    assert "不在您的管理范围" in messages[(53, "所属乡镇（街道）")]
    assert "第64行" in messages[(63, "公民身份号码")]
    assert "第63行" in messages[(64, "公民身份号码")]
    assert "中共党员" in messages[(83, "政治面貌")]
    assert "手机号码" in messages[(93, "公民身份号码")]
    assert (result.total_rows, result.good_rows, result.unchanged_rows) == (5000, 4989, 1)

    written, refused = roster_write(result, actor=world.user("township"))

    assert (written, refused) == (4989, [])
    bad = {10, 20, 30, 40, 50, 60, 61, 70, 80, 90}
    good_ids = [rows[i]["公民身份号码"] for i in range(5000) if i not in bad]
    stored = Person.objects.filter(id_number__in=good_ids)
    assert stored.count() == 4990  # 4,989 written and row 100 from before
    assert not Person.objects.filter(
        id_number__in=[rows[i]["公民身份号码"] for i in bad - {90}]
    ).exists()
    assert Person.objects.get(id_number=rows[90]["公民身份号码"]).mobile == "13700000000"
    assert Mandate.objects.filter(person__in=stored, term=world.term).count() == 4990
    assert Mandate.objects.filter(person__in=stored, constituency=world.constituency).count() == (
        len([i for i in range(0, 5000, 10) if i not in bad])
    )
    assert GroupMembership.objects.filter(group=world.group, person__in=stored).count() == len(
        [i for i in range(0, 5000, 11) if i not in bad]
    )

    export = saved(roster_workbook(stored, reveal_private=True))
    again = roster_check(export, scope=world.township)

    assert again.problems == []
    assert (again.total_rows, again.unchanged_rows, again.good_rows) == (4990, 4990, 0)
    assert roster_write(again, actor=world.user("township")) == (0, [])
    assert Person.objects.filter(id_number__in=good_ids).count() == 4990
    assert time.monotonic() - started < 60  # a few seconds on a laptop; generous for CI


# --- export ---------------------------------------------------------------------------


def test_an_export_has_a_title_bold_headers_and_a_row_per_current_mandate(world):
    import_rows([roster_row(1), roster_row(2, 代表小组="青山镇第一代表小组")], world)
    person = Person.objects.get(name="代表1")
    Mandate.objects.create(
        person=person, level="county", term_label="第十八届", elected_on=datetime.date(2021, 11, 1)
    )
    Mandate.objects.create(
        person=person,
        level="township",
        term_label="第十七届",
        elected_on=datetime.date(2016, 11, 1),
        ended_on=datetime.date(2021, 11, 19),
        end_reason="term_ended",
    )

    workbook = load_workbook(
        saved(
            roster_workbook(Person.objects.filter(name__in=["代表1", "代表2"]), reveal_private=True)
        )
    )
    sheet = workbook.active

    assert sheet["A1"].value == "人大代表花名册"
    assert [cell.value for cell in sheet[2]] == HEADERS
    assert sheet["B2"].font.bold
    assert sheet.freeze_panes == "C3"
    data = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    by_person = [(row[1], row[12], row[13]) for row in data]
    assert by_person == [
        ("代表1", "县人大代表", "第十八届"),
        ("代表1", "乡镇人大代表", "第十八届"),
        ("代表2", "乡镇人大代表", "第十八届"),
    ]
    assert data[2][HEADERS.index("代表小组")] == "青山镇第一代表小组"
    # Dates are real Excel dates (openpyxl reads them back as naive datetimes).
    assert data[0][HEADERS.index("出生日期")].date() == datetime.date(1960, 1, 4)


def test_an_export_masks_private_fields_unless_revealed(world):
    import_rows([roster_row(1)], world)
    sheet = load_workbook(saved(roster_workbook(Person.objects.all(), reveal_private=False))).active
    number = roster_row(1)["公民身份号码"]
    row = {
        header: sheet.cell(row=3, column=index + 1).value for index, header in enumerate(HEADERS)
    }
    assert row["公民身份号码"] == number[:6] + "********" + number[-4:]
    assert row["出生日期"] is None
    mobile = roster_row(1)["手机号码"]
    assert row["手机号码"] == (mobile[:3] + "****" + mobile[-4:] if mobile else None)


def test_office_staff_download_full_ids_under_a_chinese_file_name_and_are_audited(
    world, client_for
):
    import_rows([roster_row(1)], world)
    response = client_for("township").get(reverse("deputies:roster_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "filename*=utf-8''" in response["Content-Disposition"].lower()
    assert "%E8%8A%B1%E5%90%8D%E5%86%8C" in response["Content-Disposition"]  # 花名册
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A1"].value == "青山镇人大代表花名册"
    assert roster_row(1)["公民身份号码"] in [c.value for c in sheet["F"]]
    assert AuditEvent.objects.filter(actor=world.user("township"), action="roster_export").exists()


def test_deputies_download_the_roster_with_masked_ids(world, client_for):
    import_rows([roster_row(1)], world)
    response = client_for("deputy").get(reverse("deputies:roster_export"))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    ids = [c.value for c in sheet["F"][2:]]
    assert ids and all("********" in value for value in ids if value)
    assert not AuditEvent.objects.filter(action="roster_export").exists()


def test_the_other_township_exports_only_its_own_deputies(world, client_for):
    import_rows([roster_row(1)], world)
    response = client_for("other_township").get(reverse("deputies:roster_export"))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet["B"][2:]] == ["李四"]


def test_the_export_takes_the_roster_pages_filters_and_ignores_bad_ones(world, client_for):
    import_rows([roster_row(1), roster_row(2, 代表层级="县人大代表")], world)
    client = client_for("township")

    def names(query):
        response = client.get(reverse("deputies:roster_export") + query)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return sheet["A1"].value, sorted(c.value for c in sheet["B"][2:])

    assert names("?level=county") == ("青山镇县人大代表花名册", ["代表2", "张三"])
    assert names("?q=代表1") == ("青山镇人大代表花名册", ["代表1"])
    assert names("?group=abc&level=nonsense&station=1%27") == (
        "青山镇人大代表花名册",
        ["代表1", "代表2", "张三", "王春燕"],
    )


def test_export_query_count_does_not_grow_with_rows(world, client_for):
    client = client_for("county")

    def export():
        response = client.get(reverse("deputies:roster_export"))
        assert response.status_code == 200
        b"".join(response.streaming_content)

    def add_rows():
        for _ in range(30):
            person = d.PersonFactory(region=world.township)
            d.MandateFactory(person=person, term=world.term, constituency=world.constituency)
            d.GroupFactory(region=world.township, members=[person])

    assert_pinned_queries(export, add_rows, expected=7)


# --- reading the file -------------------------------------------------------------


def test_the_header_row_is_found_without_a_title_after_blank_rows_in_any_column_order(world):
    headers = list(reversed(HEADERS))
    headers[headers.index("公民身份号码")] = "身份证号码"  # a common alias
    headers[headers.index("所属乡镇（街道）")] = "所属乡镇(街道)*"
    rows = [
        {
            **roster_row(1),
            "身份证号码": roster_row(1)["公民身份号码"],
            "所属乡镇(街道)*": "青山镇",
        }
    ]

    result = roster_check(
        workbook_file(rows, headers=headers, title=None, blank_rows=2), scope=world.township
    )

    assert result.problems == []
    assert result.good_rows == 1


def test_blank_rows_between_data_rows_are_skipped_and_row_numbers_stay_true(world):
    rows = [roster_row(1), {}, {}, roster_row(2, 姓名="")]
    result = roster_check(workbook_file(rows), scope=world.township)

    assert positions(result.problems) == {(6, "姓名")}
    assert result.total_rows == 2


def test_dates_may_be_excel_dates_or_written_in_the_chinese_ways(world):
    rows = [
        roster_row(1, 当选日期=value)
        for value in (
            datetime.datetime(2021, 11, 20),  # noqa: DTZ001 - an Excel date cell has no zone
            "2021-11-20",
            "2021.11.20",
            "2021/11/20",
            "2021年11月20日",
            "20211120",
        )
    ]
    for i, row in enumerate(rows):
        row["公民身份号码"] = make_id(
            datetime.date(1960, 1, 4), i, male=False
        )  # distinct people, same birth
    result = roster_check(workbook_file(rows), scope=world.township)

    assert result.problems == []
    assert {row.values["elected_on"] for row in result.to_write} == {datetime.date(2021, 11, 20)}


def test_a_date_that_cannot_be_read_names_the_accepted_forms(world):
    result = roster_check(workbook_file([roster_row(1, 当选日期="去年冬天")]), scope=world.township)
    assert positions(result.problems) == {(3, "当选日期")}
    assert "2021年11月20日" in result.problems[0]["message"]


def test_a_15_digit_id_number_is_accepted_and_stored_in_18_digit_form(world):
    row = roster_row(1, 公民身份号码="990121600104002", 出生日期="1960-01-04", 性别="女")
    import_rows([row], world)

    first17 = "99012119600104002"
    assert Person.objects.get(name="代表1").id_number == first17 + check_character(first17)


def test_an_id_number_stored_as_an_excel_number_is_refused_with_advice(world):
    number = int(roster_row(1)["公民身份号码"][:17] + "0")
    result = roster_check(workbook_file([roster_row(1, 公民身份号码=number)]), scope=world.township)
    assert "文本" in result.problems[0]["message"]


def test_a_missing_required_column_is_reported_once_at_the_header(world):
    headers = [h for h in HEADERS if h != "政治面貌"]
    result = roster_check(
        workbook_file([roster_row(1), roster_row(2)], headers=headers), scope=world.township
    )
    assert result.problems == [{"row": 2, "column": "政治面貌", "message": "表头缺少“政治面貌”列"}]
    assert result.good_rows == 0


def test_an_unknown_label_lists_the_allowed_ones(world):
    result = roster_check(
        workbook_file([roster_row(1, 文化程度="博士", 代表层级="镇人大代表")]),
        scope=world.township,
    )
    messages = {p["column"]: p["message"] for p in result.problems}
    assert "大学本科" in messages["文化程度"] and "研究生" in messages["文化程度"]
    assert "乡镇人大代表" in messages["代表层级"]


def test_a_place_is_found_by_name_or_division_code(world):
    rows = [roster_row(1, **{"所属乡镇（街道）": "990121101"}), roster_row(2)]
    result = roster_check(workbook_file(rows), scope=world.township)
    assert result.problems == []
    assert {row.values["region"] for row in result.to_write} == {world.township}


def test_unknown_groups_and_constituencies_are_errors(world):
    rows = [roster_row(1, 代表小组="没有这个小组", 专业课题组="青山镇第一代表小组", 选区="第9选区")]
    result = roster_check(workbook_file(rows), scope=world.township)
    assert positions(result.problems) == {(3, "代表小组"), (3, "专业课题组"), (3, "选区")}


def test_the_term_and_constituency_are_linked_when_the_congress_is_in_the_system(world):
    import_rows([roster_row(1, 届次="第18届", 选区="青山镇第1选区")], world)

    mandate = Mandate.objects.get(person__name="代表1")
    assert (mandate.term, mandate.term_label, mandate.constituency) == (
        world.term,
        "第十八届",
        world.constituency,
    )


def test_a_county_mandate_has_no_term_when_the_county_congress_has_none(world):
    import_rows([roster_row(1, 代表层级="县人大代表")], world)
    mandate = Mandate.objects.get(person__name="代表1")
    assert (mandate.level, mandate.term, mandate.term_label) == ("county", None, "第十八届")


def test_a_corrupt_file_is_refused_with_a_chinese_message():
    with pytest.raises(RosterFileError, match="Excel"):
        roster_check(io.BytesIO(b"PK\x03\x04 not really a workbook"), scope=None)


def test_a_file_that_unpacks_to_too_much_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(roster_io, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(RosterFileError, match="解压后超过"):
        roster_check(workbook_file([roster_row(i) for i in range(20)]), scope=None)


def test_a_workbook_without_a_roster_header_is_refused():
    workbook = Workbook()
    workbook.active.append(["随便", "什么"])
    with pytest.raises(RosterFileError, match="表头"):
        roster_check(saved(workbook), scope=None)


def test_checking_makes_the_same_number_of_queries_for_50_or_400_rows(world):
    rows = [roster_row(i) for i in range(400)]
    small, large = workbook_file(rows[:50]), workbook_file(rows)
    new_rows = (
        count_queries(lambda: roster_check(small, scope=world.township)),
        count_queries(lambda: roster_check(large, scope=world.township)),
    )
    import_rows(rows, world)
    small.seek(0)
    large.seek(0)
    stored_rows = (
        count_queries(lambda: roster_check(small, scope=world.township)),
        count_queries(lambda: roster_check(large, scope=world.township)),
    )
    assert new_rows[0] == new_rows[1]
    assert stored_rows[0] == stored_rows[1]


# --- the database and the file together -------------------------------------------


def test_a_stored_person_in_a_new_term_gets_a_new_mandate_and_nothing_else_changes(world):
    import_rows([roster_row(1)], world)
    result, written = import_rows([roster_row(1, 届次="第十九届", 是否连任="是")], world)

    assert (result.good_rows, written) == (1, 1)
    person = Person.objects.get(name="代表1")
    assert sorted(person.mandates.values_list("term_label", "reelected")) == [
        ("第十九届", True),
        ("第十八届", False),
    ]


def test_one_person_at_two_levels_in_one_file_is_not_a_duplicate(world):
    rows = [roster_row(1), roster_row(1, 代表层级="县人大代表", 序号=2)]
    result, written = import_rows(rows, world)

    assert result.problems == []
    assert written == 2
    assert Person.objects.get(name="代表1").mandates.count() == 2


def test_one_id_number_with_different_personal_details_on_two_rows_is_refused(world):
    rows = [roster_row(1), roster_row(1, 代表层级="县人大代表", 手机号码="13000000000")]
    result = roster_check(workbook_file(rows), scope=world.township)

    assert positions(result.problems) == {(3, "公民身份号码"), (4, "公民身份号码")}
    assert "手机号码" in result.problems[0]["message"]


def test_a_person_stored_outside_the_importers_scope_is_refused_without_details(world):
    d.PersonFactory(
        name="龙泉镇的人",
        id_number=roster_row(1)["公民身份号码"],
        region=world.other_township,
    )
    result = roster_check(workbook_file([roster_row(1)]), scope=world.township)

    assert positions(result.problems) == {(3, "公民身份号码")}
    assert "管理范围以外" in result.problems[0]["message"]
    assert "龙泉镇的人" not in result.problems[0]["message"]


def test_a_row_refused_by_the_database_is_rolled_back_alone(world):
    result = roster_check(workbook_file([roster_row(1), roster_row(2)]), scope=world.township)
    # Someone stores the second person between the check and the write.
    d.PersonFactory(id_number=roster_row(2)["公民身份号码"], region=world.township, name="代表2")

    written, refused = roster_write(result, actor=world.user("township"))

    assert written == 1
    assert [p["row"] for p in refused] == [4]
    assert "写入失败" in refused[0]["message"]
    assert Person.objects.filter(name="代表2").count() == 1
    assert not Mandate.objects.filter(person__name="代表2").exists()


# --- the pages ------------------------------------------------------------------------


def upload(rows, name="青山镇花名册.xlsx"):
    return SimpleUploadedFile(name, workbook_file(rows).getvalue(), content_type=XLSX)


def test_office_staff_upload_check_confirm_and_see_the_counts(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("township")
    rows = [roster_row(1), roster_row(2), roster_row(3, 政治面貌="党员")]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("deputies:import_create"),
            {"file": upload(rows), "region": world.township.pk},
        )
    job = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deputies:import_detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.processed_rows, job.good_rows) == (
        ImportStatus.CHECKED,
        3,
        3,
        2,
    )

    status = client.get(reverse("deputies:import_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert status["HX-Refresh"] == "true"
    page = client.get(reverse("deputies:import_detail", args=[job.pk])).content.decode()
    assert "确认导入" in page and "第 5 行" in page and "“党员”不是可选的政治面貌" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("deputies:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.written_rows, len(job.problems)) == (ImportStatus.DONE, 2, 1)
    assert set(Person.objects.filter(region=world.township).values_list("name", flat=True)) >= {
        "代表1",
        "代表2",
    }
    assert not Person.objects.filter(name="代表3").exists()
    page = client.get(reverse("deputies:import_detail", args=[job.pk])).content.decode()
    assert "已写入" in page and "确认导入" not in page


def test_a_running_import_polls_its_status_with_htmx(world, client_for):
    job = RosterImport.objects.create(
        file="imports/x.xlsx",
        original_name="x.xlsx",
        region=world.township,
        created_by=world.user("township"),
        status=ImportStatus.CHECKING,
        total_rows=200,
        processed_rows=50,
    )
    client = client_for("township")
    page = client.get(reverse("deputies:import_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "25%" in page

    status = client.get(reverse("deputies:import_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in status
    assert "已校验 50 / 200 行" in status.content.decode()


def test_a_confirmed_import_cannot_be_confirmed_twice(world, client_for):
    job = RosterImport.objects.create(
        file="imports/x.xlsx",
        original_name="x.xlsx",
        region=world.township,
        created_by=world.user("township"),
        status=ImportStatus.WRITING,
    )
    response = client_for("township").post(
        reverse("deputies:import_confirm", args=[job.pk]), follow=True
    )
    assert "不在待确认状态" in response.content.decode()


def test_township_staff_cannot_import_into_another_township(world, client_for):
    response = client_for("township").post(
        reverse("deputies:import_create"),
        {"file": upload([roster_row(1)]), "region": world.other_township.pk},
    )
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in response.content.decode()
    assert not RosterImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("花名册.xls", b"\xd0\xcf\x11\xe0 old excel", "只能上传 .xlsx 文件"),
        ("花名册.xlsx", b"just some text", "不是 Excel 工作簿"),
    ],
)
def test_a_bad_upload_gets_a_chinese_message(world, client_for, name, content, message):
    response = client_for("township").post(
        reverse("deputies:import_create"),
        {"file": SimpleUploadedFile(name, content), "region": world.township.pk},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_file_over_10_mb_is_refused(world, client_for, monkeypatch):
    monkeypatch.setattr("renda.deputies.views.imports.MAX_UPLOAD_BYTES", 100)
    response = client_for("township").post(
        reverse("deputies:import_create"),
        {"file": upload([roster_row(1)]), "region": world.township.pk},
    )
    assert "不能超过 10 MB" in response.content.decode()


def test_a_damaged_workbook_fails_the_import_with_a_message_not_a_500(
    world, client_for, django_capture_on_commit_callbacks
):
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-xml")
    client = client_for("township")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("deputies:import_create"),
            {
                "file": SimpleUploadedFile("坏文件.xlsx", damaged.getvalue()),
                "region": world.township.pk,
            },
        )
    job = RosterImport.objects.get()
    assert job.status == ImportStatus.FAILED
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert "无法读取文件" in response.content.decode()


def test_the_import_list_shows_only_imports_in_scope(world, client_for):
    for region, user in ((world.township, "township"), (world.other_township, "other_township")):
        RosterImport.objects.create(
            file="imports/x.xlsx",
            original_name=f"{region.name}花名册.xlsx",
            region=region,
            created_by=world.user(user),
        )
    page = client_for("township").get(reverse("deputies:import_list")).content.decode()
    assert "青山镇花名册.xlsx" in page and "龙泉镇花名册.xlsx" not in page
    page = client_for("county").get(reverse("deputies:import_list")).content.decode()
    assert "青山镇花名册.xlsx" in page and "龙泉镇花名册.xlsx" in page


def test_the_import_list_query_count_does_not_grow_with_rows(world, client_for):
    client = client_for("county")

    def add_rows(count=20):
        for _ in range(count):
            RosterImport.objects.create(
                file="imports/x.xlsx",
                original_name="x.xlsx",
                region=world.township,
                created_by=world.user("township"),
                problems=[{"row": 3, "column": "姓名", "message": "必填，不能为空"}] * 100,
            )

    add_rows(1)
    assert_pinned_queries(lambda: client.get(reverse("deputies:import_list")), add_rows, expected=5)


# --- the command -----------------------------------------------------------------


def command_file(tmp_path, rows):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(workbook_file(rows).getvalue())
    return str(path)


def test_the_command_with_dry_run_lists_problems_and_writes_nothing(world, tmp_path):
    path = command_file(tmp_path, [roster_row(1), roster_row(2, **{"所属乡镇（街道）": "龙泉镇"})])
    out = io.StringIO()

    call_command("import_roster", path, "--dry-run", "--region", "990121101", stdout=out)

    assert "第4行 [所属乡镇（街道）] “龙泉镇”不在您的管理范围" in out.getvalue()
    assert "可导入 1 行" in out.getvalue()
    assert not Person.objects.filter(name__in=["代表1", "代表2"]).exists()


def test_the_command_writes_the_good_rows(world, tmp_path):
    path = command_file(tmp_path, [roster_row(1), roster_row(2, 姓名="")])
    out = io.StringIO()

    call_command("import_roster", path, "--user", "township", stdout=out)

    assert "已写入 1 行" in out.getvalue()
    person = Person.objects.get(name="代表1")
    assert person.history.first().history_user == world.user("township")


def test_the_command_fails_when_the_file_cannot_be_read(tmp_path, db):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nothing")
    with pytest.raises(CommandError, match="Excel"):
        call_command("import_roster", str(bad))
    with pytest.raises(CommandError, match="无法打开"):
        call_command("import_roster", str(tmp_path / "missing.xlsx"))


# --- in a browser -------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_the_progress_polls_until_checked_and_confirming_asks_first(
    world, live_server
):
    from django.core.files.base import ContentFile
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    from renda.core.tests.factories import PASSWORD
    from renda.deputies.roster_io import roster_import_run_check
    from renda.tests.browser import chromium, save_screenshot

    rows = [roster_row(1), roster_row(2), roster_row(3, 政治面貌="党员")]
    job = RosterImport.objects.create(
        file=ContentFile(workbook_file(rows).getvalue(), name="青山镇花名册.xlsx"),
        original_name="青山镇花名册.xlsx",
        region=world.township,
        created_by=world.user("township"),
    )
    driver = chromium()
    try:
        wait = WebDriverWait(driver, 10)
        driver.get(f"{live_server.url}/login/")
        driver.find_element(By.NAME, "username").send_keys("township")
        driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "button[type=submit].btn-renda").click()
        # Under load the sign-in answer can come after the next page is asked for.
        wait.until(lambda d: "/login/" not in d.current_url)
        driver.get(live_server.url + reverse("deputies:import_detail", args=[job.pk]))
        assert wait.until(
            EC.visibility_of_element_located((By.CSS_SELECTOR, ".progress"))
        ).is_displayed()

        roster_import_run_check(job.pk)  # the worker finishes while the page polls
        table = wait.until(
            EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=problems]"))
        )
        assert "“党员”不是可选的政治面貌" in table.text
        save_screenshot(driver, "roster_import_checked.png")

        driver.find_element(By.CSS_SELECTOR, "[data-bs-target='#confirm-import']").click()
        dialog = wait.until(EC.visibility_of_element_located((By.ID, "confirm-import")))
        assert "将写入 2 行" in dialog.text
        dialog.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(EC.text_to_be_present_in_element((By.TAG_NAME, "main"), "已导入"))
        counts = driver.find_element(By.CSS_SELECTOR, "[data-testid=import-counts]").text
        assert "已写入\n2" in counts
        save_screenshot(driver, "roster_import_done.png")
    finally:
        driver.quit()
    assert Person.objects.filter(name__in=["代表1", "代表2"]).count() == 2


def test_province_staff_print_and_export_a_county_s_roster_or_their_own_levels(
    world, province, client
):
    zhao = d.MandateFactory(person__name="赵六", person__region=province["township"]).person
    d.MandateFactory(person__name="钱七", person__region=province["township"], level="provincial")
    client.force_login(province["user"])
    for name in ("deputies:roster_export", "deputies:print"):
        response = client.get(reverse(name), {"party": "cpc"}, follow=True)
        assert response.redirect_chain == [(reverse("deputies:list") + "?party=cpc", 302)]
        assert "请先选择县（市、区），或选择市人大代表及以上的层级" in response.content.decode()

    def names(query):
        response = client.get(reverse("deputies:roster_export"), query)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return sorted(c.value for c in sheet["B"][2:])

    assert names({"area": "990122"}) == ["赵六", "钱七"]
    assert names({"level": "provincial"}) == ["钱七"]
    printed = client.get(reverse("deputies:print"), {"township": "990122101"})
    assert printed.status_code == 200 and zhao.name in printed.content.decode()
    # The import page's export menu offers what exports without a county.
    menu = client.get(reverse("deputies:import_list")).content.decode()
    export = reverse("deputies:roster_export")
    assert f'href="{export}"' not in menu and f'href="{export}?level=township"' not in menu
    assert f'href="{export}?level=provincial"' in menu and 'data-testid="export-by-county"' in menu
