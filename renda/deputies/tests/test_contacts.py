"""Contact links: yearly requirements read from rule sets, who sees and
records what, private phone numbers, form messages and the register
代表联系选民登记卡."""

import datetime
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from renda.core.models import AuditEvent, Region
from renda.core.rules import rule_in_force, rules_in_force
from renda.core.services import rule_set
from renda.core.tests.factories import RuleFactory, TownshipFactory
from renda.core.tests.helpers import assert_pinned_queries
from renda.deputies import contacts
from renda.deputies.models import ContactLink, ContactVisit
from renda.deputies.services_contacts import (
    contact_link_create,
    contact_link_end,
    contact_visit_record,
)
from renda.deputies.tests.factories import ContactLinkFactory, PersonFactory

VOTER_MIN = "contacts.deputy_voter.visits_per_year_min"
SOURCE = "《青山县人大代表联系选民办法》第五条"


def _visit(link, on, summary="了解村道修缮意见"):
    return ContactVisit.objects.create(link=link, visited_on=on, method="走访", summary=summary)


def _summary(person, year, kind=""):
    (summary,) = contacts.contact_summaries(
        [type(person).objects.select_related("region").get(pk=person.pk)], year, kind=kind
    )
    return summary


def _kind(summary, kind):
    return next(row for row in summary.kinds if row.kind == kind)


@pytest.fixture
def voter_link(world):
    return ContactLinkFactory(
        linker=world.person, kind="deputy_voter", target_name="孙大姐", target_phone="13700002222"
    )


# --- requirements from rule sets -----------------------------------------------------


def test_the_voter_check_is_met_once_visits_reach_the_rules_minimum(world, voter_link):
    rule_set(
        key=VOTER_MIN,
        region=world.township,
        value=2,
        effective_from=datetime.date(2020, 1, 1),
        source=SOURCE,
        actor=None,
    )
    _visit(voter_link, datetime.date(2026, 3, 2))
    _visit(voter_link, datetime.date(2025, 12, 30))  # last year does not count

    row = _kind(_summary(world.person, 2026), "deputy_voter")
    assert (row.visits, row.met) == (1, False)
    assert row.checks[0].source == SOURCE
    assert row.checks[0].label == "全年联系选民不少于 2 次"

    _visit(voter_link, datetime.date(2026, 7, 15))
    row = _kind(_summary(world.person, 2026), "deputy_voter")
    assert (row.visits, row.met) == (2, True)


def test_a_new_rule_version_changes_the_check_only_for_the_years_it_covers(world, voter_link):
    rule_set(
        key=VOTER_MIN,
        region=world.county,
        value=2,
        effective_from=datetime.date(2020, 1, 1),
        source="旧办法第三条",
        actor=None,
    )
    rule_set(
        key=VOTER_MIN,
        region=world.county,
        value=3,
        effective_from=datetime.date(2026, 1, 1),
        source="新办法第三条",
        actor=None,
    )
    for on in (datetime.date(2025, 4, 1), datetime.date(2025, 9, 1)):
        _visit(voter_link, on)
    for on in (datetime.date(2026, 4, 1), datetime.date(2026, 9, 1)):
        _visit(voter_link, on)

    last_year = _kind(_summary(world.person, 2025), "deputy_voter")
    this_year = _kind(_summary(world.person, 2026), "deputy_voter")
    assert (last_year.met, last_year.checks[0].source) == (True, "旧办法第三条")
    assert (this_year.met, this_year.checks[0].source) == (False, "新办法第三条")


def test_with_no_rule_in_force_no_check_is_shown(world, client_for, voter_link):
    _visit(voter_link, datetime.date(2026, 3, 2))
    summary = _summary(world.person, 2026)
    assert all(row.checks == [] and row.met is None for row in summary.kinds)
    assert summary.met is None

    page = client_for("township").get(reverse("deputies:contact_list"), {"year": 2026})
    assert "无考核要求" in page.content.decode()
    assert "未达标" not in page.content.decode()


