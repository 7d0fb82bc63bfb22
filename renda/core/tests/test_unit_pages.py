"""Handling-unit pages: listing with a pinned query count, forms with clear errors."""

from django.urls import reverse

from renda.core.models import Rule, Unit
from renda.core.tests.factories import UnitFactory
from renda.core.tests.helpers import assert_pinned_queries


def test_unit_list_query_count_does_not_grow_with_units(world, client_for):
    client = client_for("county")

    def load():
        assert (
            client.get(reverse("core:unit_list"), {"q": "局", "kind": "government"}).status_code
            == 200
        )

    # session, user, user's region, count, page rows
    assert_pinned_queries(
        load, lambda: UnitFactory.create_batch(120, region=world.township), expected=5
    )


def test_a_unit_form_with_bad_input_names_each_field_in_chinese(world, client_for):
    client = client_for("township")
    response = client.post(
        reverse("core:unit_create"),
        {"name": "", "kind": "nonsense", "region": world.other_township.pk},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "单位名称：该字段是必填项。" in page
    assert "单位类别：" in page
    assert "所属区划：" in page  # another township is not a choice
    assert not Unit.objects.filter(name="").exists()


def test_township_staff_add_a_township_office_and_history_records_who(world, client_for):
    client = client_for("township")
    response = client.post(
        reverse("core:unit_create"),
        {
            "name": "青山镇水利站",
            "kind": "township_office",
            "region": world.township.pk,
            "active": "on",
        },
    )
    unit = Unit.objects.get(name="青山镇水利站")
    assert response.status_code == 302
    assert unit.history.first().history_user == world.user("township")


def test_a_duplicate_unit_name_in_the_same_region_is_refused_with_a_message(world, client_for):
    response = client_for("county").post(
        reverse("core:unit_create"),
        {"name": "县交通运输局", "kind": "government", "region": world.county.pk},
    )
    assert response.status_code == 200
    assert "本区划内已有同名单位" in response.content.decode()


def test_township_staff_cannot_edit_a_county_department(world, client_for):
    response = client_for("township").get(reverse("core:unit_edit", args=[world.county_unit.pk]))
    assert response.status_code == 403


def test_a_rule_version_is_added_from_the_page(world, client_for):
    client = client_for("county")
    response = client.post(
        reverse("core:rule_create"),
        {
            "key": "suggestion.reply_months",
            "region": world.county.pk,
            "value": "2",
            "effective_from": "2026-07-01",
            "source": "青山县代表建议办理办法第八条",
        },
        follow=True,
    )
    assert "已添加新版本规则" in response.content.decode()


def test_a_rule_with_malformed_value_is_refused_with_a_message(world, client_for):
    response = client_for("county").post(
        reverse("core:rule_create"),
        {
            "key": "k",
            "region": world.county.pk,
            "value": "{oops",
            "effective_from": "不是日期",
            "source": "",
        },
    )
    page = response.content.decode()
    assert "取值：" in page and "生效日期：" in page and "依据：" in page


def test_a_rule_s_value_may_be_words_and_a_new_rule_s_box_is_empty(world, client_for):
    client = client_for("county")
    page = client.get(reverse("core:rule_create")).content.decode()
    assert "null</textarea>" not in page
    assert client.get(reverse("core:rule_create"), {"from": "abc"}).status_code == 200
    response = client.post(
        reverse("core:rule_create"),
        {
            "key": "opinion.answer_by",
            "region": world.county.pk,
            "value": "县人大常委会办公室",
            "effective_from": "2026-07-01",
            "source": "青山县社情民意工作办法第五条",
        },
    )
    assert response.status_code == 302
    rule = Rule.objects.get(key="opinion.answer_by")
    assert rule.value == "县人大常委会办公室"
    again = client.get(reverse("core:rule_create"), {"from": rule.pk}).content.decode()
    assert ">\n县人大常委会办公室</textarea>" in again  # no JSON quotes


def test_a_rule_version_of_another_form_than_the_key_s_is_refused_on_the_value(world, client_for):
    """The deadline code reads a number of months: words there would stop
    every deadline of the county."""
    response = client_for("county").post(
        reverse("core:rule_create"),
        {
            "key": "suggestion.reply_months",
            "region": world.county.pk,
            "value": "三个月",
            "effective_from": "2026-07-01",
            "source": "青山县代表建议办理办法第八条",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "取值：“suggestion.reply_months”的取值应与已有版本同一形式，例如 " in page
    assert not Rule.objects.filter(key="suggestion.reply_months", value="三个月").exists()
