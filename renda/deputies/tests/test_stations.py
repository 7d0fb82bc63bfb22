"""Stations, reception schedules, standards checklists and assessments.

Expected reception days are written out by hand from the 2026 holiday notice
(国办发明电〔2025〕7号 as chinese_calendar carries it): 春节 2月15日-23日 off
(2月14日 Saturday and 2月28日 Saturday are make-up working days), 清明 4月4日-6日,
劳动节 5月1日-5日 (5月9日 Saturday worked), 国庆节 10月1日-7日 (10月10日 Saturday
worked). 2027 is not in the data yet.
"""

import datetime

import pytest
from django.urls import reverse

from renda.core.models import AuditEvent
from renda.core.tests.factories import UserFactory, VillageFactory
from renda.core.tests.helpers import assert_pinned_queries, assert_waits_for_a_county, options
from renda.deputies.models import (
    Assessment,
    Checklist,
    ReceptionSchedule,
    Station,
)
from renda.deputies.schedule import (
    describe_schedule,
    reception_days,
    upcoming_reception_days,
)
from renda.deputies.tests.factories import (
    AssessmentFactory,
    ChecklistFactory,
    PersonFactory,
    ScheduleFactory,
    StationFactory,
)

D = datetime.date


def rule(kind, **fields):
    """An unsaved schedule rule: the calendar arithmetic needs no database."""
    fields.setdefault("skip_holidays", True)
    return ReceptionSchedule(kind=kind, **fields)


def days(schedules, start, count):
    return [entry.day for entry in reception_days(schedules, start, count)]


# --- reception days -----------------------------------------------------------------


def test_weekly_tuesday_reception_skips_the_national_day_holiday():
    tuesdays = rule("weekly", weekday=1)
    assert days([tuesdays], D(2026, 9, 20), 4) == [
        D(2026, 9, 22),
        D(2026, 9, 29),
        # 10月6日 is a Tuesday inside 国庆节 (10月1日-7日): no reception.
        D(2026, 10, 13),
        D(2026, 10, 20),
    ]


def test_a_rule_that_does_not_skip_holidays_keeps_the_holiday_tuesday():
    tuesdays = rule("weekly", weekday=1, skip_holidays=False)
    assert days([tuesdays], D(2026, 9, 28), 3) == [D(2026, 9, 29), D(2026, 10, 6), D(2026, 10, 13)]


def test_the_first_weekend_is_the_first_saturday_and_the_sunday_after_it():
    weekend = rule("first_weekend", weekday=None)
    assert days([weekend], D(2026, 9, 1), 4) == [
        D(2026, 9, 5),
        D(2026, 9, 6),
        # October's first weekend (3rd, 4th) is inside 国庆节; November starts
        # on a Sunday, which is not a weekend of its own: the 7th and 8th are.
        D(2026, 11, 7),
        D(2026, 11, 8),
    ]


def test_a_month_starting_on_saturday_has_its_first_weekend_on_the_1st_and_2nd():
    assert days([rule("first_weekend")], D(2026, 7, 20), 2) == [D(2026, 8, 1), D(2026, 8, 2)]


def test_first_saturday_only_skips_qingming_and_labour_day_but_not_ordinary_weekends():
    saturdays = rule("first_weekend", weekday=5)
    assert days([saturdays], D(2026, 2, 1), 3) == [
        D(2026, 2, 7),  # an ordinary weekend before 春节 is not a holiday
        D(2026, 3, 7),
        # 4月4日 is 清明, 5月2日 is 劳动节
        D(2026, 6, 6),
    ]


def test_market_days_three_six_nine_around_the_spring_festival():
    market = rule("market_digits", day_digits=[3, 6, 9])
    assert days([market], D(2026, 2, 10), 6) == [
        D(2026, 2, 13),
        # 16th, 19th and 23rd fall in 春节 (2月15日-23日); February has no 29th.
        D(2026, 2, 26),
        D(2026, 3, 3),
        D(2026, 3, 6),
        D(2026, 3, 9),
        D(2026, 3, 13),
    ]


def test_market_day_one_includes_the_31st_of_a_long_month():
    market = rule("market_digits", day_digits=[1])
    assert days([market], D(2026, 7, 25), 4) == [
        D(2026, 7, 31),
        D(2026, 8, 1),
        D(2026, 8, 11),
        D(2026, 8, 21),
    ]