def test_household_links_are_checked_against_both_bounds_and_ended_links_do_not_count(world):
    for key, value in (
        ("contacts.deputy_household.links_min", 3),
        ("contacts.deputy_household.links_max", 5),
    ):
        RuleFactory(key=key, region=world.township, value=value, source="结对帮扶工作方案")
    # The world already holds one household link (赵大爷); five more makes six.
    for n in range(5):
        ContactLinkFactory(linker=world.person, kind="deputy_household", target_name=f"困难户{n}")
    row = _kind(_summary(world.person, 2026), "deputy_household")
    assert row.links == 6
    assert [check.met for check in row.checks] == [True, False]

    extra = ContactLink.objects.filter(target_name="困难户0").get()
    contact_link_end(link=extra, ended_on=datetime.date(2026, 6, 30), actor=world.user("township"))
    row = _kind(_summary(world.person, 2026), "deputy_household")
    assert row.links == 5
    assert row.met is True
    # The ended link still counts for the year it was in force.
    assert _kind(_summary(world.person, 2025), "deputy_household").links == 6


def test_the_one_query_rule_lookup_picks_what_rule_in_force_picks(world):
    key = "contacts.leader_deputy.links_min"
    RuleFactory(key=key, region=None, value=3, effective_from=datetime.date(2020, 1, 1))
    RuleFactory(key=key, region=world.county, value=4, effective_from=datetime.date(2021, 1, 1))
    RuleFactory(
        key=key,
        region=world.other_township,
        value=5,
        effective_from=datetime.date(2022, 1, 1),
        effective_to=datetime.date(2025, 12, 31),
    )
    elsewhere = TownshipFactory(code="880101101", name="外县镇", parent=None)
    regions = [world.township, world.other_township, elsewhere]
    for on in (datetime.date(2024, 6, 1), datetime.date(2026, 6, 1)):
        found = rules_in_force([key], regions, on)
        for region in Region.objects.filter(pk__in=[r.pk for r in regions]):
            assert found.get((region.pk, key)) == rule_in_force(key, region, on)


# --- who sees what ------------------------------------------------------------------


def test_a_deputy_sees_their_own_links_but_gets_404_for_another_deputys_page(world, client_for):
    ContactLinkFactory(linker=world.county_person, kind="deputy_voter", target_name="周老伯")
    client = client_for("deputy")

    own = client.get(reverse("deputies:contact_person", kwargs={"pk": world.person.pk}))
    assert own.status_code == 200
    assert "赵大爷" in own.content.decode()

    other = {"pk": world.county_person.pk}
    assert client.get(reverse("deputies:contact_person", kwargs=other)).status_code == 404
    assert (
        client.get(reverse("deputies:contact_card", kwargs={**other, "year": 2026})).status_code
        == 404
    )
    overview = client.get(reverse("deputies:contact_list")).content.decode()
    assert "王春燕" in overview
    assert "张三" not in overview


def test_a_deputy_cannot_record_on_another_deputys_link(world, client_for):
    link = ContactLinkFactory(linker=world.county_person, kind="deputy_voter")
    response = client_for("deputy").post(
        reverse("deputies:contact_visit_create", kwargs={"pk": link.pk}),
        {"visited_on": "2026-03-01", "method": "走访", "summary": "代他人登记"},
    )
    assert response.status_code == 404
    assert not link.visits.exists()


def test_the_target_phone_is_masked_for_liaison_officers_and_shown_to_township_staff(
    world, client_for
):
    url = reverse("deputies:contact_person", kwargs={"pk": world.person.pk})
    card = reverse("deputies:contact_card", kwargs={"pk": world.person.pk, "year": 2026})

    for role in ("liaison",):
        for page in (client_for(role).get(url), client_for(role).get(card)):
            text = page.content.decode()
            assert "139****1111" in text
            assert "13900001111" not in text
    for role in ("township", "county", "deputy"):
        for page in (client_for(role).get(url), client_for(role).get(card)):
            assert "13900001111" in page.content.decode()


def test_the_register_xlsx_masks_the_phone_for_liaison_officers(world, client_for):
    url = reverse("deputies:contact_card_xlsx", kwargs={"pk": world.person.pk, "year": 2026})
    cells = _cells(client_for("liaison").get(url))
    assert "139****1111" in cells
    assert "13900001111" not in cells
    assert "13900001111" in _cells(client_for("township").get(url))


