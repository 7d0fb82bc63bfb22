"""The public side of opinions: the form, the receipt, tracking, the guards
against abuse, and the public API. Bad input gets a Chinese message or a
rate-limit answer, never a 500 (the test client re-raises any exception a
view lets through), and nothing a citizen types runs as script later.

The API tests run on this module's own URL list (the project's, plus the
public opinion API routed by `register()`), so they do not depend on the
wiring in renda/api/urls.py; the authorization matrix checks that wiring.
"""

import contextlib
import io
import json
import multiprocessing
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, include, path, reverse
from django.utils import timezone
from PIL import Image
from rest_framework.routers import DefaultRouter

from renda import urls as project_urls
from renda.core.models import RegionLevel
from renda.core.tests import factories as f
from renda.deputies.tests.factories import StationFactory
from renda.opinions import abuse, api, captcha, selectors, services, tasks
from renda.opinions.forms_public import OpinionPublicForm
from renda.opinions.models import Channel, GuardCount, Opinion, OpinionAttachment
from renda.suggestions import services as suggestion_services

_router = DefaultRouter()
api.register(_router)
urlpatterns = [path("api/", include(_router.urls)), *project_urls.urlpatterns]
WITH_API = pytest.mark.urls(__name__)

SUBMIT = "/opinions/public/submit/"
TRACK = "/opinions/public/track/"
API_SUBMIT = "/api/public/opinions/"
API_CAPTCHA = "/api/public/opinions/captcha/"
API_TRACK = "/api/public/opinions/track/"
API_PLACES = "/api/public/opinions/places/"
SCRIPT = "<script>alert('x')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Photos go to a temporary folder. (The rate-limit and captcha counts
    are rows, rolled back with each test.)"""
    settings.MEDIA_ROOT = tmp_path


def image_bytes(kind: str = "PNG", size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, kind)
    return buffer.getvalue()


def photo(name="路灯.png", kind="PNG", content_type="image/png"):
    return SimpleUploadedFile(name, image_bytes(kind), content_type=content_type)


def solved_captcha() -> dict:
    challenge = captcha.new_challenge()
    return {
        "captcha_token": challenge.token,
        "captcha_answer": str(captcha.solve(challenge.question)),
    }


def form_data(world, **overrides) -> dict:
    data = {
        "township": world.township.pk,
        "village": world.village.pk,
        "title": "东河村桥面破损",
        "content": "东河村四组小桥桥面破损，学生上学经过很危险，建议尽快维修。",
        "people_concerned": 30,
        "submitter_name": "张大伯",
        "submitter_phone": "13800001111",
        **solved_captcha(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def page_text(response) -> str:
    return response.content.decode()


# --- the form ---------------------------------------------------------------------


def test_the_form_offers_townships_and_their_villages_and_a_readable_question(world, client):
    response = client.get(reverse("opinions:submit"))
    html = page_text(response)
    assert response.status_code == 200
    assert "青山镇" in html and "龙泉镇" in html
    assert f'data-township="{world.township.pk}"' in html and "青山镇 东河村" in html
    question = re.search(r'data-testid="captcha-question">([^<]+)<', html).group(1)
    assert re.fullmatch(r"\d 加 \d 等于几？|\d 减 \d 等于几？", question)
    assert response["Cache-Control"].startswith("max-age=0")


def second_county():
    """Another county with a township and a village: a province's server."""
    county = f.RegionFactory(code="990122", name="邻县", level=RegionLevel.COUNTY)
    township = f.TownshipFactory(code="990122101", name="白沙镇", parent=county)
    f.VillageFactory(code="990122101201", name="西岭村", parent=township)
    return county, township


def test_with_several_counties_the_form_asks_the_county_first_and_lists_only_its_places(
    world, client
):
    county, township = second_county()
    chooser = page_text(client.get(reverse("opinions:submit")))
    assert 'data-testid="county-form"' in chooser and 'name="county"' in chooser
    assert "测试县" in chooser and "邻县" in chooser
    assert f'<option value="{world.township.pk}"' not in chooser

    html = page_text(client.get(reverse("opinions:submit"), {"county": county.pk}))
    assert "白沙镇" in html and "白沙镇 西岭村" in html
    for elsewhere in (world.township, world.other_township, world.village):
        assert f'<option value="{elsewhere.pk}"' not in html
    assert f'name="county" value="{county.pk}"' in html

    refused = client.post(
        f"{reverse('opinions:submit')}?county={county.pk}",
        form_data(world, county=county.pk),
    )
    assert "请从列表中选择乡镇（街道）" in page_text(refused)
    assert not Opinion.objects.filter(title="东河村桥面破损").exists()
    accepted = client.post(
        reverse("opinions:submit"),
        form_data(world, county=county.pk, township=township.pk, village=None),
    )
    assert accepted.status_code == 302
    assert Opinion.objects.get(title="东河村桥面破损").region == township