def test_market_day_ten_has_no_30th_in_february_and_skips_the_holiday_20th():
    market = rule("market_digits", day_digits=[0])
    assert days([market], D(2026, 1, 25), 3) == [D(2026, 1, 30), D(2026, 2, 10), D(2026, 3, 10)]


def test_listed_dates_are_sorted_deduplicated_and_keep_a_make_up_working_day():
    dates = rule(
        "dates", dates=["2026-10-10", "2026-10-01", "2026-09-30", "2026-10-10", "2026-08-01"]
    )
    # 10月1日 is 国庆节; 10月10日 is a Saturday worked in its place (调休上班), so kept.
    assert days([dates], D(2026, 9, 1), 10) == [D(2026, 9, 30), D(2026, 10, 10)]


def test_several_rules_merge_into_one_sorted_list_with_one_entry_per_day():
    tuesdays = rule("weekly", weekday=1, starts_at=datetime.time(9), ends_at=datetime.time(11))
    market = rule(
        "market_digits",
        day_digits=[3, 6, 9],
        starts_at=datetime.time(8),
        ends_at=datetime.time(12),
    )
    entries = reception_days([tuesdays, market], D(2026, 12, 20), 5)
    assert [entry.day for entry in entries] == [
        D(2026, 12, 22),
        D(2026, 12, 23),
        D(2026, 12, 26),
        D(2026, 12, 29),  # a Tuesday and a market day: one entry, two windows
        D(2027, 1, 3),
    ]
    both = entries[3]
    assert [(w.starts_at.hour, w.ends_at.hour) for w in both.windows] == [(8, 12), (9, 11)]
    assert both.weekday_name == "星期二"
    # 2027's holidays are not published in the data: kept, and marked.
    assert [entry.holiday_unknown for entry in entries] == [False, False, False, False, True]


def test_days_in_a_year_without_holiday_data_are_kept_and_marked_unknown():
    entries = reception_days([rule("weekly", weekday=1)], D(2027, 9, 28), 3)
    assert [entry.day for entry in entries] == [D(2027, 9, 28), D(2027, 10, 5), D(2027, 10, 12)]
    assert all(entry.holiday_unknown for entry in entries)
    unskipped = reception_days([rule("weekly", weekday=1, skip_holidays=False)], D(2027, 10, 1), 1)
    assert not unskipped[0].holiday_unknown


def test_rules_with_nothing_to_give_end_the_search():
    assert days([rule("market_digits", day_digits=[])], D(2026, 1, 1), 5) == []
    assert days([rule("dates", dates=["2020-01-01"])], D(2026, 1, 1), 5) == []
    assert days([rule("weekly", weekday=1)], D(2026, 1, 1), 0) == []
    assert days([], D(2026, 1, 1), 5) == []


def test_rules_read_as_a_notice_board_would_put_them():
    assert describe_schedule(rule("weekly", weekday=1)) == "每周二"
    assert describe_schedule(rule("weekly", weekday=6)) == "每周日"
    assert describe_schedule(rule("first_weekend")) == "每月首个周末（周六、周日）"
    assert (
        describe_schedule(rule("market_digits", day_digits=[3, 6, 9]))
        == "赶集日：逢三、六、九（公历）"
    )
    assert describe_schedule(rule("market_digits", day_digits=[0, 5])) == "赶集日：逢五、十（公历）"


def test_a_station_merges_its_saved_rules(world):
    ScheduleFactory(station=world.station, kind="dates", dates=["2026-10-08"], weekday=None)
    assert [d.day for d in upcoming_reception_days(world.station, D(2026, 9, 28), 3)] == [
        D(2026, 9, 29),
        D(2026, 10, 8),
        D(2026, 10, 13),
    ]


# --- station pages ------------------------------------------------------------------


