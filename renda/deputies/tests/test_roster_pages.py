"""The roster pages: search, filters, pinned query counts, privacy and the ID reveal."""

import datetime

from django.urls import reverse

from renda.core.models import AuditEvent
from renda.core.tests.helpers import assert_pinned_queries
from renda.deputies.idcard import check_character
from renda.deputies.models import GroupMembership, Mandate, Person, Station
from renda.deputies.names import pinyin_keys
from renda.deputies.tests.factories import MandateFactory, PersonFactory


def id_for(n: int, male: bool = True) -> str:
    first17 = f"990121{1950 + n % 50}0101{(n % 99) * 10 + (1 if male else 2):03d}"
    return first17 + check_character(first17)


def bulk_deputies(region, count, group=None):
    """`count` farmers named 张某 with current township mandates, by bulk insert."""
    people = []
    for n in range(count):
        name = f"张{n}"
        people.append(
            Person(
                name=name,
                name_pinyin="zhang" + str(n),
                name_initials="z" + str(n),
                gender="male",
                birth_date=datetime.date(1970, 1, 1),
                party="cpc",
                occupation="farmer",
                education="junior",
                region=region,
            )
        )
    Person.objects.bulk_create(people)
    Mandate.objects.bulk_create(
        Mandate(
            person=p,
            level="township",
            term_label="第十八届",
            elected_on=datetime.date(2021, 11, 20),
        )
        for p in people
    )
    if group is not None:
        GroupMembership.objects.bulk_create(
            GroupMembership(group=group, person=p, group_kind=group.kind) for p in people
        )


def test_zs_finds_zhang_san_by_pinyin_initials(world, client_for):
    response = client_for("township").get(reverse("deputies:list"), {"q": "zs"})
    names = [p.name for p in response.context["page"]]
    assert names == ["张三"]
    assert [
        p.name
        for p in client_for("township")
        .get(reverse("deputies:list"), {"q": "zhangs"})
        .context["page"]
    ] == ["张三"]
    assert [
        p.name
        for p in client_for("township").get(reverse("deputies:list"), {"q": "春燕"}).context["page"]
    ] == ["王春燕"]


def test_filters_combine_and_township_staff_see_only_their_township(world, client_for):
    client = client_for("township")
    names = {p.name for p in client.get(reverse("deputies:list")).context["page"]}
    assert names == {"王春燕", "张三"}
    female = client.get(
        reverse("deputies:list"), {"gender": "female", "level": "township"}
    ).context["page"]
    assert [p.name for p in female] == ["王春燕"]
    county_level = client.get(reverse("deputies:list"), {"level": "county"}).context["page"]
    assert [p.name for p in county_level] == ["张三"]


def test_the_term_choices_are_the_labels_in_scope_newest_first(world, client_for):
    MandateFactory(person=PersonFactory(name="李四", region=world.township), term_label="第十九届")
    MandateFactory(
        person=PersonFactory(name="赵六", region=world.other_township), term_label="第二十一届"
    )
    MandateFactory(person=PersonFactory(name="钱七", region=world.township), term_label="")

    def terms(role):
        return client_for(role).get(reverse("deputies:list")).context["terms"]

    assert terms("township") == ["第十九届", "第十八届"]
    assert terms("county") == ["第二十一届", "第十九届", "第十八届"]
    assert [
        p.name
        for p in client_for("county")
        .get(reverse("deputies:list"), {"term": "第二十一届"})
        .context["page"]
    ] == ["赵六"]


def test_the_roster_query_count_is_pinned_with_10_and_10000_deputies(world, client_for):
    client = client_for("county")
    bulk_deputies(world.township, 10, group=world.group)

    def load():
        response = client.get(
            reverse("deputies:list"), {"q": "z", "party": "cpc", "group": world.group.pk}
        )
        assert response.status_code == 200

    # session+user, region (scope), filter choices (terms, townships, groups,
    # stations), count, page, mandates, memberships
    assert_pinned_queries(
        load, lambda: bulk_deputies(world.township, 9990, group=world.group), expected=11
    )


def test_a_deputy_sees_their_own_private_fields_and_only_public_fields_of_others(world, client_for):
    client = client_for("deputy")
    own = client.get(reverse("deputies:detail", args=[world.person.pk])).content.decode()
    other = client.get(reverse("deputies:detail", args=[world.county_person.pk])).content.decode()
    assert world.person.mobile in own and "出生日期" in own
    assert (
        world.county_person.mobile not in other
        and "出生日期" not in other
        and "身份证" not in other
    )
    assert "查看完整号码" not in own  # only roster managers may reveal


def test_the_id_number_is_masked_and_revealing_it_is_audited(world, client_for):
    world.person.id_number = id_for(7, male=False)
    world.person.save()
    client = client_for("township")
    page = client.get(reverse("deputies:detail", args=[world.person.pk])).content.decode()
    assert world.person.id_number not in page
    assert world.person.id_number[:6] + "********" in page
    response = client.post(reverse("deputies:reveal_id", args=[world.person.pk]))
    assert world.person.id_number in response.content.decode()
    event = AuditEvent.objects.get(action="reveal_id_number")
    assert (event.actor, event.action, event.record) == (
        world.user("township"),
        "reveal_id_number",
        world.person,
    )


