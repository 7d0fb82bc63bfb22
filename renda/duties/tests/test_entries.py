"""Deputies' own entries (履职纪实) from the phone, the office's verification
queue, a record with its evidence and history, and spot checks."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from renda.core.models import Rule
from renda.core.tests.helpers import assert_pinned_queries, assert_waits_for_a_county, options
from renda.deputies.tests import factories as d
from renda.duties import services
from renda.duties.models import DutyKind, DutyRecord, RecordStatus, SpotCheck
from renda.duties.records import duty_record_put
from renda.duties.tests.matrix_entries import MATRIX
from renda.tests.matrix import OK


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _png(name="走访.png", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _entry(**extra):
    return {
        "kind": DutyKind.HOUSEHOLD_VISIT,
        "occurred_on": "2026-11-20",
        "title": "走访东河村低保户",
        "place": "东河村三组",
        "note": "",
        **extra,
    }


def _pending(world, n, person=None, actor=None):
    return [
        services.entry_submit(
            actor=actor or world.user("township"),
            person=person or world.person,
            kind=DutyKind.PRACTICAL,
            occurred_on=datetime.date(2026, 11, 1),
            title=f"为民办实事{i}",
            note="协调解决。",
        )
        for i in range(n)
    ]


class _RollBack(Exception):
    pass


def test_every_allowed_post_of_the_matrix_succeeds(world, client_for):
    """The matrix's POSTs really do their work for every role allowed to
    (the other township cannot pick 青山镇's deputy or region)."""
    failures = []
    for name, case in MATRIX.items():
        if case.method != "post":
            continue
        for role, expected in case.expect.items():
            if expected != OK or (role == "other_township" and name.endswith("_create")):
                continue
            try:
                with transaction.atomic():
                    world.entry.refresh_from_db()
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


def test_a_deputy_records_a_visit_with_a_photo_from_the_phone(world, client_for):
    client = client_for("deputy")
    form = client.get(reverse("duties:entry_create")).content.decode()
    assert 'accept="image/*"' in form and 'capture="environment"' in form
    assert 'name="person"' not in form

    response = client.post(reverse("duties:entry_create"), _entry(photo=_png()))
    assert response["Location"] == reverse("duties:my_records")
    record = DutyRecord.objects.get(title="走访东河村低保户")
    assert (record.person, record.status, record.entered_by) == (
        world.person,
        RecordStatus.PENDING,
        world.user("deputy"),
    )
    # Stored as a JPG without what the phone wrote into it.
    assert record.photo.name.endswith(".jpg")
    with Image.open(record.photo) as stored:
        assert stored.format == "JPEG" and stored.size == (40, 30)

    mine = client.get(reverse("duties:my_records")).content.decode()
    assert "走访东河村低保户" in mine and "待核实" in mine
    assert "视察东河村饮水安全工程" in mine  # from an activity
    photo = reverse("duties:record_photo", args=[record.pk])
    assert client.get(photo)["Content-Type"] == "image/jpeg"
    assert client_for("township").get(photo).status_code == 200
    assert client_for("other_township").get(photo).status_code == 404


def test_bad_entries_are_refused_in_chinese_and_nothing_is_saved(world, client_for):
    client = client_for("deputy")
    url = reverse("duties:entry_create")
    forged = SimpleUploadedFile("现场.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    html = client.post(url, _entry(photo=forged, note="看望")).content.decode()
    assert "照片：“现场.jpg”不是有效的 JPG 或 PNG 图片" in html
    assert "请重新选择后再提交" in html and "走访东河村低保户" in html

    renamed = _png(name="现场.jpg")
    html = client.post(url, _entry(photo=renamed)).content.decode()
    assert "照片：“现场.jpg”的内容是 PNG 图片，与文件扩展名不符" in html

    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    html = client.post(url, _entry(occurred_on=future, note="看望")).content.decode()
    assert "日期：日期不能晚于今天" in html

    html = client.post(url, _entry()).content.decode()
    assert "情况说明：请填写情况说明或上传一张照片作为佐证" in html
    assert not DutyRecord.objects.filter(title="走访东河村低保户").exists()


def test_a_missing_rule_is_a_message_on_the_form_not_an_error_page(world, client_for):
    Rule.objects.filter(key="duties.own_entry_years_back").delete()
    response = client_for("deputy").post(reverse("duties:entry_create"), _entry(note="看望"))
    assert response.status_code == 200
    assert "没有生效的规则“duties.own_entry_years_back”" in response.content.decode()
    assert not DutyRecord.objects.filter(title="走访东河村低保户").exists()


def test_staff_enter_an_entry_for_a_deputy_of_their_township_only(world, client_for):
    client = client_for("township")
    form = client.get(reverse("duties:entry_create")).content.decode()
    assert "王春燕（青山镇）" in form and "李四" not in form

    refused = client.post(
        reverse("duties:entry_create"), _entry(person=world.other_person.pk, note="看望")
    )
    assert "代表：所选代表不在您的管理范围内" in refused.content.decode()

    response = client.post(
        reverse("duties:entry_create"), _entry(person=world.person.pk, note="看望")
    )
    assert response["Location"] == f"{reverse('duties:entry_create')}?person={world.person.pk}"
    again = client.get(response["Location"]).content.decode()
    assert f'<option value="{world.person.pk}" selected>' in again
    record = DutyRecord.objects.get(title="走访东河村低保户")
    assert record.person == world.person and record.entered_by == world.user("township")


def test_staff_verify_from_the_queue_with_htmx_and_it_counts(world, client_for):
    client = client_for("township")
    queue = client.get(reverse("duties:entry_queue")).content.decode()
    assert "调解东河村两户宅基地纠纷" in queue and "到现场听取双方意见" in queue
    assert "协调修复龙泉村便民桥" not in queue  # 龙泉镇's

    response = client.post(
        reverse("duties:entry_verify", args=[world.entry.pk]),
        {"comment": "已电话核实"},
        HTTP_HX_REQUEST="true",
    )
    card = response.content.decode()
    assert card.startswith(f'<div class="card mb-2 border-success" id="entry-{world.entry.pk}"')
    assert "已核实" in card
    world.entry.refresh_from_db()
    assert world.entry.status == RecordStatus.VERIFIED and world.entry.counts
    assert (world.entry.checked_by, world.entry.check_comment) == (
        world.user("township"),
        "已电话核实",
    )

    again = client.post(
        reverse("duties:entry_verify", args=[world.entry.pk]), HTTP_HX_REQUEST="true"
    )
    assert "不能从“已核实”变为“已核实”" in again.content.decode()


def test_a_returned_entry_shows_the_reason_and_the_deputy_mends_and_resends_it(world, client_for):
    staff = client_for("township")
    url = reverse("duties:entry_return", args=[world.entry.pk])
    card = staff.post(url, {"reason": " "}, HTTP_HX_REQUEST="true").content.decode()
    assert "退回理由：请填写退回理由，代表将看到它并据此修改" in card
    world.entry.refresh_from_db()
    assert world.entry.status == RecordStatus.PENDING

    response = staff.post(url, {"reason": "请补充调解协议照片"})
    assert response["Location"] == reverse("duties:entry_queue")
    world.entry.refresh_from_db()
    assert world.entry.status == RecordStatus.RETURNED

    deputy = client_for("deputy")
    mine = deputy.get(reverse("duties:my_records")).content.decode()
    assert "退回理由：请补充调解协议照片" in mine
    resubmit = reverse("duties:entry_resubmit", args=[world.entry.pk])
    form = deputy.get(resubmit).content.decode()
    assert "请补充调解协议照片" in form and "调解东河村两户宅基地纠纷" in form

    response = deputy.post(
        resubmit,
        _entry(
            kind=DutyKind.DISPUTE,
            title="调解东河村两户宅基地纠纷",
            photo=_png("协议.png"),
            note="达成书面调解协议。",
        ),
    )
    assert response["Location"] == reverse("duties:my_records")
    world.entry.refresh_from_db()
    assert world.entry.status == RecordStatus.PENDING and world.entry.photo

    detail = deputy.get(world.entry.get_absolute_url()).content.decode()
    for label in ("提交", "退回", "修改后重新提交", "请补充调解协议照片"):
        assert label in detail
    assert reverse("duties:record_photo", args=[world.entry.pk]) in detail


def test_a_record_shows_its_source_to_whoever_may_read_it(world, client_for):
    deputy = client_for("deputy")
    from_activity = world.activity.records.get(person=world.person)
    page = deputy.get(from_activity.get_absolute_url()).content.decode()
    assert f'href="{world.activity.get_absolute_url()}"' in page and "出席" in page

    suggestion = duty_record_put(
        person=world.person,
        kind=DutyKind.SUGGESTION,
        occurred_on=datetime.date(2026, 3, 1),
        title=world.suggestion.title,
        source=world.suggestion,
        actor=world.user("township"),
    )
    page = deputy.get(suggestion.get_absolute_url()).content.decode()
    assert reverse("suggestions:my_detail", args=[world.suggestion.pk]) in page
    report = DutyRecord.objects.get(person=world.person, kind=DutyKind.DUTY_REPORT)
    assert "向选民述职" in deputy.get(report.get_absolute_url()).content.decode()
    absent = world.activity.records.get(person=world.county_person)
    assert deputy.get(absent.get_absolute_url()).status_code == 404

    county = client_for("county")
    page = county.get(suggestion.get_absolute_url()).content.decode()
    assert reverse("suggestions:detail", args=[world.suggestion.pk]) in page
    assert client_for("liaison").get(absent.get_absolute_url()).status_code == 200


def test_a_spot_check_drawn_on_the_page_is_concluded_item_by_item(world, client_for):
    client = client_for("township")
    response = client.post(
        reverse("duties:spot_check_create"),
        {
            "region": world.township.pk,
            "period_from": "2026-10-11",
            "period_to": "2026-10-31",
            "share_percent": 100,
        },
    )
    check = SpotCheck.objects.order_by("-pk").first()
    assert response["Location"] == check.get_absolute_url()
    item = check.items.get()
    assert item.record == world.entry

    page = client.get(check.get_absolute_url()).content.decode()
    assert "调解东河村两户宅基地纠纷" in page and "待核查 1" in page

    url = reverse("duties:spot_check_conclude", args=[item.pk])
    card = client.post(url, {"outcome": "not_confirmed"}, HTTP_HX_REQUEST="true").content.decode()
    assert "核查说明：核查不属实时请写明情况" in card
    card = client.post(
        url, {"outcome": "not_confirmed", "comment": "回访双方，未调解"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "不属实" in card and "已记录" in card
    world.entry.refresh_from_db()
    assert world.entry.status == RecordStatus.RETURNED

    bad = client.post(
        reverse("duties:spot_check_create"),
        {
            "region": world.township.pk,
            "period_from": "2026-10-31",
            "period_to": "2026-10-01",
            "share_percent": 0,
        },
    ).content.decode()
    assert "截止日期：截止日期不能早于起始日期" in bad and "抽查比例应在 1 到 100 之间" in bad
    listing = client.get(reverse("duties:spot_check_list")).content.decode()
    assert "2026-10-11 至 2026-10-31" in listing


def test_province_staff_see_every_county_s_queue_and_pick_one_for_its_townships(
    world, province, baisha, client
):
    _pending(world, 1)
    _pending(world, 1, baisha, actor=province["user"])
    client.force_login(province["user"])
    url = reverse("duties:entry_queue")
    waiting = client.get(url)
    names = {record.person.name for record in waiting.context["page"]}
    assert {world.person.name, "赵六"} <= names
    assert_waits_for_a_county(waiting.content.decode(), province, "township")
    picked = client.get(url, {"area": "990122"})
    assert [record.person.name for record in picked.context["page"]] == ["赵六"]
    assert options(picked.content.decode(), "township") == {"990122101"}


def test_province_staff_pick_a_county_before_its_deputies_for_a_paper_entry(
    world, province, baisha, client
):
    client.force_login(province["user"])
    url = reverse("duties:entry_create")
    assert_waits_for_a_county(client.get(url).content.decode(), province, "person")
    picked = client.get(url, {"area": "990122"}).content.decode()
    assert options(picked, "person") == {str(baisha.pk)}

    response = client.post(f"{url}?area=990122", {**_entry(note="看望"), "person": baisha.pk})
    assert response.status_code == 302
    # The next entry keeps the county and the deputy.
    assert "area=990122" in response["Location"] and f"person={baisha.pk}" in response["Location"]
    assert DutyRecord.objects.filter(person=baisha, title="走访东河村低保户").exists()


def test_the_queue_query_count_does_not_grow_with_rows(world, client_for):
    client = client_for("county")
    others = [d.PersonFactory(region=world.township) for _ in range(4)]
    for person in others:
        d.MandateFactory(person=person)

    def add_rows():
        for person in others:
            _pending(world, 5, person)

    def load():
        assert client.get(reverse("duties:entry_queue")).status_code == 200

    assert_pinned_queries(load, add_rows, expected=6)


def test_how_far_back_a_deputy_may_record_is_the_offices_rule(world):
    """With the rule at 1 a 2024 entry is refused; raised to 2 it is accepted."""
    import datetime

    import pytest
    from django.core.exceptions import ValidationError

    from renda.duties import services

    def submit():
        return services.entry_submit(
            actor=world.user("deputy"),
            person=world.person,
            kind="household_visit",
            occurred_on=datetime.date(2024, 12, 20),
            title="走访困难户",
            note="了解生活情况。",
        )

    with pytest.raises(ValidationError, match="2025年以来"):
        submit()
    Rule.objects.filter(key="duties.own_entry_years_back").update(value=2)
    assert submit().status == "pending"