def test_station_page_shows_the_place_people_schedule_and_what_is_missing(world, client_for):
    response = client_for("deputy").get(reverse("deputies:station_detail", args=[world.station.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "东河村代表联络站" in page
    assert "王春燕" in page
    assert "每周二" in page
    assert "5/7（71%）" in page
    assert "有档案" in page and "有保障" in page
    assert 'data-testid="upcoming-days"' in page


def test_station_page_shows_only_the_latest_assessment_per_checklist(world, client_for):
    AssessmentFactory(
        station=world.station,
        checklist=world.checklist,
        met=[True] * 7,
        assessed_on=D(2026, 7, 15),
    )
    response = client_for("township").get(
        reverse("deputies:station_detail", args=[world.station.pk])
    )
    page = response.content.decode()
    assert "7/7（100%）" in page
    assert "5/7（71%）" not in page
    assert "全部达标" in page


def test_township_staff_cannot_see_or_edit_another_townships_station(world, client_for):
    client = client_for("township")
    station = world.other_station
    for url in [
        reverse("deputies:station_detail", args=[station.pk]),
        reverse("deputies:station_edit", args=[station.pk]),
        reverse("deputies:schedule_create", args=[station.pk]),
        reverse("deputies:assessment_create", args=[station.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("deputies:station_edit", args=[station.pk]), {"name": "改名", "kind": "home"}
    )
    assert response.status_code == 404
    station.refresh_from_db()
    assert station.name == "龙泉镇代表之家"
    listing = client.get(reverse("deputies:station_list")).content.decode()
    assert "东河村代表联络站" in listing and "龙泉镇代表之家" not in listing


def test_station_list_filters_by_kind_township_and_name(world, client_for):
    StationFactory(name="青山镇人大代表之家", kind="home", region=world.township)
    client = client_for("county")
    url = reverse("deputies:station_list")

    def names(**params):
        page = client.get(url, params).content.decode()
        return {
            name
            for name in ("东河村代表联络站", "龙泉镇代表之家", "青山镇人大代表之家")
            if name in page
        }

    assert names() == {"东河村代表联络站", "龙泉镇代表之家", "青山镇人大代表之家"}
    assert names(kind="home") == {"青山镇人大代表之家"}
    assert names(kind="liaison_station") == {"东河村代表联络站", "龙泉镇代表之家"}
    assert names(township=world.township.pk) == {"东河村代表联络站", "青山镇人大代表之家"}
    assert names(q="东河") == {"东河村代表联络站"}
    assert names(township="nonsense", kind="nonsense") == names()


def test_station_list_query_count_does_not_grow_with_stations(world, client_for):
    client = client_for("county")

    def load():
        response = client.get(reverse("deputies:station_list"), {"kind": "liaison_station"})
        assert response.status_code == 200

    def add_rows():
        deputies = PersonFactory.create_batch(3, region=world.township)
        for n in range(30):
            village = VillageFactory(code=f"990121101{300 + n}", parent=world.township)
            station = StationFactory(region=village, resident_deputies=deputies)
            ScheduleFactory(station=station, weekday=n % 7)
            ScheduleFactory(station=station, kind="market_digits", day_digits=[3, 6, 9])

    # session, user, user's region, townships for the filter, count, page, schedules
    assert_pinned_queries(load, add_rows, expected=7)


def test_checklist_list_query_count_does_not_grow_with_checklists(world, client_for):
    client = client_for("township")

    def load():
        assert client.get(reverse("deputies:checklist_list")).status_code == 200

    def add_rows():
        for n in range(20):
            ChecklistFactory(name=f"标准{n}", region=world.township, items=["有场所", "有牌子"])

    # session, user, user's region, count, page
    assert_pinned_queries(load, add_rows, expected=5)


def test_township_staff_add_a_station_with_deputies_and_liaison_officers(world, client_for):
    client = client_for("township")
    response = client.post(
        reverse("deputies:station_create"),
        {
            "kind": "home",
            "name": "青山镇人大代表之家",
            "region": world.township.pk,
            "address": "青山镇政府二楼",
            "phone": "0791-1234567",
            "resident_deputies": [world.person.pk, world.county_person.pk],
            "liaison_officers": [world.user("liaison").pk],
            "active": "on",
        },
    )
    station = Station.objects.get(name="青山镇人大代表之家")
    assert response.status_code == 302
    assert response["Location"] == station.get_absolute_url()
    assert set(station.resident_deputies.all()) == {world.person, world.county_person}
    assert list(station.liaison_officers.all()) == [world.user("liaison")]
    assert station.history.earliest().history_user == world.user("township")


def test_province_staff_pick_a_county_before_its_places_and_deputies(world, province, client):
    client.force_login(province["user"])
    url = reverse("deputies:station_create")
    held_back = ("region", "resident_deputies", "liaison_officers")
    assert_waits_for_a_county(client.get(url).content.decode(), province, *held_back)
    picked = client.get(url, {"area": province["other"].code}).content.decode()
    neighbour = {str(province["other"].pk), str(province["township"].pk)}  # 邻县 and 白沙镇
    assert options(picked, "region") == neighbour
    assert str(world.person.pk) not in options(picked, "resident_deputies")
    # An edit opens on its station's county.
    station = Station.objects.get(name="白沙镇代表联络站")
    edit = client.get(reverse("deputies:station_edit", args=[station.pk])).content.decode()
    assert options(edit, "region") == neighbour

    response = client.post(
        f"{url}?area={world.county.code}",
        {"kind": "home", "name": "青山镇人大代表之家", "region": world.township.pk,
         "resident_deputies": [world.person.pk], "active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert list(Station.objects.get(name="青山镇人大代表之家").resident_deputies.all()) == [
        world.person
    ]


def test_a_station_form_with_bad_input_names_each_field_in_chinese(world, client_for):
    client = client_for("township")
    response = client.post(
        reverse("deputies:station_create"),
        {
            "kind": "",
            "name": "",
            "region": world.other_township.pk,
            "opened_on": "去年",
            "resident_deputies": [world.other_person.pk],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "名称：请填写联络站名称" in page
    assert "类别：请选择联络站类别" in page
    assert "所在区划：" in page  # 龙泉镇 is not a choice for 青山镇's staff
    assert "建成日期：" in page
    assert "进站代表：" in page  # nor is 龙泉镇's deputy
    assert Station.objects.count() == 2


def test_a_second_station_of_the_same_name_in_a_place_is_refused_on_the_name(world, client_for):
    response = client_for("township").post(
        reverse("deputies:station_create"),
        {"kind": "home", "name": "东河村代表联络站", "region": world.village.pk},
    )
    assert response.status_code == 200
    assert "名称：该区划内已有同名的联络站" in response.content.decode()


def test_a_township_edit_keeps_a_deputy_only_the_county_can_see(world, client_for):
    world.station.resident_deputies.add(world.other_person)
    response = client_for("township").post(
        reverse("deputies:station_edit", args=[world.station.pk]),
        {
            "kind": "liaison_station",
            "name": "东河村代表联络站",
            "region": world.village.pk,
            "address": "村委会二楼",
            "resident_deputies": [world.person.pk],
            "liaison_officers": [world.user("liaison").pk],
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert set(world.station.resident_deputies.all()) == {world.person, world.other_person}


def test_a_liaison_officer_keeps_the_facts_of_their_own_station_only(world, client_for):
    client = client_for("liaison")
    response = client.post(
        reverse("deputies:station_edit", args=[world.station.pk]),
        {
            "name": "改名",
            "region": world.township.pk,
            "address": "新村部三楼",
            "rules": "每周二接待",
        },
    )
    assert response.status_code == 302
    world.station.refresh_from_db()
    assert world.station.address == "新村部三楼"
    assert world.station.name == "东河村代表联络站"
    assert world.station.region == world.village
    assert list(world.station.liaison_officers.all()) == [world.user("liaison")]
    assert world.station.history.latest().history_user == world.user("liaison")

    elsewhere = StationFactory(name="青山镇代表之家", region=world.township)
    assert client.get(reverse("deputies:station_edit", args=[elsewhere.pk])).status_code == 403
    assert client.get(reverse("deputies:schedule_create", args=[elsewhere.pk])).status_code == 403


# --- schedules -----------------------------------------------------------------------


def test_adding_market_days_reads_chinese_numerals_and_leaves_an_audit_row(world, client_for):
    response = client_for("liaison").post(
        reverse("deputies:schedule_create", args=[world.station.pk]),
        {
            "kind": "market_digits",
            "weekday": "2",  # ignored for market days
            "day_digits": "逢三六九",
            "starts_at": "08:30",
            "ends_at": "11:30",
            "skip_holidays": "on",
        },
    )
    assert response.status_code == 302
    schedule = world.station.schedules.get(kind="market_digits")
    assert schedule.day_digits == [3, 6, 9]
    assert schedule.weekday is None
    event = AuditEvent.objects.get(action="接待安排新增")
    assert event.actor == world.user("liaison")
    assert event.detail["rule"] == "赶集日：逢三、六、九（公历）"


def test_editing_a_schedule_shows_its_digits_and_dates_as_typed(world, client_for):
    schedule = ScheduleFactory(
        station=world.station, kind="market_digits", weekday=None, day_digits=[0, 5]
    )
    page = (
        client_for("township")
        .get(reverse("deputies:schedule_edit", args=[schedule.pk]))
        .content.decode()
    )
    assert "五、十" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "weekly"}, "星期：每周固定接待日须选择星期几"),
        ({"kind": "first_weekend", "weekday": "2"}, "星期：每月首个周末只能选择星期六、星期日"),
        ({"kind": "market_digits", "day_digits": ""}, "逢几：赶集日须填写逢几"),
        ({"kind": "market_digits", "day_digits": "逢甲"}, "逢几：无法识别“甲”"),
        ({"kind": "dates", "dates": "下周三"}, "日期：无法识别日期“下周三”"),
        ({"kind": "dates", "dates": "2026-02-30"}, "日期：无法识别日期“2026-02-30”"),
        ({"kind": "dates", "dates": ""}, "日期：指定日期方式须至少填写一个日期"),
        (
            {"kind": "weekly", "weekday": "1", "ends_at": "08:00"},
            "结束时间：结束时间应晚于开始时间",
        ),
        ({"kind": "weekly", "weekday": "1", "starts_at": "九点"}, "开始时间：开始时间格式不对"),
        ({"kind": "", "weekday": "9"}, "方式：请选择接待方式"),
    ],
)
def test_a_schedule_form_with_bad_input_names_the_field_in_chinese(
    world, client_for, data, message
):
    form = {"starts_at": "09:00", "ends_at": "11:30", **data}
    response = client_for("township").post(
        reverse("deputies:schedule_create", args=[world.station.pk]), form
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert world.station.schedules.count() == 1


def test_deleting_a_schedule_takes_a_post_and_keeps_what_it_said(world, client_for):
    client = client_for("township")
    schedule = world.station.schedules.get()
    url = reverse("deputies:schedule_delete", args=[schedule.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert not world.station.schedules.exists()
    event = AuditEvent.objects.get(action="接待安排删除")
    assert event.detail["rule"] == "每周二"
    assert event.actor == world.user("township")


def test_the_delete_button_asks_for_confirmation(world, client_for):
    page = (
        client_for("township")
        .get(reverse("deputies:station_detail", args=[world.station.pk]))
        .content.decode()
    )
    assert (
        "return confirm(" in page
        and reverse("deputies:schedule_delete", args=[world.station.schedules.get().pk]) in page
    )


# --- checklists ----------------------------------------------------------------------


def test_staff_see_national_county_and_own_checklists_but_not_another_townships(world, client_for):
    ChecklistFactory(name="九有", region=world.county)
    ChecklistFactory(name="五有", region=world.township)
    ChecklistFactory(name="龙泉四有", region=world.other_township)
    page = client_for("township").get(reverse("deputies:checklist_list")).content.decode()
    assert "七有" in page and "九有" in page and "五有" in page
    assert "龙泉四有" not in page


def test_township_staff_write_a_checklist_one_item_a_line(world, client_for):
    response = client_for("township").post(
        reverse("deputies:checklist_create"),
        {
            "name": "五有",
            "region": world.township.pk,
            "source": "青山镇人大主席团〔2026〕1号",
            "items": "1. 有场所：固定场所不少于30平方米\n2、有牌子\n\n（三）有制度：制度上墙\n有计划\n有记录",
        },
    )
    checklist = Checklist.objects.get(name="五有")
    assert response.status_code == 302
    assert [(i.order, i.title, i.description) for i in checklist.items.all()] == [
        (1, "有场所", "固定场所不少于30平方米"),
        (2, "有牌子", ""),
        (3, "有制度", "制度上墙"),
        (4, "有计划", ""),
        (5, "有记录", ""),
    ]
    assert AuditEvent.objects.get(action="建设标准新增").actor == world.user("township")


def test_a_checklist_form_with_bad_input_names_the_field_in_chinese(world, client_for):
    response = client_for("township").post(
        reverse("deputies:checklist_create"),
        {"name": "", "region": "", "items": "有场所\n" + "长" * 31 + "\n有场所"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "名称：请填写标准名称" in page
    assert "制定区划：请选择制定区划" in page
    assert "标准项：第 2 行的标准项名称超过 30 个字" in page
    assert Checklist.objects.count() == 1


def test_editing_a_checklist_keeps_assessed_items_and_refuses_to_drop_them(world, client_for):
    client = client_for("admin")
    url = reverse("deputies:checklist_edit", args=[world.checklist.pk])
    items = list(world.checklist.items.all())
    # Drop 有保障 (used by the assessment): refused, nothing changes.
    response = client.post(url, {"name": "七有", "items": "\n".join(i.title for i in items[:-1])})
    assert response.status_code == 200
    assert "标准项：以下标准项已用于达标评估，不能删除或改名：有保障" in response.content.decode()
    assert world.checklist.items.count() == 7
    # Move 有保障 to the top, describe it and add 有网络: the same rows stay.
    lines = ["有保障：经费纳入财政预算"] + [i.title for i in items[:-1]] + ["有网络"]
    response = client.post(url, {"name": "七有", "items": "\n".join(lines)})
    assert response.status_code == 302
    after = list(world.checklist.items.all())
    assert [i.title for i in after] == ["有保障", *[i.title for i in items[:-1]], "有网络"]
    assert after[0].pk == items[-1].pk and after[0].description == "经费纳入财政预算"
    assert world.assessment.results.count() == 7


def test_township_staff_cannot_change_a_national_or_county_checklist(world, client_for):
    county_list = ChecklistFactory(name="九有", region=world.county, items=["有场所"])
    client = client_for("township")
    for checklist in (world.checklist, county_list):
        url = reverse("deputies:checklist_edit", args=[checklist.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"name": "改", "items": "有场所"}).status_code == 403
    own = ChecklistFactory(name="五有", region=world.township, items=["有场所"])
    assert client.get(reverse("deputies:checklist_edit", args=[own.pk])).status_code == 200


# --- assessments ---------------------------------------------------------------------


def test_the_assessment_shows_the_count_share_and_missing_items(world, client_for):
    response = client_for("deputy").get(
        reverse("deputies:assessment_detail", args=[world.assessment.pk])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "5/7 项达标（71%）" in page
    missing = page.split('data-testid="missing-items"')[1].split("</dd>")[0]
    assert "有档案" in missing and "有保障" in missing and "有场所" not in missing
    assert page.count('class="table-danger"') == 2


def test_recording_an_assessment_saves_one_result_per_item(world, client_for):
    items = list(world.checklist.items.all())
    data = {"checklist": world.checklist.pk, "assessed_on": "2026-07-01", "note": "整改中"}
    for item in items:
        data[f"met_{item.pk}"] = "no" if item.title == "有计划" else "yes"
        data[f"note_{item.pk}"] = "年度计划未制定" if item.title == "有计划" else ""
    url = reverse("deputies:assessment_create", args=[world.station.pk])
    response = client_for("county").post(f"{url}?checklist={world.checklist.pk}", data)
    assessment = Assessment.objects.exclude(pk=world.assessment.pk).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deputies:assessment_detail", args=[assessment.pk])
    assert assessment.assessor == world.user("county")
    assert assessment.results.count() == 7
    assert [r.item.title for r in assessment.results.filter(met=False)] == ["有计划"]
    assert assessment.results.get(met=False).note == "年度计划未制定"


def test_an_assessment_with_an_item_unanswered_names_the_item(world, client_for):
    items = list(world.checklist.items.all())
    data = {"checklist": world.checklist.pk, "assessed_on": "2099-01-01"}
    for item in items[1:]:
        data[f"met_{item.pk}"] = "yes"
    response = client_for("township").post(
        reverse("deputies:assessment_create", args=[world.station.pk]), data
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "有场所：请选择“有场所”是否达标" in page
    assert "评估日期：评估日期不能晚于今天" in page
    assert Assessment.objects.count() == 1


def test_the_assessment_form_offers_only_checklists_that_apply_to_the_station(world, client_for):
    ChecklistFactory(name="九有", region=world.county, items=["有场所"])
    ChecklistFactory(name="十有四化", region=world.other_township, items=["有场所"])
    client = client_for("county")
    url = reverse("deputies:assessment_create", args=[world.station.pk])
    page = client.get(url).content.decode()
    assert "七有" in page and "九有" in page and "十有四化" not in page
    other = Checklist.objects.get(name="十有四化")
    response = client.get(url, {"checklist": other.pk})
    assert response.status_code == 200
    assert "建设标准：请选择列表中的建设标准" in response.content.decode()


def test_a_liaison_officer_of_another_region_is_not_offered_for_a_station(world, client_for):
    outsider = UserFactory(
        username="longquan_liaison", full_name="陈联络", role="liaison", region=world.other_township
    )
    page = client_for("township").get(reverse("deputies:station_create")).content.decode()
    assert "陈联络" not in page
    assert outsider.pk
