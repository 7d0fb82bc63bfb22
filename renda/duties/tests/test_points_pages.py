"""The points scheme pages as a clerk and a deputy use them: scheme versions
and items edited through forms, score pages that show exactly what
renda.duties.points computes, corrections on the record, and scores kept
private until the office publishes them."""

import datetime
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from renda.core.tests.helpers import assert_pinned_queries, assert_waits_for_a_county, options
from renda.deputies.models import Mandate, Person
from renda.duties import points, services
from renda.duties.models import (
    Attendance,
    Correction,
    CorrectionStatus,
    DutyKind,
    DutyRecord,
    PointsScheme,
)


def _inspect(world, person, day, title="视察"):
    return services.activity_create(
        actor=world.user("township"),
        region=world.township,
        kind=DutyKind.INSPECTION,
        title=title,
        held_on=day,
        participants={person: Attendance.PRESENT},
    )


def test_a_clerk_creates_a_scheme_version_from_a_month_and_the_old_one_ends(world, client_for):
    client = client_for("county")
    url = reverse("duties:scheme_create")
    form = {
        "region": world.county.pk,
        "name": "测试县代表履职积分办法（2026年修订）",
        "effective_from": "2026-13",
        "source": "测人大常发〔2026〕12号",
        "scale": 100,
        "copy_items": "on",
        "band_label_1": "优秀",
        "band_min_1": 85,
        "band_label_2": "合格",
        "band_min_2": "",
        "star_min_5": 90,
        "star_min_4": 75,
    }
    response = client.post(url, form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "请按“2026-07”的格式选择月份" in page
    assert "请填写“合格”的最低分" in page
    assert PointsScheme.objects.count() == 1

    # Next month: a version that is not in force yet.
    coming = (timezone.localdate().replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    form.update(effective_from=f"{coming:%Y-%m}", band_min_2=60)
    response = client.post(url, form)

    scheme = PointsScheme.objects.get(name="测试县代表履职积分办法（2026年修订）")
    assert response.status_code == 302 and response["Location"] == scheme.get_absolute_url()
    assert scheme.effective_from == coming
    assert scheme.bands == [{"min": 85, "label": "优秀"}, {"min": 60, "label": "合格"}]
    assert scheme.stars == [{"min": 90, "stars": 5}, {"min": 75, "stars": 4}]
    assert sorted(scheme.items.values_list("name", flat=True)) == sorted(
        item.name for item in world.scheme_items.values()
    )
    world.scheme.refresh_from_db()
    assert world.scheme.effective_to == coming - datetime.timedelta(days=1)

    detail = client.get(scheme.get_absolute_url()).content.decode()
    assert "参加视察、调研" in detail and "视察（出席）" in detail
    assert 'data-testid="base-total">20.0<' in detail
    listing = client.get(reverse("duties:scheme_list")).content.decode()
    assert "未生效" in listing and "已失效" not in listing


def test_editing_an_item_on_its_page_recomputes_the_deputies_scores(world, client_for):
    item = world.scheme_items["inspection"]
    url = reverse("duties:scheme_item_edit", args=[item.pk])
    assert points.score_totals([world.person.pk], 2026)[world.person.pk] == Decimal("22.0")
    assert client_for("township").get(url).status_code == 403

    client = client_for("county")
    page = client.get(url).content.decode()
    assert 'value="inspection:present" id="kind-inspectionpresent" checked' in page
    assert "已计入“无故缺席活动”" in page
    taken = {
        "category": item.category_id,
        "name": item.name,
        "basis": "records",
        "points": "3",
        "cap": "10",
        "order": 1,
        "kinds": ["inspection:present", "inspection:absent"],
    }
    response = client.post(url, taken)
    assert response.status_code == 200
    assert "已由“无故缺席活动”计分" in response.content.decode()

    response = client.post(url, {**taken, "kinds": ["inspection:present"]})

    assert response.status_code == 302
    assert points.score_totals([world.person.pk], 2026)[world.person.pk] == Decimal("23.0")
    score = client_for("deputy").get(reverse("duties:my_score") + "?year=2026")
    assert 'data-testid="score-total">23.0<' in score.content.decode()


def test_score_pages_show_the_numbers_score_totals_computes(world, client_for):
    for month in range(3, 9):  # six more inspections: 14 points, capped at 10
        _inspect(world, world.person, datetime.date(2026, month, 5))
    totals = points.score_totals([world.person.pk, world.county_person.pk], 2026)
    assert totals[world.person.pk] == Decimal("30.0")

    staff = client_for("township").get(reverse("duties:score_list") + "?year=2026")
    shown = {row["person"].pk: row["total"] for row in staff.context["page"]}
    assert shown == totals
    assert staff.context["band_counts"] == [("优秀", 0), ("合格", 0), ("不合格", 2)]

    mine = client_for("deputy").get(reverse("duties:my_score") + "?year=2026")
    page = mine.content.decode()
    assert mine.context["total"] == totals[world.person.pk]
    assert mine.context["stars"] == 3 and mine.context["band"] == "不合格"
    assert "已达全年上限 10.0 分（按次数应计 14.0 分）" in page
    assert "遵纪守法基础分" in page and "张三" not in page

    detail = client_for("county").get(
        reverse("duties:score_detail", args=[world.person.pk]) + "?year=2026"
    )
    assert detail.context["total"] == totals[world.person.pk]

    export = client_for("township").get(reverse("duties:score_export") + "?year=2026")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = {row[1]: row[3] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows == {"王春燕": 30.0, "张三": float(totals[world.county_person.pk])}


def test_the_score_list_runs_the_same_queries_for_2_or_40_deputies(world, client_for):
    client = client_for("county")
    url = reverse("duties:score_list") + "?year=2026"

    def more_deputies():
        people = Person.objects.bulk_create(
            Person(
                name=f"代表{i}",
                gender="male",
                birth_date=datetime.date(1970, 1, 1),
                party="cpc",
                occupation="farmer",
                education="senior",
                region=world.other_township if i % 2 else world.township,
            )
            for i in range(40)
        )
        Mandate.objects.bulk_create(
            Mandate(person=p, level="township", elected_on=datetime.date(2021, 1, 1))
            for p in people
        )
        DutyRecord.objects.bulk_create(
            DutyRecord(
                person=p,
                kind=DutyKind.INSPECTION,
                occurred_on=datetime.date(2026, 5, 5),
                title="视察",
                entered_by=world.user("county"),
            )
            for p in people
        )
        points.score_recompute(year=2026, region=world.county)

    assert_pinned_queries(lambda: client.get(url).status_code == 200, more_deputies, expected=7)


def test_a_correction_request_and_its_answer_stay_on_the_record(world, client_for):
    deputy = client_for("deputy")
    response = deputy.post(reverse("duties:correction_create"), {"year": 2026, "reason": " "})
    assert response.status_code == 200
    assert "申请更正的理由：该字段是必填项。" in response.content.decode()
    response = deputy.post(
        reverse("duties:correction_create"),
        {
            "year": 2026,
            "item": world.scheme_items["award"].pk,
            "reason": "7月获评镇级优秀代表，没有加分。",
        },
    )
    assert response.status_code == 302
    correction = Correction.objects.get(reason="7月获评镇级优秀代表，没有加分。")
    url = correction.get_absolute_url()
    assert deputy.post(url, {"decision": "accept", "answer": "同意"}).status_code == 403

    staff = client_for("township")
    assert "7月获评镇级优秀代表" in staff.get(reverse("duties:correction_list")).content.decode()
    response = staff.post(url, {"decision": "accept", "answer": "", "award_points": "2"})
    page = response.content.decode()
    assert "处理意见：该字段是必填项。" in page
    assert "填写了调整分值，请选择调整积分的项目" in page
    response = staff.post(
        url,
        {
            "decision": "accept",
            "answer": "经核实属实，按办法加2分。",
            "award_item": world.scheme_items["award"].pk,
            "award_points": "2",
        },
    )

    assert response.status_code == 302
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.ACCEPTED
    assert correction.award.points == Decimal("2.0")
    assert points.score_totals([world.person.pk], 2026)[world.person.pk] == Decimal("24.0")
    timeline = [c.event for c in staff.get(url).context["timeline"]]
    assert timeline == ["requested", "accepted"]
    mine = client_for("deputy").get(reverse("duties:my_score") + "?year=2026").content.decode()
    assert "经核实属实，按办法加2分。（已调整 2.0 分）" in mine
    assert 'data-testid="score-total">24.0<' in mine


def test_a_deputy_sees_other_deputies_totals_only_through_a_publication(world, client_for):
    deputy = client_for("deputy")
    other = reverse("duties:score_detail", args=[world.county_person.pk])
    assert deputy.get(other).status_code == 403
    assert deputy.get(reverse("duties:score_list")).status_code == 403
    client_for("township").post(reverse("duties:publication_withdraw", args=[world.publication.pk]))
    deputy = client_for("deputy")
    detail = reverse("duties:publication_detail", args=[world.publication.pk])
    assert deputy.get(detail).status_code == 404
    assert not list(deputy.get(reverse("duties:publication_list")).context["publications"])

    response = client_for("township").post(
        reverse("duties:publication_create"),
        {
            "region": world.township.pk,
            "year": 2026,
            "title": "青山镇2026年10月代表履职积分公示",
            "as_of": "2026-10-31",
        },
    )

    assert response.status_code == 302
    deputy = client_for("deputy")
    listing = deputy.get(reverse("duties:publication_list")).content.decode()
    assert "青山镇2026年10月代表履职积分公示" in listing
    published = deputy.get(response["Location"])
    rows = {row["name"]: row["total"] for row in published.context["rows"]}
    totals = points.score_totals([world.county_person.pk], 2026)
    assert rows["张三"] == str(totals[world.county_person.pk])
    assert 'text-bg-warning">本人' in published.content.decode()


def test_without_a_scheme_the_pages_say_points_are_not_in_use(world, client_for):
    Correction.objects.all().delete()
    PointsScheme.objects.all().delete()
    for role, name in (("township", "duties:score_list"), ("deputy", "duties:my_score")):
        page = client_for(role).get(reverse(name)).content.decode()
        assert "本地未启用积分制" in page
    page = client_for("county").get(reverse("duties:scheme_list")).content.decode()
    assert "本地未启用积分制" in page and reverse("duties:scheme_create") in page


def test_province_staff_pick_a_county_before_the_score_table(world, province, baisha, client):
    client.force_login(province["user"])
    url = reverse("duties:score_list")
    waiting = client.get(url, {"year": 2026})
    assert waiting.context["notice"] == "积分表请先选择县（市、区）"
    assert list(waiting.context["page"]) == []
    assert_waits_for_a_county(waiting.content.decode(), province)
    assert 'name="township"' not in waiting.content.decode()
    export = client.get(reverse("duties:score_export"), {"year": 2026})
    assert export.status_code == 302 and export["Location"].startswith(url)

    picked = client.get(url, {"year": 2026, "area": world.county.code})
    names = {row["person"].name for row in picked.context["page"]}
    assert world.person.name in names and baisha.name not in names
    assert options(picked.content.decode(), "township") == {
        str(world.township.pk),
        str(world.other_township.pk),
    }
    other = client.get(reverse("duties:score_export"), {"year": 2026, "area": "990122"})
    sheet = load_workbook(BytesIO(other.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)] == [baisha.name]
