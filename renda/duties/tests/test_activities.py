"""The activities pages: an activity entered once through the page credits
every participant; attendance changes row by row; bad input is named in
Chinese and nothing chosen is lost; the list's query count is pinned."""

import datetime
import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from renda.core.tests.helpers import assert_pinned_queries, assert_waits_for_a_county, options
from renda.deputies.tests import factories as d
from renda.duties import services
from renda.duties.models import Activity, ActivityAttachment, Attendance, DutyKind, DutyRecord
from renda.duties.tests.matrix_activities import MATRIX, PNG
from renda.tests.matrix import OK


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _deputies(world, n, region=None):
    people = []
    for _ in range(n):
        person = d.PersonFactory(region=region or world.township)
        d.MandateFactory(person=person)
        people.append(person)
    return people


def _form(world, people, **extra):
    data = {
        "kind": DutyKind.INSPECTION,
        "title": "视察农村公路建设",
        "held_on": "2026-11-02",
        "place": "青山镇",
        "organiser": f"body:{world.township_congress.pk}",
        "content": "实地查看三条通村公路。",
        "participants": [p.pk for p in people],
    }
    data.update(extra)
    return data


class _RollBack(Exception):
    pass


def test_every_allowed_post_of_the_matrix_succeeds(world, client_for):
    """The matrix's POSTs really do their work for every role allowed to
    (the other township cannot pick 青山镇's group or deputies)."""
    failures = []
    for name, case in MATRIX.items():
        if case.method != "post":
            continue
        for role, expected in case.expect.items():
            if expected != OK or (role == "other_township" and name.endswith("_create")):
                continue
            try:
                with transaction.atomic():
                    for value in vars(world).values():
                        if isinstance(value, Activity | DutyRecord):
                            value.refresh_from_db()
                    client = client_for(role)
                    url = reverse(name, kwargs=case.kwargs(world))
                    response = client.post(url, case.data(world))
                    errors = [
                        m.message
                        for m in get_messages(response.wsgi_request)
                        if m.level_tag == "error"
                    ]
                    if response.status_code != 302 or errors:
                        failures.append(f"{name} {role}: {response.status_code} {errors}")
                    raise _RollBack
            except _RollBack:
                pass
    assert not failures


def test_province_staff_pick_a_county_before_the_picker_fills(world, province, client):
    (neighbour,) = _deputies(world, 1, region=province["township"])
    client.force_login(province["user"])
    url = reverse("duties:activity_create")
    page = client.get(url)
    html = page.content.decode()
    assert_waits_for_a_county(html, province)
    assert page.context["picker"]["deputies"] == [] and page.context["picker"]["sets"] == []
    assert f"body:{world.township_congress.pk}" not in options(html, "organiser")
    assert "先选县（市、区）" in html

    page = client.get(url, {"area": province["other"].code})
    assert [p["id"] for p in page.context["picker"]["deputies"]] == [neighbour.pk]
    assert [s["name"] for s in page.context["picker"]["sets"]] == ["白沙镇代表联络站"]

    page = client.get(url, {"area": world.county.code})
    assert f"body:{world.township_congress.pk}" in options(page.content.decode(), "organiser")
    response = client.post(f"{url}?area={world.county.code}", _form(world, [world.person]))
    activity = Activity.objects.get(title="视察农村公路建设")
    assert response.status_code == 302 and activity.organiser_body == world.township_congress

    # Correcting it opens on its county, with its organiser among the choices.
    page = client.get(reverse("duties:activity_update", args=[activity.pk]))
    assert page.context["form"].area.chosen == world.county
    assert f"body:{world.township_congress.pk}" in options(page.content.decode(), "organiser")

    # Posted with another county picked, it keeps its organiser: the select
    # shows that county's, the organiser is checked against the user's scope.
    update = reverse("duties:activity_update", args=[activity.pk])
    data = {**_form(world, [world.person]), "title": "视察农村公路建设（更正）"}
    response = client.post(f"{update}?area={province['other'].code}", data)
    activity.refresh_from_db()
    assert response.status_code == 302 and activity.title == "视察农村公路建设（更正）"
    assert activity.organiser_body == world.township_congress


