"""A deputy's archive (履职档案) is read from what is already recorded: the
records an organiser entered, the deputy's own entries once verified,
suggestions, receptions, duty reports and the score, each for those who
may see it, in a fixed number of queries; as a page, a PDF with Chinese
text, and a yearly workbook for the office."""

import datetime
import io

import openpyxl
from django.urls import reverse
from pypdf import PdfReader

from renda.core.tests.helpers import assert_pinned_queries, assert_waits_for_a_county, options
from renda.duties import services
from renda.duties.models import Attendance, DutyKind
from renda.opinions import services as opinions
from renda.suggestions import services as suggestions


def _archive(client, world, year=2026):
    return client.get(reverse("duties:archive", kwargs={"pk": world.person.pk, "year": year}))


def test_archive_shows_activity_records_and_verified_entries_but_not_pending_ones(
    world, client_for
):
    response = _archive(client_for("township"), world)
    assert response.status_code == 200
    html = response.content.decode()
    assert "视察东河村饮水安全工程" in html  # from the activity, with its evidence link
    assert reverse("duties:activity_detail", args=[world.activity.pk]) in html
    assert "走访五保户赵大爷" in html  # her own entry, verified
    assert "了解冬季取暖困难" in html
    assert "调解东河村两户宅基地纠纷" not in html  # her own entry still pending
    assert "另有 1 条本人填报的记录待核实" in html
    assert "关于修缮东河村通组公路的建议" in html  # led by her
    assert "东河村选区选民代表" in html  # her duty report
    assert 'data-testid="archive-score"' in html and "22.0" in html


def test_the_score_is_shown_to_the_deputy_but_not_to_the_liaison_officer(world, client_for):
    own = _archive(client_for("deputy"), world).content.decode()
    assert "走访五保户赵大爷" in own and 'data-testid="archive-score"' in own
    liaison = _archive(client_for("liaison"), world).content.decode()
    assert "走访五保户赵大爷" in liaison
    assert 'data-testid="archive-score"' not in liaison and "履职积分" not in liaison


def test_a_deputy_cannot_open_another_deputys_archive(world, client_for):
    client = client_for("deputy")
    url = reverse("duties:archive", kwargs={"pk": world.county_person.pk, "year": 2026})
    assert client.get(url).status_code == 404
    assert client.get(reverse("duties:archive_index")).status_code == 302


def test_a_term_archive_spans_the_years_of_the_term(world, client_for):
    url = reverse("duties:archive_term", kwargs={"pk": world.person.pk, "term": world.term.pk})
    response = client_for("county").get(url)
    assert response.status_code == 200
    assert "视察东河村饮水安全工程" in response.content.decode()
    # A term the deputy never held is not hers.
    other = reverse(
        "duties:archive_term", kwargs={"pk": world.person.pk, "term": world.other_session.term.pk}
    )
    assert client_for("county").get(other).status_code == 404


def test_the_archive_pdf_carries_its_chinese_text(world, client_for):
    url = reverse("duties:archive_pdf", kwargs={"pk": world.person.pk, "year": 2026})
    response = client_for("township").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    # The title is letter-spaced, so the extracted text has spaces between its characters.
    text = "".join("".join(page.extract_text() for page in pages).split())
    for expected in ("人大代表履职档案", "王春燕", "视察东河村饮水安全工程", "走访五保户赵大爷"):
        assert expected in text
    assert "调解东河村两户宅基地纠纷" not in text
    assert "第1页" in text


def _add_rows(world, n=4):
    """More of every kind of row the archive reads, for 王春燕."""
    clerk, deputy = world.user("township"), world.user("deputy")
    for i in range(n):
        day = datetime.date(2026, 3 + i, 10)
        services.activity_create(
            actor=clerk,
            region=world.township,
            kind=DutyKind.SURVEY,
            title=f"调研第{i}次",
            held_on=day,
            organiser_station=world.station,
            participants={
                world.person: Attendance.PRESENT,
                world.county_person: (Attendance.LEAVE, "外出"),
            },
        )
        entry = services.entry_submit(
            actor=deputy,
            person=world.person,
            kind=DutyKind.PRACTICAL,
            occurred_on=day,
            title=f"办实事{i}",
            note="协调解决。",
        )
        services.entry_verify(record=entry, actor=clerk)
        opinions.reception_record(
            actor=world.user("liaison"),
            region=world.village,
            station=world.station,
            kind="ad_hoc",
            held_on=day,
            deputies=[world.person],
            people_received=3,
        )
        item = suggestions.suggestion_draft(
            entered_by=clerk,
            congress=world.township_congress,
            occasion="interim",
            title=f"关于第{i}件事的建议",
            body="建议。",
            lead=world.county_person,
            co_signers=[world.person],
        )
        suggestions.suggestion_submit(suggestion=item, actor=clerk)
        services.duty_report_record(
            actor=clerk,
            person=world.person,
            reported_on=day,
            audience=f"第{i}选区选民",
            attendees=10,
            satisfied=9,
        )