def test_the_public_board_never_shows_private_data(world, client):
    world.person.id_number = id_for(3, male=False)
    world.person.public_phone = "0799-6412345"
    world.person.save()
    page = client.get(reverse("deputies:disclosure", args=[world.constituency.pk])).content.decode()
    assert "王春燕" in page and "0799-6412345" in page
    for secret in (
        world.person.id_number,
        world.person.mobile,
        world.person.birth_date.isoformat(),
        "1975",
    ):
        assert secret not in page


def test_the_board_pdf_renders_chinese_text(world, client):
    from io import BytesIO

    from pypdf import PdfReader

    response = client.get(reverse("deputies:disclosure_pdf", args=[world.constituency.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "人大代表公示牌" in text and "王春燕" in text
    assert world.person.mobile not in text


def test_a_person_form_refuses_an_id_that_disagrees_with_birth_date_and_gender(world, client_for):
    first17 = "99012119800101001"  # male, born 1980-01-01
    response = client_for("township").post(
        reverse("deputies:create"),
        {
            "name": "赵六",
            "id_number": first17 + check_character(first17),
            "gender": "female",
            "birth_date": "1981-01-01",
            "ethnicity": "汉族",
            "party": "masses",
            "occupation": "farmer",
            "education": "junior",
            "region": world.township.pk,
        },
    )
    page = response.content.decode()
    assert "性别：与身份证号码不符（身份证为男）" in page
    assert "出生日期：与身份证号码不符（身份证为 1980-01-01）" in page
    assert not Person.objects.filter(name="赵六").exists()


def test_staff_add_a_deputy_with_pinyin_keys_and_history(world, client_for):
    first17 = "99012119800101001"
    response = client_for("township").post(
        reverse("deputies:create"),
        {
            "name": "单雄信",
            "id_number": first17 + check_character(first17),
            "gender": "male",
            "birth_date": "1980-01-01",
            "ethnicity": "汉族",
            "party": "masses",
            "occupation": "farmer",
            "education": "junior",
            "region": world.township.pk,
            "mobile": "13812345678",
        },
    )
    person = Person.objects.get(name="单雄信")
    assert response.status_code == 302
    assert (
        (person.name_pinyin, person.name_initials)
        == pinyin_keys("单雄信")
        == ("shanxiongxin", "sxx")
    )
    assert person.history.first().history_user == world.user("township")


def test_a_deputy_is_in_one_area_group_at_most(world, client_for):
    from renda.deputies.tests.factories import GroupFactory

    second = GroupFactory(name="青山镇第二代表小组", region=world.township)
    client_for("township").post(
        reverse("deputies:group_member_add", args=[second.pk]),
        {"person": world.person.pk, "role": "member"},
    )
    groups = set(
        GroupMembership.objects.filter(person=world.person).values_list("group__name", flat=True)
    )
    assert groups == {"青山镇第二代表小组", "产业发展课题组"}


def test_ending_a_mandate_keeps_it_with_its_reason(world, client_for):
    mandate = world.person.mandates.get()
    client_for("township").post(
        reverse("deputies:mandate_end", args=[mandate.pk]),
        {"ended_on": "2026-06-30", "end_reason": "resigned"},
    )
    mandate.refresh_from_db()
    assert (mandate.ended_on, mandate.end_reason) == (datetime.date(2026, 6, 30), "resigned")
    response = client_for("township").post(
        reverse("deputies:mandate_end", args=[mandate.pk]),
        {"ended_on": "2026-07-01", "end_reason": "died"},
        follow=True,
    )
    assert "该代表职务已终止" in response.content.decode()


def test_the_public_index_walks_down_the_regions_and_searches_one_page_at_a_time(world, client):
    index = reverse("deputies:disclosure_index")
    top = client.get(index)
    # One county: the index opens at it, offering its townships.
    assert top.context["place"] == world.county
    assert {r.name for r in top.context["below"]} == {"青山镇", "龙泉镇"}
    township = client.get(index, {"region": world.township.pk})
    assert [c.pk for c in township.context["page"]] == [world.constituency.pk]
    assert [r.name for r in township.context["trail"]] == ["测试县", "青山镇"]
    found = client.get(index, {"q": world.constituency.name})
    assert [c.pk for c in found.context["page"]] == [world.constituency.pk]
    missing = client.get(index, {"q": "没有这个地方"}).content.decode()
    assert "没有找到“没有这个地方”" in missing
    for bad in ("abc", "99999999", world.village.pk):  # not a region with a congress
        assert client.get(index, {"region": bad}).context["place"] == world.county


def test_a_township_s_public_index_shows_its_stations_and_next_reception_days(world, client):
    """Where and when a citizen meets a deputy: the station, its resident
    deputies in office and the next days, in a fixed number of queries."""
    index = reverse("deputies:disclosure_index")
    response = client.get(index, {"region": world.township.pk})
    (station,) = response.context["stations"]
    assert station == world.station
    assert world.person in station.resident_deputies.all()
    days = station.upcoming
    assert len(days) == 3 and all(day.day.weekday() == 1 for day in days)  # 每周二
    page = response.content.decode()
    assert world.station.name in page and world.person.name in page
    assert f"{days[0].day.month}月{days[0].day.day}日" in page
    assert client.get(index, {"region": world.county.pk}).context["stations"] == []

    def more_stations():
        for n in range(5):
            extra = Station.objects.create(
                kind=world.station.kind, name=f"第{n}代表联络点", region=world.village
            )
            extra.resident_deputies.add(world.person)

    assert_pinned_queries(
        lambda: client.get(index, {"region": world.township.pk}), more_stations, expected=9
    )