def test_an_activity_with_30_participants_entered_on_the_page_credits_30_records(world, client_for):
    people = _deputies(world, 28) + [world.person, world.county_person]
    leave, absent = people[3], people[4]
    data = _form(
        world,
        people,
        **{
            f"attendance_{leave.pk}": Attendance.LEAVE,
            f"reason_{leave.pk}": "外出开会",
            f"attendance_{absent.pk}": Attendance.ABSENT,
        },
    )
    client = client_for("township")
    photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
    response = client.post(reverse("duties:activity_create"), {**data, "attachments": [photo]})

    activity = Activity.objects.get(title="视察农村公路建设")
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert activity.region == world.township
    assert activity.organiser_body == world.township_congress
    records = activity.records.filter(kind=DutyKind.INSPECTION)
    assert records.count() == 30
    attendance = dict(records.values_list("person_id", "attendance"))
    assert attendance[leave.pk] == Attendance.LEAVE
    assert attendance[absent.pk] == Attendance.ABSENT
    assert list(attendance.values()).count(Attendance.PRESENT) == 28
    assert records.get(person=leave).leave_reason == "外出开会"
    assert activity.attachments.get().content_type == "image/png"

    page = client.get(activity.get_absolute_url()).content.decode()
    assert "参加代表（30 人）" in page
    for key, count in (("present", 28), ("leave", 1), ("absent", 1)):
        assert f'data-count="{key}">{count}<' in page
    assert reverse("duties:activity_attachment", args=[activity.attachments.get().pk]) in page


def test_changing_one_attendance_with_htmx_changes_only_that_record(world, client_for):
    activity = world.activity
    before = {r.person_id: (r.attendance, r.leave_reason, r.status) for r in activity.records.all()}
    url = reverse("duties:activity_attendance", args=[activity.pk, world.county_person.pk])
    client = client_for("liaison")

    refused = client.post(url, {"attendance": "leave"}, HTTP_HX_REQUEST="true")
    assert "请假事由：请假请填写请假事由" in refused.content.decode()
    assert activity.records.get(person=world.county_person).attendance == Attendance.ABSENT

    response = client.post(
        url, {"attendance": "leave", "leave_reason": "住院治疗"}, HTTP_HX_REQUEST="true"
    )
    row = response.content.decode()
    assert response.status_code == 200 and row.startswith(
        f'<tr id="participant-{world.county_person.pk}"'
    )
    assert "已保存为“请假”" in row
    # The page's totals follow the change.
    assert json.loads(response["HX-Trigger"])["renda:attendance"] == {
        "present": 1,
        "leave": 1,
        "absent": 0,
    }
    after = {r.person_id: (r.attendance, r.leave_reason, r.status) for r in activity.records.all()}
    assert after[world.county_person.pk] == ("leave", "住院治疗", "recorded")
    assert {k: v for k, v in after.items() if k != world.county_person.pk} == {
        k: v for k, v in before.items() if k != world.county_person.pk
    }


def test_bad_input_is_named_in_chinese_and_every_choice_is_kept(world, client_for):
    client = client_for("township")
    people = _deputies(world, 2)
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    forged = SimpleUploadedFile("签到表.png", b"MZ\x90\x00 not an image", content_type="image/png")
    data = _form(
        world,
        people,
        held_on=future,
        **{f"attendance_{people[0].pk}": Attendance.LEAVE, f"reason_{people[0].pk}": " "},
    )

    page = client.post(reverse("duties:activity_create"), {**data, "attachments": [forged]})
    html = page.content.decode()
    assert page.status_code == 200
    assert f"参加代表：{people[0].name}请假，请填写请假事由" in html
    assert "附件：“签到表.png”：只能上传 PDF、JPG、PNG、Word（.docx）或 Excel（.xlsx）文件" in html
    assert "请重新选择" in html
    # Every deputy chosen is still on the form, with what was set for them.
    for person in people:
        assert f'name="participants" value="{person.pk}"' in html
    assert '<option value="leave" selected>' in html

    data[f"reason_{people[0].pk}"] = "外出"
    page = client.post(reverse("duties:activity_create"), data)
    assert "活动日期：活动日期不能晚于今天" in page.content.decode()

    page = client.post(reverse("duties:activity_create"), {"title": "x"})
    html = page.content.decode()
    assert "参加代表：请选择参加活动的代表" in html and "组织者：该字段是必填项" in html
    assert not Activity.objects.filter(title="视察农村公路建设").exists()


