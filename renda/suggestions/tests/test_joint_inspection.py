"""Joint inspection of a session's suggestion handling before the next
session (联合检查 / 集中督查): recorded by the office through the pages, with
deputies as Person rows, units and the items covered (of that session only);
each item's timeline shows it; an audit row names who recorded and who
corrected it; bad input is refused with the field named; other townships
neither see nor record it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from renda.core.models import AuditEvent, StateChange
from renda.core.tests.helpers import assert_pinned_queries, assert_waits_for_a_county, options
from renda.suggestions import services
from renda.suggestions.models import JointInspection
from renda.suggestions.tests.helpers import submitted_item
from renda.suggestions.tests.matrix_supervision import inspection

FINDINGS = "查阅办理材料，县交通运输局已与代表面商，修缮工程已招标。"


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def form_data(world, **changes) -> dict:
    return {
        "held_on": timezone.localdate().isoformat(),
        "deputies": [world.person.pk, world.county_person.pk],
        "inspectors": "县人大常委会副主任李明；选联工委工作人员",
        "units": [world.county_unit.pk],
        "suggestions": [world.suggestion.pk],
        "findings": FINDINGS,
        "requirements": "年底前完成修缮，书面报告办理结果。",
        **changes,
    }


def create_url(world) -> str:
    return reverse("suggestions:inspection_create") + f"?session={world.session.pk}"


# --- recording ---------------------------------------------------------------------------------


def test_office_staff_record_an_inspection_and_each_item_timeline_shows_it(world, client_for):
    client = client_for("township")
    picker = page(client.get(reverse("suggestions:inspection_create")))
    assert 'data-testid="session-pick"' in picker and world.session.label in picker
    form = page(client.get(create_url(world)))
    # The session's assigned items are offered, all chosen; the other township's are not.
    assert world.suggestion.title in form and world.other_suggestion.title not in form
    assert f'value="{world.suggestion.pk}" selected' in form
    assert f'value="{world.county_unit.pk}" selected' in form  # its lead unit

    response = client.post(create_url(world), form_data(world))
    inspection = JointInspection.objects.get()
    assert response.status_code == 302 and response["Location"] == inspection.get_absolute_url()
    assert inspection.region == world.township and inspection.session == world.session
    assert set(inspection.deputies.all()) == {world.person, world.county_person}
    assert list(world.person.joint_inspections.all()) == [inspection]
    assert inspection.inspectors == "县人大常委会副主任李明；选联工委工作人员"
    assert list(inspection.units.all()) == [world.county_unit]
    assert list(inspection.suggestions.all()) == [world.suggestion]
    assert inspection.recorded_by == world.user("township")

    event = StateChange.objects.get(event="inspected")
    assert event.object_id == world.suggestion.pk and event.actor == world.user("township")
    assert "2名代表参加" in event.comment and "县交通运输局" in event.comment
    detail = page(client.get(reverse("suggestions:detail", args=[world.suggestion.pk])))
    assert 'data-event="inspected"' in detail and "联合检查" in detail
    assert inspection.get_absolute_url() in detail

    audit = AuditEvent.objects.get(action="joint_inspection_record")
    assert audit.actor == world.user("township") and audit.object_id == inspection.pk
    assert audit.detail["suggestions"] == [world.suggestion.pk]

    shown = page(client.get(inspection.get_absolute_url()))
    for text in ("王春燕", "张三", "县人大常委会副主任李明", "县交通运输局", FINDINGS):
        assert text in shown, text
    assert world.suggestion.title in shown


def test_an_item_of_another_session_is_refused(world):
    other_session_item = submitted_item(world, title="关于闭会期间的建议", occasion="interim")
    with pytest.raises(ValidationError) as refused:
        services.joint_inspection_record(
            actor=world.user("township"),
            session=world.session,
            held_on=timezone.localdate(),
            findings=FINDINGS,
            suggestions=[world.suggestion, other_session_item],
            deputies=[world.person],
        )
    assert "不是" in refused.value.message_dict["suggestions"][0]
    assert not JointInspection.objects.exists()
    assert not StateChange.objects.filter(event="inspected").exists()


def test_an_item_not_yet_assigned_has_nothing_to_inspect(world):
    waiting = submitted_item(world, title="关于待审查的建议")
    with pytest.raises(ValidationError) as refused:
        services.joint_inspection_record(
            actor=world.user("township"),
            session=world.session,
            held_on=timezone.localdate(),
            findings=FINDINGS,
            suggestions=[waiting],
            inspectors="选联工委工作人员",
        )
    assert "尚未交办" in refused.value.message_dict["suggestions"][0]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"findings": ""}, "检查情况："),
        ({"held_on": "下周一"}, "检查日期：请输入有效的日期"),
        ({"held_on": "2099-01-01"}, "检查日期：检查日期不能晚于今天"),
        ({"held_on": "2025-12-31"}, "检查日期：检查日期不能早于"),
        ({"deputies": [], "inspectors": ""}, "参加检查的代表：请选择参加检查的代表"),
        ({"suggestions": []}, "检查的建议：请选择检查的建议"),
        ({"suggestions": ["x"]}, "检查的建议："),
        ({"units": ["999999"]}, "被检查的承办单位：所选承办单位"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(world, client_for, changes, message):
    response = client_for("township").post(create_url(world), form_data(world, **changes))
    assert message in page(response)
    assert not JointInspection.objects.exists()


def test_the_form_offers_no_item_of_another_township(world, client_for):
    text = page(
        client_for("township").post(
            create_url(world), form_data(world, suggestions=[world.other_suggestion.pk])
        )
    )
    assert "检查的建议：所选建议" in text
    assert not JointInspection.objects.exists()


# --- scope ---------------------------------------------------------------------------------------


def test_another_township_neither_sees_nor_records_it(world, client_for):
    record = inspection(world)
    client = client_for("other_township")
    assert client.get(create_url(world)).status_code == 404
    assert client.post(create_url(world), form_data(world)).status_code == 404
    assert client.get(record.get_absolute_url()).status_code == 404
    assert world.session.label not in page(client.get(reverse("suggestions:inspection_list")))
    listed = page(client_for("county").get(reverse("suggestions:inspection_list")))
    assert record.get_absolute_url() in listed


def test_deputies_and_units_are_refused(world, client_for):
    record = inspection(world)
    for role in ("deputy", "liaison", "unit"):
        client = client_for(role)
        assert client.get(reverse("suggestions:inspection_list")).status_code == 403, role
        assert client.get(record.get_absolute_url()).status_code == 403, role


def test_the_list_has_a_pinned_query_count(world, client_for):
    client = client_for("county")
    inspection(world)

    def load():
        assert client.get(reverse("suggestions:inspection_list")).status_code == 200

    def add_rows():
        for n in range(4):
            services.joint_inspection_record(
                actor=world.user("township"),
                session=world.session,
                held_on=timezone.localdate() - datetime.timedelta(days=n),
                findings=f"第{n}次检查",
                suggestions=[world.suggestion],
                deputies=[world.person, world.county_person],
                units=[world.county_unit, world.township_unit],
            )

    # session, user, the user's region (scope), count, page, deputies, units
    assert_pinned_queries(load, add_rows, expected=7)


# --- correcting a record ---------------------------------------------------------------------------


def test_a_record_is_corrected_and_the_change_is_audited(world, client_for):
    record = inspection(world)
    client = client_for("county")
    form = page(client.get(reverse("suggestions:inspection_edit", args=[record.pk])))
    assert 'data-testid="covered"' in form and world.suggestion.title in form
    data = form_data(world, findings="补充：已现场察看。", deputies=[world.county_person.pk])
    response = client.post(reverse("suggestions:inspection_edit", args=[record.pk]), data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.findings == "补充：已现场察看。"
    assert list(record.deputies.all()) == [world.county_person]
    assert list(record.suggestions.all()) == [world.suggestion]  # as recorded
    audit = AuditEvent.objects.get(action="joint_inspection_update")
    assert audit.actor == world.user("county")
    assert audit.detail["changed"]["deputies"] == {
        "from": [world.person.pk],
        "to": [world.county_person.pk],
    }


def test_a_correction_with_bad_input_names_the_field(world, client_for):
    record = inspection(world)
    response = client_for("township").post(
        reverse("suggestions:inspection_edit", args=[record.pk]),
        form_data(world, findings="   "),
    )
    assert "检查情况：" in page(response)
    record.refresh_from_db()
    assert record.findings.startswith("查阅办理材料")


def test_province_staff_pick_a_county_before_its_sessions(world, province, client):
    client.force_login(province["user"])
    url = reverse("suggestions:inspection_create")
    assert_waits_for_a_county(page(client.get(url)), province, "session")
    picked = page(client.get(url, {"area": world.county.code}))
    assert str(world.session.pk) in options(picked, "session")
    assert 'name="area" value="' + world.county.code in picked  # kept by the next step
    assert str(world.session.pk) not in options(
        page(client.get(url, {"area": "990122"})), "session"
    )
    # A session named in the link is taken without its county.
    assert world.suggestion.title in page(client.get(create_url(world)))