def test_the_archive_reads_a_fixed_number_of_queries_however_many_records(world, client_for):
    client = client_for("township")

    def load():
        response = _archive(client, world)
        assert response.status_code == 200

    assert_pinned_queries(load, lambda: _add_rows(world), expected=25)
    html = _archive(client, world).content.decode()
    assert "调研第3次" in html and "办实事3" in html and "关于第3件事的建议" in html


def test_the_yearly_export_summarises_each_deputy_and_lists_every_record(world, client_for):
    client = client_for("township")
    url = reverse("duties:archive_export")

    def export():
        response = client.get(url, {"region": world.township.pk, "year": 2026})
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    assert_pinned_queries(export, lambda: _add_rows(world, 2), expected=15)
    book = openpyxl.load_workbook(io.BytesIO(export()))
    summary = list(book["代表履职汇总"].iter_rows(values_only=True))
    header = summary[2]
    rows = {row[1]: dict(zip(header, row, strict=True)) for row in summary[3:]}
    assert set(rows) == {"王春燕", "张三"}
    wang = rows["王春燕"]
    assert (wang["视察"], wang["调研"], wang["为民办实事"]) == (1, 2, 2)
    assert (wang["出席"], wang["缺席"], wang["出勤率"]) == (3, 0, "100%")
    assert wang["领衔建议（件）"] == 1 and wang["联名建议（件）"] == 2
    assert rows["张三"]["请假"] == 2 and rows["张三"]["出勤率"] == "0%"
    assert wang["年度积分"] is not None and wang["等次"]
    records = list(book["履职记录"].iter_rows(values_only=True))
    titles = [row[5] for row in records[1:]]
    assert "走访五保户赵大爷" in titles and "调解东河村两户宅基地纠纷" not in titles
    link = next(row[11] for row in records[1:] if row[5] == "视察东河村饮水安全工程")
    assert link.endswith(reverse("duties:activity_detail", args=[world.activity.pk]))


def test_a_bad_year_gets_a_message_naming_the_field(world, client_for):
    response = client_for("township").get(reverse("duties:archive_index"), {"year": "20x6"})
    assert "年度：请填写四位数的年份" in response.content.decode()
    export = client_for("township").get(reverse("duties:archive_export"), {"year": "1900"})
    assert export.status_code == 400
    assert "年度不能早于2000年" in export.content.decode()


def test_the_index_finds_a_deputy_by_name_full_pinyin_or_initials(world, client_for):
    client = client_for("township")
    for q in ("张", "zhangsan", "zs"):
        page = client.get(reverse("duties:archive_index"), {"q": q}).context["page"]
        assert [person.name for person in page] == ["张三"], q


def test_province_staff_pick_a_county_or_a_township_before_the_yearly_export(
    world, province, baisha, client
):
    client.force_login(province["user"])
    index = client.get(reverse("duties:archive_index"), {"year": 2026})
    names = {person.name for person in index.context["page"]}
    assert {world.person.name, baisha.name} <= names  # the index covers the province
    html = index.content.decode()
    assert_waits_for_a_county(html, province, "region")
    assert 'data-testid="archive-export"' not in html

    url = reverse("duties:archive_export")
    refused = client.get(url, {"year": 2026})
    assert refused.status_code == 400
    assert "年度归档表请先选择县（市、区）或乡镇" in refused.content.decode()

    picked = client.get(reverse("duties:archive_index"), {"year": 2026, "area": "990122"})
    assert options(picked.content.decode(), "region") == {str(province["township"].pk)}
    assert "area=990122" in picked.context["export_query"]
    response = client.get(url, {"year": 2026, "area": "990122"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    summary = list(book["代表履职汇总"].iter_rows(values_only=True))
    assert summary[0][0] == "邻县2026年度代表履职档案汇总"
    assert [row[1] for row in summary[3:]] == [baisha.name]
    records = list(book["履职记录"].iter_rows(values_only=True))
    assert {row[1] for row in records[1:]} == {baisha.name}