# --- writes and their messages ----------------------------------------------------------


def test_a_deputy_records_a_visit_on_their_own_link_and_the_audit_names_them(world, client_for):
    response = client_for("deputy").post(
        reverse("deputies:contact_visit_create", kwargs={"pk": world.link.pk}),
        {"visited_on": "2026-03-01", "method": "走访", "summary": "送去春耕化肥"},
    )
    assert response.status_code == 302
    visit = world.link.visits.get()
    assert visit.summary == "送去春耕化肥"
    event = AuditEvent.objects.get(action="contact_visit_record")
    assert event.actor == world.user("deputy")


def test_a_deputy_adds_a_voter_link_but_may_not_add_a_leaders_link(world, client_for):
    client = client_for("deputy")
    url = reverse("deputies:contact_link_create", kwargs={"pk": world.person.pk})
    response = client.post(
        url, {"kind": "leader_deputy", "target_name": "某人", "started_on": "2026-01-05"}
    )
    assert response.status_code == 200
    assert "联系类别：" in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "deputy_voter",
            "target_name": "钱大妈",
            "target_phone": "13600003333",
            "started_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    assert ContactLink.objects.get(target_name="钱大妈").linker == world.person


def test_bad_link_input_gets_chinese_messages_naming_the_fields_all_at_once(world, client_for):
    url = reverse("deputies:contact_link_create", kwargs={"pk": world.person.pk})
    client = client_for("township")
    response = client.post(
        url,
        {"kind": "deputy_voter", "target_name": "", "target_phone": "abc", "started_on": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "建立联系日期：该字段是必填项。" in page
    assert "联系对象：请填写联系对象姓名" in page
    assert "联系电话：联系电话格式不正确" in page
    assert 'value="abc"' in page  # what was typed is kept
    response = client.post(url, {"kind": "leader_deputy", "started_on": "2026-01-05"})
    assert "被联系代表：请选择被联系代表" in response.content.decode()
    response = client.post(
        url, {"kind": "deputy_voter", "target_name": "钱大妈", "started_on": "2099-01-01"}
    )
    assert "建立联系日期：建立联系日期不能晚于今天" in response.content.decode()
    assert ContactLink.objects.count() == 1  # only the world's link


def test_a_linker_cannot_link_themself(world):
    with pytest.raises(ValidationError) as error:
        contact_link_create(
            linker=world.person,
            kind="presidium_deputy",
            deputy=world.person,
            started_on=datetime.date(2026, 1, 5),
            actor=world.user("township"),
        )
    assert error.value.message_dict["deputy"] == ["联系人不能联系自己，请选择其他代表"]


def test_bad_visit_input_gets_chinese_messages_and_keeps_what_was_typed(world, client_for):
    url = reverse("deputies:contact_visit_create", kwargs={"pk": world.link.pk})
    client = client_for("township")
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(
        url, {"visited_on": tomorrow.isoformat(), "method": "走访", "summary": "帮助申请低保"}
    )
    page = response.content.decode()
    assert "联系日期：联系日期不能晚于今天" in page
    assert "帮助申请低保" in page
    response = client.post(url, {"visited_on": "2021-05-01", "method": "走访", "summary": "x"})
    assert "联系日期：联系日期不能早于建立联系日期（2022-03-01）" in response.content.decode()
    response = client.post(url, {"visited_on": "2026-05-01", "method": "走访", "summary": ""})
    assert "联系内容：" in response.content.decode()
    assert not ContactVisit.objects.exists()


def test_ending_a_link_keeps_it_and_a_second_end_or_an_early_date_is_refused(world, client_for):
    _visit(world.link, datetime.date(2026, 5, 1))
    url = reverse("deputies:contact_link_end", kwargs={"pk": world.link.pk})
    client = client_for("township")
    assert "确认结束联系" in client.get(url).content.decode()
    response = client.post(url, {"ended_on": "2026-04-01"})
    assert "结束日期：结束日期不能早于最近一次联系记录的日期（2026-05-01）" in (
        response.content.decode()
    )
    assert client.post(url, {"ended_on": "2026-06-01"}).status_code == 302
    world.link.refresh_from_db()
    assert world.link.ended_on == datetime.date(2026, 6, 1)
    with pytest.raises(ValidationError):
        contact_link_end(
            link=ContactLink.objects.get(pk=world.link.pk),
            ended_on=datetime.date(2026, 7, 1),
            actor=world.user("township"),
        )
    with pytest.raises(ValidationError) as error:
        contact_visit_record(
            link=world.link,
            visited_on=datetime.date(2026, 6, 5),
            method="走访",
            summary="结束后仍登记",
            actor=world.user("township"),
        )
    assert "结束日期" in error.value.message_dict["visited_on"][0]


# --- lists and registers ---------------------------------------------------------------


def test_the_overview_query_count_does_not_grow_with_linkers(world, client_for):
    RuleFactory(key=VOTER_MIN, region=world.township, value=2)
    RuleFactory(key=VOTER_MIN, region=world.other_township, value=3)
    client = client_for("county")

    def load():
        response = client.get(reverse("deputies:contact_list"), {"year": 2026})
        assert response.status_code == 200

    def add_rows():
        for n in range(40):
            township = world.township if n % 2 else world.other_township
            person = PersonFactory(region=township)
            for kind in ("deputy_voter", "deputy_household"):
                link = ContactLinkFactory(linker=person, kind=kind, target_name=f"对象{n}")
                _visit(link, datetime.date(2026, 2, 1))

    # session, user, user's region, townships, count, page rows, counts, rules
    assert_pinned_queries(load, add_rows, expected=8)


def test_the_overview_filters_by_kind_and_township_for_county_staff(world, client_for):
    ContactLinkFactory(linker=world.other_person, kind="deputy_voter", target_name="周老伯")
    client = client_for("county")
    url = reverse("deputies:contact_list")
    page = client.get(url, {"year": 2026}).content.decode()
    assert "王春燕" in page and "李四" in page
    page = client.get(url, {"year": 2026, "township": world.township.pk}).content.decode()
    assert "王春燕" in page and "李四" not in page
    page = client.get(url, {"year": 2026, "kind": "deputy_voter"}).content.decode()
    assert "王春燕" not in page and "李四" in page


def test_the_register_xlsx_contains_the_visits_and_the_yearly_check(world, client_for):
    RuleFactory(key="contacts.deputy_household.links_min", region=world.township, value=3)
    _visit(world.link, datetime.date(2026, 3, 8), summary="帮助修缮房屋")
    _visit(world.link, datetime.date(2025, 3, 8), summary="去年的走访")
    url = reverse("deputies:contact_card_xlsx", kwargs={"pk": world.person.pk, "year": 2026})
    response = client_for("township").get(url)
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    cells = _cells(response)
    assert "帮助修缮房屋" in cells
    assert "去年的走访" not in cells
    assert "赵大爷" in cells
    assert any("未达标" in str(cell) for cell in cells)


def test_the_printable_register_hides_navigation_when_printed(world, client_for):
    _visit(world.link, datetime.date(2026, 3, 8), summary="帮助修缮房屋")
    url = reverse("deputies:contact_card", kwargs={"pk": world.person.pk, "year": 2026})
    page = client_for("liaison").get(url).content.decode()
    assert "代表联系选民登记卡" in page
    assert "@media print" in page
    assert "帮助修缮房屋" in page


def test_the_overview_xlsx_has_one_row_per_linker_and_kind(world, client_for):
    ContactLinkFactory(linker=world.person, kind="deputy_voter", target_name="孙大姐")
    ContactLinkFactory(linker=world.other_person, kind="deputy_voter", target_name="周老伯")
    response = client_for("township").get(reverse("deputies:contact_list_xlsx"), {"year": 2026})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert sorted((row[0], row[2]) for row in rows) == [
        ("王春燕", "代表结对帮扶困难户"),
        ("王春燕", "代表联系选民"),
    ]


def _cells(response) -> list:
    sheet = load_workbook(BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]


def test_the_overview_finds_a_linker_by_name_full_pinyin_or_initials(world, client_for):
    client = client_for("township")
    for q in ("春燕", "wangc", "wcy"):
        overview = client.get(reverse("deputies:contact_list"), {"q": q}).content.decode()
        assert "王春燕" in overview and "张三" not in overview, q