def test_a_citizen_submits_an_opinion_with_a_photo_and_gets_a_receipt_code(world, client):
    response = client.post(
        reverse("opinions:submit"),
        {**form_data(world), "photos": [photo()]},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302 and response["Location"] == reverse("opinions:receipt")
    opinion = Opinion.objects.get(title="东河村桥面破损")
    assert opinion.channel == Channel.WEB
    assert opinion.region == world.village
    assert opinion.people_concerned == 30
    assert opinion.client_ip == "10.1.2.3"
    assert opinion.entered_by is None
    attachment = OpinionAttachment.objects.get(opinion=opinion)
    assert attachment.name == "路灯.png" and attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png") and "路灯" not in attachment.file.name
    with attachment.file.open("rb") as stored:
        assert Image.open(stored).format == "PNG"

    receipt = page_text(client.get(response["Location"]))
    assert f'data-testid="receipt-code">{opinion.receipt_code}<' in receipt
    assert "手机号码的后四位" in receipt and reverse("opinions:track") in receipt


def test_an_opinion_about_a_place_with_one_station_goes_to_that_stations_register(world, client):
    """The station of the chosen village keeps it: its liaison officer sorts
    and answers it. A township without a station of its own, or a village
    with two, leaves it to the office."""
    client.post(reverse("opinions:submit"), form_data(world))
    at_village = Opinion.objects.get(title="东河村桥面破损")
    assert at_village.station == world.station and at_village.channel == Channel.WEB
    liaison = world.user("liaison")
    assert selectors.may_act(liaison, at_village, "sort")
    assert selectors.submitter_for(liaison, at_village).full

    client.post(
        reverse("opinions:submit"),
        form_data(world, village="", title="集镇路口缺少红绿灯", submitter_phone="13800002222"),
    )
    at_township = Opinion.objects.get(title="集镇路口缺少红绿灯")
    assert at_township.station is None
    assert not selectors.may_act(liaison, at_township, "sort")

    StationFactory(name="东河村第二联络点", region=world.village)
    client.post(
        reverse("opinions:submit"),
        form_data(world, title="东河村路灯不亮", submitter_phone="13800003333"),
    )
    assert Opinion.objects.get(title="东河村路灯不亮").station is None


def test_a_signed_in_member_of_the_public_submits_with_a_jpg_and_no_village(world, client_for):
    client = client_for("public")
    data = form_data(world, village="", title="集镇路口缺少红绿灯")
    response = client.post(
        reverse("opinions:submit"),
        {**data, "photos": [photo("a.jpeg", "JPEG", "image/jpeg")]},
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get(title="集镇路口缺少红绿灯")
    assert opinion.region == world.township
    assert opinion.entered_by == world.user("public")
    assert opinion.attachments.get().content_type == "image/jpeg"


def test_empty_fields_get_a_chinese_message_naming_each_field(world, client):
    before = Opinion.objects.count()
    response = client.post(reverse("opinions:submit"), {})
    html = page_text(response)
    assert response.status_code == 200
    for message in (
        "所在乡镇（街道）：请选择所在乡镇（街道）",
        "事由：请填写事由",
        "具体内容：请填写具体内容",
        "您的姓名：请填写您的姓名",
        "手机号码：请填写手机号码",
        "验证问题：请回答验证问题",
    ):
        assert message in html
    assert Opinion.objects.count() == before


def test_a_phone_number_that_is_not_a_mobile_number_is_refused(world, client):
    response = client.post(reverse("opinions:submit"), form_data(world, submitter_phone="0571-123"))
    assert "请填写 11 位手机号码，以 1 开头" in page_text(response)
    assert not Opinion.objects.filter(title="东河村桥面破损").exists()


def test_a_phone_number_written_with_spaces_is_accepted_as_digits(world, client):
    client.post(reverse("opinions:submit"), form_data(world, submitter_phone="138 0000 1111"))
    assert Opinion.objects.get(title="东河村桥面破损").submitter_phone == "13800001111"


def test_content_over_2000_characters_is_refused_and_what_was_typed_is_kept(world, client):
    long_text = "路" * 2001
    data = form_data(world, content=long_text, title="保留的事由")
    response = client.post(reverse("opinions:submit"), data)
    html = page_text(response)
    assert response.status_code == 200
    assert "具体内容不超过 2000 字（现有 2001 字）" in html
    assert "保留的事由" in html and long_text in html
    # A fresh question is asked, with an empty answer box.
    assert data["captcha_token"] not in html
    answer_box = re.search(r'<input[^>]*name="captcha_answer"[^>]*>', html).group(0)
    assert "value=" not in answer_box


def test_a_10_mb_text_answers_413_with_a_chinese_message(world, client):
    response = client.post(reverse("opinions:submit"), form_data(world, content="字" * 3_500_000))
    assert response.status_code == 413
    assert abuse.TOO_LARGE_MESSAGE in page_text(response)
    assert not Opinion.objects.filter(title="东河村桥面破损").exists()


def test_a_10_mb_text_answers_413_even_before_the_csrf_check_reads_it(world):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("opinions:submit"))  # the CSRF cookie, so the check goes on to the body
    response = client.post(reverse("opinions:submit"), {"content": "x" * 10_000_000})
    assert response.status_code == 413
    assert "提交的内容过大" in page_text(response)
    # An ordinary post without the CSRF token is still refused.
    assert client.post(reverse("opinions:submit"), {"title": "x"}).status_code == 403


def test_a_body_declared_bigger_than_three_photos_is_refused_unread(world, client):
    response = client.post(
        reverse("opinions:submit"), form_data(world), CONTENT_LENGTH=str(20 * 1024 * 1024)
    )
    assert response.status_code == 413
    response = client.post(reverse("opinions:track"), {}, CONTENT_LENGTH="not a number")
    assert response.status_code == 413


def test_a_forged_photo_a_text_file_named_jpg_is_refused(world, client):
    forged = SimpleUploadedFile("photo.jpg", b"just some text, not a picture", "image/jpeg")
    response = client.post(reverse("opinions:submit"), {**form_data(world), "photos": [forged]})
    assert response.status_code == 200
    assert "照片：“photo.jpg”不是有效的 JPG 或 PNG 照片，请重新选择" in page_text(response)
    assert not Opinion.objects.filter(title="东河村桥面破损").exists()


def test_a_real_gif_is_refused_because_only_jpg_and_png_are_kept(world, client):
    gif = photo("anim.png", "GIF", "image/png")
    response = client.post(reverse("opinions:submit"), {**form_data(world), "photos": [gif]})
    assert "“anim.png”不是有效的 JPG 或 PNG 照片" in page_text(response)


def test_a_truncated_png_is_refused(world, client):
    broken = SimpleUploadedFile("cut.png", image_bytes("PNG")[:60], "image/png")
    response = client.post(reverse("opinions:submit"), {**form_data(world), "photos": [broken]})
    assert "“cut.png”不是有效的 JPG 或 PNG 照片" in page_text(response)


def test_a_photo_over_5_mb_is_refused(world, client):
    big = SimpleUploadedFile("big.jpg", b"\xff" * (5 * 1024 * 1024 + 1), "image/jpeg")
    response = client.post(reverse("opinions:submit"), {**form_data(world), "photos": [big]})
    assert response.status_code == 200
    assert "照片“big.jpg”超过 5 MB，请压缩后重新选择" in page_text(response)


def test_more_than_three_photos_are_refused(world, client):
    photos = [photo(f"{n}.png") for n in range(4)]
    response = client.post(reverse("opinions:submit"), {**form_data(world), "photos": photos})
    assert "照片：照片最多 3 张" in page_text(response)


def test_a_village_of_another_township_is_refused(world, client):
    elsewhere = f.VillageFactory(parent=world.other_township, name="西山村")
    response = client.post(reverse("opinions:submit"), form_data(world, village=elsewhere.pk))
    assert "所选村（社区）不属于所选乡镇（街道）" in page_text(response)


def test_a_wrong_captcha_answer_is_refused_and_a_new_question_asked(world, client):
    data = form_data(world)
    data["captcha_answer"] = str(int(data["captcha_answer"]) + 1)
    response = client.post(reverse("opinions:submit"), data)
    html = page_text(response)
    assert "验证码答案不正确，请重新计算" in html
    assert data["captcha_token"] not in html
    assert not Opinion.objects.filter(title="东河村桥面破损").exists()


def test_an_expired_captcha_is_refused(world, client, monkeypatch):
    data = form_data(world)
    monkeypatch.setattr(captcha, "MAX_AGE", -1)
    response = client.post(reverse("opinions:submit"), data)
    assert "验证码已过期，请回答新的验证问题" in page_text(response)


def test_a_forged_captcha_token_is_refused(world, client):
    response = client.post(reverse("opinions:submit"), form_data(world, captcha_token="1:2:3"))
    assert "验证码无效，请回答新的验证问题" in page_text(response)


def test_a_solved_captcha_cannot_be_replayed(world, client):
    data = form_data(world)
    assert client.post(reverse("opinions:submit"), data).status_code == 302
    replay = {**data, "content": "另一件事：村口垃圾无人清运。", "title": "垃圾清运"}
    response = client.post(reverse("opinions:submit"), replay)
    assert "该验证码已使用，请回答新的验证问题" in page_text(response)
    assert not Opinion.objects.filter(title="垃圾清运").exists()


# --- the duplicate guard and the rate limits ---------------------------------------------


def test_the_same_content_twice_within_minutes_creates_one_opinion_with_one_code(world, client):
    before = Opinion.objects.count()
    client.post(reverse("opinions:submit"), {**form_data(world), "photos": [photo()]})
    first = page_text(client.get(reverse("opinions:receipt")))
    client.post(reverse("opinions:submit"), {**form_data(world), "photos": [photo()]})
    second = page_text(client.get(reverse("opinions:receipt")))
    opinion = Opinion.objects.get(title="东河村桥面破损")
    assert Opinion.objects.count() == before + 1
    assert opinion.attachments.count() == 1
    assert opinion.receipt_code in first and opinion.receipt_code in second
    assert "已收到您刚才提交的意见" in second and "已收到您刚才提交的意见" not in first


def test_fifty_quick_submissions_from_one_address_are_stopped_after_five(world, client):
    before = Opinion.objects.count()
    statuses = []
    for n in range(50):
        data = form_data(
            world, submitter_phone=f"139{n:08d}", title=f"问题{n}", content=f"第{n}件事的情况。"
        )
        response = client.post(reverse("opinions:submit"), data, REMOTE_ADDR="10.9.9.9")
        statuses.append(response.status_code)
    assert statuses == [302] * 5 + [429] * 45
    assert Opinion.objects.count() == before + 5
    assert "同一网络 10 分钟内最多提交 5 次" in page_text(response)
    assert 0 < int(response["Retry-After"]) <= 600
    # Another address is not held back by this one.
    other = client.post(reverse("opinions:submit"), form_data(world), REMOTE_ADDR="10.9.9.10")
    assert other.status_code == 302


def test_one_phone_number_may_submit_three_opinions_an_hour(world, client):
    statuses = []
    for n in range(4):
        data = form_data(world, title=f"问题{n}", content=f"第{n}件事的情况。")
        statuses.append(
            client.post(reverse("opinions:submit"), data, REMOTE_ADDR=f"10.0.0.{n}").status_code
        )
    assert statuses == [302, 302, 302, 429]
    assert "同一手机号 1 小时内最多提交 3 条意见" in page_text(
        client.post(
            reverse("opinions:submit"), form_data(world, title="再一次"), REMOTE_ADDR="10.0.1.1"
        )
    )


def test_behind_a_trusted_proxy_the_forwarded_address_is_limited(world, client, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for n in range(6):
        data = form_data(world, submitter_phone=f"1390000{n:04d}", content=f"第{n}件事。")
        response = client.post(
            reverse("opinions:submit"),
            data,
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{n}",
        )
        assert response.status_code == 302
    assert Opinion.objects.filter(client_ip="1.2.3.5").exists()


# --- tracking -----------------------------------------------------------------------


def track(client, code, last4, **extra):
    return client.post(
        reverse("opinions:track"), {"receipt_code": code, "phone_last4": last4}, **extra
    )


def answered(world):
    """w.opinion handled by the county transport bureau and answered by phone."""
    services.opinion_handled(
        opinion=world.opinion, actor=world.user("unit"), result="已更换三组主干道路灯 12 盏。"
    )
    services.opinion_answer(
        opinion=world.opinion,
        actor=world.user("township"),
        answer="您反映的路灯问题已解决，感谢您的监督。",
        method="电话",
    )
    return world.opinion


def test_tracking_shows_the_steps_the_result_and_the_answer_but_no_names_or_phones(world, client):
    opinion = answered(world)
    response = track(client, opinion.receipt_code.lower(), "5678")
    html = page_text(response)
    assert response.status_code == 200
    assert '<div class="fs-5 fw-bold mb-2" data-testid="progress-status">已答复您</div>' in html
    steps = re.findall(r"<span>([^<]+)</span></li>", html)
    assert steps == ["收到意见", "整理登记", "交有关单位办理", "办理完毕", "答复您"]
    assert "已更换三组主干道路灯 12 盏。" in html
    assert "您反映的路灯问题已解决，感谢您的监督。" in html
    assert "县交通运输局" in html
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in html
    private = [opinion.submitter_name, opinion.submitter_phone, world.person.name]
    private += [user.full_name for user in world.users.values()]
    private += [user.username for user in world.users.values() if user.username != "public"]
    for word in private:
        assert word not in html, word


def test_tracking_an_opinion_just_received_shows_that_it_is_waiting(world, client):
    html = page_text(track(client, world.new_opinion.receipt_code, "1234"))
    assert "已收到，等待工作人员整理" in html
    assert "集镇菜市场占道经营" in html
    assert "陈先生" not in html and "13700001234" not in html


def test_a_wrong_code_and_wrong_digits_get_the_same_message(world, client):
    wrong_code = page_text(track(client, "ZZZZZZZZ", "1234"))
    wrong_digits = page_text(track(client, world.new_opinion.receipt_code, "4321"))
    message = "回执码或手机号后四位不正确，请核对后重试"
    assert message in wrong_code and message in wrong_digits
    assert 'data-testid="progress"' not in wrong_code + wrong_digits
    assert "集镇菜市场占道经营" not in wrong_digits


def test_tracking_asks_for_four_digits(world, client):
    assert "请填写手机号码的后四位数字" in page_text(track(client, "ABCDEFGH", "12a4"))
    assert "请填写回执码" in page_text(track(client, "", "1234"))


def test_tracking_is_limited_to_ten_tries_in_ten_minutes_per_address(world, client):
    statuses = [track(client, f"CODE{n:04d}", "0000").status_code for n in range(11)]
    assert statuses == [200] * 10 + [429]
    response = track(client, world.new_opinion.receipt_code, "1234")
    assert response.status_code == 429
    assert "查询过于频繁" in page_text(response)


def converted(world):
    """w.new_opinion sorted and converted into 王春燕's suggestion, which the
    county transport bureau answers."""
    township = world.user("township")
    opinion = world.new_opinion
    services.opinion_sort(
        opinion=opinion, actor=township, category=world.category, urgency="normal"
    )
    item = services.opinion_convert(
        opinion=opinion,
        actor=township,
        congress=world.township_congress,
        lead=world.person,
        title="关于整治集镇菜市场占道经营的建议",
        body="群众反映菜市场门口占道经营严重。",
    )
    suggestion_services.suggestion_accept(suggestion=item, actor=township, final_kind="suggestion")
    lead = suggestion_services.suggestion_assign(
        suggestion=item, actor=township, lead_unit=world.county_unit
    )
    suggestion_services.assignment_sign(assignment=lead, actor=world.user("unit"))
    return opinion, item


def test_tracking_a_converted_opinion_shows_the_suggestion_and_then_its_reply(world, client):
    opinion, item = converted(world)
    html = page_text(track(client, opinion.receipt_code, "1234"))
    assert "已转为人大代表建议办理" in html and "承办单位正在办理" in html
    assert 'data-testid="suggestion-reply"' not in html

    reply = suggestion_services.reply_submit(
        suggestion=item,
        unit=world.county_unit,
        actor=world.user("unit"),
        reply_class="A",
        text="王春燕代表：已组织市场监管和城管联合整治。",
        signed_by="赵局长",
        replied_on=timezone.localdate(),
    )
    html = page_text(track(client, opinion.receipt_code, "1234"))
    assert "承办单位已答复" in html
    assert "已组织市场监管和城管联合整治。" in html
    assert "赵局长" not in html

    reply.public_text = "已组织市场监管和城管联合整治，设置临时摊位区。"
    reply.save()
    html = page_text(track(client, opinion.receipt_code, "1234"))
    assert "设置临时摊位区" in html and "王春燕代表" not in html


def test_tracking_a_merged_opinion_shows_the_one_it_joined_without_its_code(world, client):
    services.opinion_merge(
        opinion=world.new_opinion, into=world.opinion, actor=world.user("county")
    )
    html = page_text(track(client, world.new_opinion.receipt_code, "1234"))
    assert "已与反映同一问题的意见合并办理" in html
    assert "已交有关单位办理（县交通运输局）" in html
    assert world.opinion.receipt_code not in html
    assert world.opinion.submitter_name not in html


def test_the_receipt_page_without_a_submission_explains_where_receipts_are(world, client):
    html = page_text(client.get(reverse("opinions:receipt")))
    assert "回执只在提交意见的浏览器中显示" in html


# --- no stored script runs anywhere ------------------------------------------------------


def _opinion_pages(opinion) -> list[str]:
    """Every page of the opinions app that takes no argument or the opinion's
    pk, and the admin's change page if there is one: staff pages added later
    are checked without changing this test."""
    _, resolver = get_resolver().namespace_dict["opinions"]
    names = sorted(name for name in resolver.reverse_dict if isinstance(name, str))
    urls = []
    for name in names:
        for kwargs in ({"pk": opinion.pk}, {}):
            try:
                urls.append(reverse(f"opinions:{name}", kwargs=kwargs))
                break
            except NoReverseMatch:
                continue
    with contextlib.suppress(NoReverseMatch):
        urls.append(reverse("admin:opinions_opinion_change", args=[opinion.pk]))
    return urls


def test_a_script_in_an_opinion_is_stored_as_text_and_never_runs(world, client, client_for):
    data = form_data(world, title=f"路灯{SCRIPT}", content=f"内容{SCRIPT}")
    assert client.post(reverse("opinions:submit"), data).status_code == 302
    opinion = Opinion.objects.get(title=f"路灯{SCRIPT}")
    assert opinion.content == f"内容{SCRIPT}"

    html = page_text(track(client, opinion.receipt_code, "1111"))
    assert f"路灯{ESCAPED_SCRIPT}" in html
    assert "<script>alert" not in html

    # Staff write script too: the answer shown to the citizen is escaped.
    services.opinion_sort(
        opinion=opinion, actor=world.user("county"), category=world.category, urgency="normal"
    )
    services.opinion_solve(opinion=opinion, actor=world.user("county"), result=f"结果{SCRIPT}")
    services.opinion_answer(
        opinion=opinion, actor=world.user("county"), answer=f"答复{SCRIPT}", method="短信"
    )
    html = page_text(track(client, opinion.receipt_code, "1111"))
    assert f"结果{ESCAPED_SCRIPT}" in html and f"答复{ESCAPED_SCRIPT}" in html
    assert "<script>alert" not in html

    staff = client_for("admin")
    shown_escaped = []
    for url in _opinion_pages(opinion):
        response = staff.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            html = page_text(response)
            assert "<script>alert" not in html, url
            if ESCAPED_SCRIPT in html:
                shown_escaped.append(url)
    assert opinion.get_absolute_url() in shown_escaped


# --- the public API ---------------------------------------------------------------------


def api_post(client, url, payload, **extra):
    return client.post(url, json.dumps(payload), content_type="application/json", **extra)


def api_payload(world, client, **overrides) -> dict:
    challenge = client.get(API_CAPTCHA).json()
    payload = {
        "township": world.township.pk,
        "village": world.village.pk,
        "title": "东河村桥面破损",
        "content": "东河村四组小桥桥面破损，建议尽快维修。",
        "people_concerned": 12,
        "submitter_name": "张大伯",
        "submitter_phone": "13800001111",
        "captcha_token": challenge["token"],
        "captcha_answer": str(captcha.solve(challenge["question"])),
    }
    payload.update(overrides)
    return payload


@WITH_API
def test_the_api_gives_a_captcha_and_takes_a_submission_with_it(world, client):
    response = api_post(client, API_SUBMIT, api_payload(world, client), REMOTE_ADDR="10.7.7.7")
    body = response.json()
    assert response.status_code == 201
    assert body["duplicate"] is False and body["message"] == "已收到您的意见"
    opinion = Opinion.objects.get(receipt_code=body["receipt_code"])
    assert opinion.channel == Channel.WEB and opinion.region == world.village
    assert opinion.client_ip == "10.7.7.7"


@WITH_API
def test_the_api_takes_photos_as_multipart(world, client):
    payload = {
        **api_payload(world, client),
        "photos": [photo(), photo("b.jpg", "JPEG", "image/jpeg")],
    }
    response = client.post(API_SUBMIT, payload)
    assert response.status_code == 201
    opinion = Opinion.objects.get(receipt_code=response.json()["receipt_code"])
    assert sorted(opinion.attachments.values_list("content_type", flat=True)) == [
        "image/jpeg",
        "image/png",
    ]


@WITH_API
def test_the_api_refuses_a_forged_photo_in_the_common_error_format(world, client):
    forged = SimpleUploadedFile("x.png", b"<?php echo 1; ?>", "image/png")
    response = client.post(API_SUBMIT, {**api_payload(world, client), "photos": [forged]})
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "invalid"
    assert body["errors"]["photos"] == ["“x.png”不是有效的 JPG 或 PNG 照片，请重新选择"]


@WITH_API
def test_the_api_requires_the_captcha_and_names_bad_fields(world, client):
    payload = api_payload(world, client, submitter_phone="123", content="")
    del payload["captcha_answer"]
    body = api_post(client, API_SUBMIT, payload).json()
    assert body["code"] == "invalid" and body["message"].startswith("提交的内容有误：")
    assert body["errors"]["captcha_answer"] == ["请回答验证问题"]
    assert body["errors"]["submitter_phone"] == ["请填写 11 位手机号码，以 1 开头"]
    assert body["errors"]["content"] == ["请填写具体内容"]


@WITH_API
def test_the_api_answers_a_repeat_with_the_same_code(world, client):
    first = api_post(client, API_SUBMIT, api_payload(world, client)).json()
    again = api_post(client, API_SUBMIT, api_payload(world, client))
    assert again.status_code == 200
    assert again.json() == {
        "receipt_code": first["receipt_code"],
        "duplicate": True,
        "message": "已收到您刚才提交的意见",
    }


@WITH_API
def test_the_page_and_the_api_share_one_limit_per_address(world, client):
    for n in range(3):
        data = form_data(world, submitter_phone=f"1360000{n:04d}", content=f"页面第{n}件。")
        assert client.post(reverse("opinions:submit"), data).status_code == 302
    for n in range(2):
        payload = api_payload(
            world, client, submitter_phone=f"1350000{n:04d}", content=f"接口第{n}件。"
        )
        assert api_post(client, API_SUBMIT, payload).status_code == 201
    response = api_post(client, API_SUBMIT, api_payload(world, client, content="第六件。"))
    assert response.status_code == 429
    assert response.json() == {"code": "throttled", "message": "请求过于频繁，请稍后再试"}
    assert int(response["Retry-After"]) > 0


@WITH_API
def test_the_api_refuses_a_10_mb_text_with_413(world, client):
    huge = api_payload(world, client, content="字" * 3_500_000)
    response = api_post(client, API_SUBMIT, huge)
    assert response.status_code == 413
    assert response.json() == {"code": "too_large", "message": abuse.TOO_LARGE_MESSAGE}
    response = client.post(API_SUBMIT, {**huge, "photos": [photo()]})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


@WITH_API
def test_the_api_refuses_a_body_that_is_not_an_object(world, client):
    response = api_post(client, API_SUBMIT, ["not", "an", "object"])
    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": ["请求内容应为一个 JSON 对象"]}
    bad_json = client.post(API_SUBMIT, "{", content_type="application/json")
    assert bad_json.status_code == 400 and bad_json.json()["code"] == "parse_error"


@WITH_API
def test_the_api_tracks_with_the_code_and_last_four_digits_and_no_names(world, client):
    opinion = answered(world)
    response = api_post(
        client, API_TRACK, {"receipt_code": opinion.receipt_code, "phone_last4": "5678"}
    )
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "answered" and body["status_label"] == "已答复您"
    assert [step["label"] for step in body["steps"]][-1] == "答复您"
    assert body["answer"] == "您反映的路灯问题已解决，感谢您的监督。"
    assert body["unit"] == "县交通运输局" and body["suggestion"] is None
    text = json.dumps(body, ensure_ascii=False)
    for word in [opinion.submitter_name, opinion.submitter_phone, world.person.name]:
        assert word not in text


@WITH_API
def test_the_api_gives_one_message_for_a_wrong_code_or_wrong_digits(world, client):
    wrong_code = api_post(client, API_TRACK, {"receipt_code": "ZZZZZZZZ", "phone_last4": "1234"})
    wrong_digits = api_post(
        client, API_TRACK, {"receipt_code": world.new_opinion.receipt_code, "phone_last4": "0000"}
    )
    assert wrong_code.status_code == wrong_digits.status_code == 400
    assert wrong_code.json() == wrong_digits.json()
    assert wrong_code.json()["errors"] == {
        "non_field_errors": ["回执码或手机号后四位不正确，请核对后重试"]
    }


@WITH_API
def test_the_api_tracking_limit_is_the_pages_limit(world, client):
    for n in range(10):
        track(client, f"CODE{n:04d}", "0000")
    response = api_post(
        client, API_TRACK, {"receipt_code": world.new_opinion.receipt_code, "phone_last4": "1234"}
    )
    assert response.status_code == 429


@WITH_API
def test_the_api_lists_townships_with_their_villages(world, client):
    places = {place["name"]: place for place in client.get(API_PLACES).json()}
    assert places["青山镇"]["villages"] == [{"id": world.village.pk, "name": "东河村"}]
    assert places["龙泉镇"]["villages"] == []
    assert "测试县" not in places


@WITH_API
def test_with_several_counties_the_api_lists_counties_and_places_per_county(world, client):
    county, township = second_county()
    counties = client.get(API_PLACES.replace("places", "counties")).json()
    assert [c["name"] for c in counties] == ["测试县", "邻县"]
    refused = client.get(API_PLACES)
    assert refused.status_code == 400 and "county" in refused.json()["errors"]
    places = client.get(API_PLACES, {"county": county.pk}).json()
    assert [(p["name"], [v["name"] for v in p["villages"]]) for p in places] == [
        ("白沙镇", ["西岭村"])
    ]


@WITH_API
def test_a_signed_in_browser_uses_the_api_without_a_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("public"))
    response = api_post(browser, API_SUBMIT, api_payload(world, browser))
    assert response.status_code == 201


@WITH_API
def test_the_schema_with_the_public_api_is_valid_and_warning_free(world, tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for route in (API_SUBMIT, API_CAPTCHA, API_TRACK, API_PLACES):
        assert f"  {route}:" in schema


def test_the_api_request_names_the_fields_the_form_checks():
    """The serializer only describes the request; the form validates it.
    They must name the same fields."""
    assert set(api.OpinionSubmitSerializer().fields) == set(OpinionPublicForm().fields)


def _submit_at_once(start) -> str:
    """One gunicorn worker's request (a forked process, as gunicorn's
    workers are): wait for the others, then count a submission."""
    try:
        start.wait()
        abuse.hit(abuse.SUBMIT_PER_ADDRESS, "10.7.7.7")
        return "passed"
    except abuse.RateLimited:
        return "refused"
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the SQLite test database is in memory: another process cannot open it",
)
def test_workers_in_separate_processes_share_one_count_per_address():
    """Twelve requests from one address at the same moment, each in its own
    process: five pass and seven are refused, as in one process."""
    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    start = context.Manager().Barrier(12)
    with context.Pool(12) as pool:
        outcomes = pool.map(_submit_at_once, [start] * 12)
    assert sorted(outcomes) == ["passed"] * 5 + ["refused"] * 7


@pytest.mark.django_db
def test_counts_are_kept_apart_per_key_and_end_with_their_window():
    for _ in range(abuse.SUBMIT_PER_PHONE.hits):
        abuse.hit(abuse.SUBMIT_PER_PHONE, "13800000000")
    with pytest.raises(abuse.RateLimited):
        abuse.hit(abuse.SUBMIT_PER_PHONE, "13800000000")
    abuse.hit(abuse.SUBMIT_PER_PHONE, "13800000001")  # another phone counts on its own
    abuse.count("captcha:still-fresh", seconds=3 * 3600)
    assert abuse.sweep() == 0

    an_hour_later = timezone.now() + timedelta(seconds=abuse.SUBMIT_PER_PHONE.seconds + 10)
    with time_machine.travel(an_hour_later, tick=False):
        abuse.hit(abuse.SUBMIT_PER_PHONE, "13800000000")  # a new window
        assert tasks.guard_sweep_task.call_local() == 2  # the past window's, of both phones
        assert GuardCount.objects.count() == 2  # this window's and the captcha's
        assert GuardCount.objects.get(key="captcha:still-fresh").count == 1


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="UNLOGGED is PostgreSQL's")
def test_on_postgresql_the_counts_write_no_wal_and_keep_only_the_indexes_queries_use():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpersistence FROM pg_class WHERE relname = %s", [GuardCount._meta.db_table]
        )
        assert cursor.fetchone()[0] == "u"
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s", [GuardCount._meta.db_table]
        )
        indexes = sorted(row[0] for row in cursor.fetchall())
    assert len(indexes) == 2  # the key (the upsert) and expires_at (the sweep)
    assert not any("pattern_ops" in index for index in indexes)