def test_editing_removes_a_participants_record_and_delete_asks_first(world, client_for):
    activity = world.activity
    client = client_for("township")
    form = client.get(reverse("duties:activity_update", args=[activity.pk])).content.decode()
    assert f'name="participants" value="{world.county_person.pk}"' in form
    assert f'<option value="group:{world.group.pk}" selected>' in form

    data = _form(world, [world.person], organiser=f"group:{world.group.pk}", held_on="2026-09-08")
    response = client.post(reverse("duties:activity_update", args=[activity.pk]), data)
    assert response.status_code == 302
    assert list(activity.records.values_list("person_id", flat=True)) == [world.person.pk]

    confirm = client.get(reverse("duties:activity_delete", args=[activity.pk])).content.decode()
    assert "1 名参加代表的这条履职记录将一并撤销" in confirm
    response = client.post(reverse("duties:activity_delete", args=[activity.pk]))
    assert response["Location"] == reverse("duties:activity_list")
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not activity.records.filter(kind=DutyKind.INSPECTION).exists()


def test_a_deputy_reads_the_activity_but_cannot_change_attendance(world, client_for):
    client = client_for("deputy")
    page = client.get(world.activity.get_absolute_url()).content.decode()
    assert "视察东河村饮水安全工程" in page and "修改活动" not in page
    url = reverse("duties:activity_attendance", args=[world.activity.pk, world.person.pk])
    assert client.post(url, {"attendance": "absent"}).status_code == 403


def test_attachments_are_checked_by_their_content_on_the_activity_page(world, client_for):
    client = client_for("township")
    url = reverse("duties:activity_attach", args=[world.activity.pk])
    renamed = SimpleUploadedFile("签到表.pdf", PNG, content_type="application/pdf")
    response = client.post(url, {"files": [renamed]}, follow=True)
    assert "上传附件：“签到表.pdf”：文件内容是 PNG，与文件扩展名不符" in response.content.decode()
    assert not ActivityAttachment.objects.exists()

    client.post(url, {"files": [SimpleUploadedFile("签到表.png", PNG)]})
    attachment = ActivityAttachment.objects.get()
    download = client.get(reverse("duties:activity_attachment", args=[attachment.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    other = client_for("other_township")
    assert other.get(reverse("duties:activity_attachment", args=[attachment.pk])).status_code == 404


def test_the_list_filters_and_its_query_count_does_not_grow_with_rows(world, client_for):
    client = client_for("county")
    url = reverse("duties:activity_list")
    page = client.get(url, {"township": world.other_township.code}).content.decode()
    assert "调研龙泉镇茶叶产业" in page and "视察东河村饮水安全工程" not in page
    page = client.get(url, {"organiser": f"group:{world.group.pk}", "q": "饮水"}).content.decode()
    assert "视察东河村饮水安全工程" in page and "出席 1" in page and "缺席 1" in page
    page = client.get(url, {"kind": "survey", "from": "2026-09-01"}).content.decode()
    assert "共 0 次活动" in page

    organisers = [
        {"organiser_body": world.township_congress},
        {"organiser_group": world.group},
        {"organiser_station": world.station},
    ]

    def add(n, people):
        services.activity_create(
            actor=world.user("township"),
            region=world.township,
            kind=DutyKind.SURVEY,
            title=f"调研{n}",
            held_on=datetime.date(2026, 3, 1 + n),
            participants=dict.fromkeys(people, Attendance.PRESENT),
            **organisers[n % 3],
        )

    people = _deputies(world, 5)
    for n in range(3):  # each kind of organiser is on the page from the start
        add(n, people)

    def add_rows():
        for n in range(3, 18):
            add(n, people)

    def load():
        assert client.get(url).status_code == 200

    # The page's attendance is counted for its own 50 activities (one query),
    # and its organisers are read by pk, one query per kind.
    assert_pinned_queries(load, add_rows, expected=12)


def test_an_activity_whose_record_a_correction_cites_is_not_deleted(world):
    """The correction stays on the record, so the delete is refused with a message."""
    import pytest
    from django.core.exceptions import ValidationError

    from renda.duties import services
    from renda.duties.models import Activity

    record = world.activity.records.get(person=world.person)
    services.correction_request(
        actor=world.user("deputy"), person=world.person, year=2026, record=record, reason="出勤有误"
    )
    with pytest.raises(ValidationError, match="更正申请引用"):
        services.activity_delete(activity=world.activity, actor=world.user("township"))
    assert Activity.objects.filter(pk=world.activity.pk).exists()
