"""Handling-unit pages: listing with a pinned query count, forms with clear errors."""

from django.urls import reverse

from renda.core.models import Unit
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
